// What the lab platform gives every lab, in the page: its own stage beside or instead of the
// network view (the gossip lab's agreement chart), and live checks — a violation appears in the
// generic panel while the run plays, not after it.

import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import type {} from "../../src/ui/api.ts";
import { browserSession, watchProblems } from "./harness.ts";

const session = browserSession();

async function open(hash: string): Promise<{ page: Page; problems: string[] }> {
  const context = await session.context({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto((await session.url()) + hash);
  await page.waitForFunction(() => (window.splitbrain?.nodes().length ?? 0) > 0);
  return { page, problems };
}

describe("the lab platform in the page", () => {
  test("a lab's own stage shows instead of the network view or beside it, and the network still partitions", async () => {
    const { page, problems } = await open("#/gossip/partition-heal");
    await page.evaluate(() => window.splitbrain!.seek(8000));
    const switcher = page.getByRole("group", { name: "What the stage shows" });
    await switcher.getByRole("button", { name: "Agreement" }).click();
    await expect.poll(() => page.locator(".lab-stage svg .made").count()).toBe(1);
    expect(await page.locator("svg.netview").count()).toBe(0);
    // The band spans the two halves' totals while the network is split.
    expect(await page.locator(".lab-stage svg").getAttribute("aria-label")).toMatch(/report 3 to 5/);
    await switcher.getByRole("button", { name: "Both" }).click();
    await expect.poll(() => page.locator("svg.netview").count()).toBe(1);
    expect(await page.locator(".lab-stage svg .band").count()).toBe(1);
    // Dragging in the network view still records a move while the stage is shown.
    const node = (await page.locator('svg [data-node-id="n5"] .body').boundingBox())!;
    const net = (await page.locator("svg.netview").boundingBox())!;
    await page.mouse.move(node.x + node.width / 2, node.y + node.height / 2);
    await page.mouse.down();
    await page.mouse.move(net.x + 8, net.y + net.height - 8, { steps: 10 });
    await page.mouse.up();
    await expect.poll(() => page.evaluate(() => window.splitbrain!.scenario()!.timeline.some((a) => a.do === "move"))).toBe(true);
    await switcher.getByRole("button", { name: "Network" }).click();
    await expect.poll(() => page.locator(".lab-stage").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  test("a violation appears in the checks panel while the run plays", async () => {
    const { page, problems } = await open("#/raft/figure-8");
    await page.evaluate(() => window.splitbrain!.speed(1));
    const alert = page.locator(".violations[role=alert]");
    await expect.poll(() => alert.count(), { timeout: 30_000 }).toBe(1);
    // Found live: the run is still playing, before its script's end.
    const state = await page.evaluate(() => ({ playing: window.splitbrain!.playing(), time: window.splitbrain!.time(), until: window.splitbrain!.scenario()!.until }));
    expect(state.playing).toBe(true);
    expect(state.time).toBeLessThan(state.until);
    expect(await alert.locator(":scope > ul > li").first().textContent()).toMatch(/A committed entry is in the log of every later leader|No two servers apply different entries/);
    // Seeking back before it makes it go away; forward again brings it back.
    await page.evaluate(() => window.splitbrain!.seek(500));
    await expect.poll(() => alert.count()).toBe(0);
    await page.evaluate((t) => window.splitbrain!.seek(t), state.until);
    await expect.poll(() => alert.locator(":scope > ul > li").count()).toBe(2);
    expect(problems).toEqual([]);
  });
});
