// scratch: screenshots of a hash at two sizes and two schemes
import { launchBrowser, startSite } from "./harness.ts";
const site = await startSite();
const browser = await launchBrowser();
const hash = process.argv[2] ?? "#/ring/join-leave";
const name = process.argv[3] ?? "ring";
const until = Number(process.argv[4] ?? 6000);
for (const [w, h] of [[1280, 720], [390, 844]] as const) for (const scheme of ["light", "dark"] as const) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme });
  const page = await ctx.newPage();
  const errs: string[] = [];
  page.on("pageerror", (e) => errs.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errs.push(m.text()));
  await page.goto(site.url + hash);
  await page.waitForFunction(() => (window as any).splitbrain?.scenario?.() != null && (window as any).splitbrain.time() > 0);
  await page.evaluate(() => (window as any).splitbrain.pause());
  await page.evaluate((t) => (window as any).splitbrain.seek(t), until);
  const view = process.argv[5];
  if (view) await page.getByRole("button", { name: view, exact: true }).first().click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/shots/${name}-${w}-${scheme}.png`, fullPage: w < 500 ? false : false });
  const panel = process.argv[6];
  if (w === 1280 && panel) await page.locator(panel).first().screenshot({ path: `/tmp/shots/${name}-panel-${scheme}.png` });
  console.log(w, scheme, errs);
  await ctx.close();
}
await browser.close();
await site.close();
