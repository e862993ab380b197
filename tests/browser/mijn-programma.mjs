// "Mijn programma" and "Nu en straks" (mijn-programma.js) in headless
// Chromium, the way an attendee uses them: mark two sessions with the
// keyboard only (Tab to each session's button, Space), reload (the choice
// is kept), download the personal .ics, print the personal programme to
// a PDF, and read "Nu en straks" with the page's clock fixed (Date
// overridden before the page's scripts run). axe-core checks the page
// without the script (it is blocked) and with it, sessions chosen, in the
// screen and print media. Prints what happened as JSON.
//
//   node mijn-programma.mjs CHROMIUM BASE_URL PATH FIRST_ID SECOND_ID CLOCK OUT_DIR
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const [executablePath, base, path, first, second, clockAt, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node mijn-programma.mjs CHROMIUM BASE_URL PATH FIRST_ID SECOND_ID CLOCK OUT_DIR");
  process.exit(2);
}
const url = new URL(path, base).href;
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

async function axe(page) {
  await page.addScriptTag({ path: axePath });
  const out = [];
  for (const media of ["screen", "print"]) {
    await page.emulateMedia({ media });
    const violations = await page.evaluate(async (tags) => {
      const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.html) }));
    }, TAGS);
    out.push({ media, violations });
  }
  await page.emulateMedia({ media: "screen" });
  return out;
}

const state = (page) =>
  page.evaluate(() => {
    const buttons = [...document.querySelectorAll("button.mijn-knop")];
    const text = (sel) => [...document.querySelectorAll(sel)].map((e) => e.textContent.replace(/\s+/g, " ").trim());
    return {
      buttons: buttons.length,
      sessions: document.querySelectorAll("article.session").length,
      pressed: buttons.filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.sessie),
      names: buttons.map((b) => b.textContent.replace(/\s+/g, " ").trim()),
      mine: text(".mijn-lijst li"),
      mineDays: text(".mijn-dag"),
      clash: text(".mijn-botsing li"),
      status: text(".mijn-status").join(""),
      now: [...document.querySelectorAll(".nu-lijst dt")].map((dt) => [dt.textContent.trim(), dt.nextElementSibling.innerText.replace(/\s+/g, " ").trim()]),
      nowText: text(".nu-inhoud").join(" "),
    };
  });

const result = {};
try {
  // Without the script: the page as it is, and axe on it.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.route("**/mijn-programma.js", (route) => route.abort());
    await page.goto(url, { waitUntil: "load" });
    result.withoutScript = await state(page);
    result.withoutScript.sections = await page.evaluate(() => document.querySelectorAll("#mijn-programma, #nu-en-straks").length);
    result.axeWithoutScript = await axe(page);
    await context.close();
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  result.before = await state(page);

  // The keyboard only: Tab until the session's button has focus, Space.
  const focused = () => page.evaluate(() => document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.sessie || null : null);
  result.tabs = [];
  for (const id of [first, second]) {
    let tabs = 0;
    while (tabs < 600 && (await focused()) !== id) {
      await page.keyboard.press("Tab");
      tabs += 1;
    }
    result.tabs.push(tabs);
    await page.keyboard.press("Space");
  }
  result.marked = await state(page);

  await page.reload({ waitUntil: "load" });
  result.reloaded = await state(page);

  // The personal calendar, downloaded as a file.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download mijn programma (.ics)" }).click(),
  ]);
  result.downloadName = download.suggestedFilename();
  await download.saveAs(`${outDir}/mijn-programma.ics`);

  // Printed: the personal programme alone.
  await page.evaluate(() => document.body.classList.add("print-mijn-programma"));
  await page.pdf({ path: `${outDir}/mijn-programma.pdf`, preferCSSPageSize: true, printBackground: true });
  await page.evaluate(() => document.body.classList.remove("print-mijn-programma"));

  result.axeWithScript = await axe(page);
  await context.close();

  // "Nu en straks" at a fixed moment.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript((at) => {
      const fixed = Date.parse(at);
      const Real = Date;
      class Fixed extends Real {
        constructor(...args) {
          if (args.length === 0) super(fixed);
          else super(...args);
        }
        static now() {
          return fixed;
        }
      }
      window.Date = Fixed;
    }, clockAt);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "load" });
    result.clock = await state(page);
    await context.close();
  }
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
