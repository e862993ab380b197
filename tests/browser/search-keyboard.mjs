// The search page used with the keyboard only, in headless Chromium:
// Tab from the top of /zoeken/ to the search field, type a query, press
// Enter, then Tab on to the first result. Prints what happened as JSON.
//
//   node search-keyboard.mjs CHROMIUM BASE_URL QUERY
import { chromium } from "playwright-core";

const [executablePath, base, query] = process.argv.slice(2);
if (!executablePath || !base || !query) {
  console.error("usage: node search-keyboard.mjs CHROMIUM BASE_URL QUERY");
  process.exit(2);
}
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
try {
  const page = await browser.newPage();
  await page.goto(new URL("/zoeken/", base).href, { waitUntil: "load" });
  const focused = () =>
    page.evaluate(() => {
      const e = document.activeElement;
      return e ? { tag: e.tagName.toLowerCase(), id: e.id, text: e.textContent.trim(), href: e.getAttribute("href") } : null;
    });
  // Tab until the page's own search field has focus (at most 30 stops).
  let tabs = 0;
  while (tabs < 30) {
    await page.keyboard.press("Tab");
    tabs += 1;
    if ((await focused())?.id === "zoekterm") break;
  }
  await page.keyboard.type(query);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("zoekstatus").textContent.trim() !== "");
  const afterEnter = await focused();
  const status = await page.locator("#zoekstatus").textContent();
  const results = await page.locator("#zoekresultaten > li > a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  // On from the field: the button, then the first result.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const next = await focused();
  console.log(JSON.stringify({ tabs, afterEnter, status, results, next, url: page.url() }));
} finally {
  await browser.close();
}
