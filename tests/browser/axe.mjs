// Runs axe-core (WCAG 2.1 A/AA rules) on pages in headless Chromium, in
// the screen and the print media, and prints the findings as JSON.
//
//   node axe.mjs CHROMIUM BASE_URL PATH...
//
// Output on stdout: {"axe": VERSION, "chromium": VERSION, "results":
// [{"url", "media", "violations": [{"id", "impact", "help", "nodes":
// [{"target", "html", "summary"}]}], "incomplete": [RULE...]}]}; the
// rules axe could not decide either way ("needs review") are listed for
// the record. Exit status 0 when every page could be checked (the caller
// judges the findings), 1 otherwise.
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const axeVersion = require("axe-core/package.json").version;

const [executablePath, base, ...paths] = process.argv.slice(2);
if (!executablePath || !base || paths.length === 0) {
  console.error("usage: node axe.mjs CHROMIUM BASE_URL PATH...");
  process.exit(2);
}

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
  ],
});
const results = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  for (const path of paths) {
    const url = new URL(path, base).href;
    const response = await page.goto(url, { waitUntil: "load" });
    if (!response || !response.ok()) {
      throw new Error(`${url}: HTTP ${response ? response.status() : "no response"}`);
    }
    // A search page with a query fills in its results after loading.
    if (url.includes("?")) await page.waitForLoadState("networkidle");
    await page.addScriptTag({ path: axePath });
    for (const media of ["screen", "print"]) {
      await page.emulateMedia({ media });
      const { violations, incomplete } = await page.evaluate(async (tags) => {
        const r = await window.axe.run(document, {
          runOnly: { type: "tag", values: tags },
          resultTypes: ["violations"],
        });
        return {
          // Rules axe could not decide ("needs review"), for the record.
          incomplete: r.incomplete.map((i) => i.id),
          violations: r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({
            target: n.target.join(" "),
            html: n.html,
            summary: n.failureSummary,
          })),
        })),
        };
      }, TAGS);
      results.push({ url: path, media, violations, incomplete });
    }
  }
  console.log(JSON.stringify({ axe: axeVersion, chromium: browser.version(), results }));
} finally {
  await browser.close();
}
