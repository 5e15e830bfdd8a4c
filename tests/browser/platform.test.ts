// What the lab platform gives every lab, in the page: its own stage beside or instead of the
// network view (the gossip lab's agreement chart), and live checks — a violation appears in the
// generic panel while the run plays, not after it.

import * as v from "valibot";
import type { Page } from "playwright-core";
import { labById, labs } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { decodeLink } from "../../src/scenario/codec.ts";
import { describe, expect, test } from "vitest";
import type {} from "../../src/ui/api.ts";
import { browserSession, matchesLink, openPage } from "./harness.ts";

const session = browserSession();

const open = (hash: string) => openPage(session, hash);

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

  test("a node joins and another leaves mid-run: the newcomer gets its own worker, and the run equals its link's", async () => {
    const { page, problems } = await open("#/gossip");
    await page.evaluate(() => window.splitbrain!.pause());
    const before = await page.evaluate(() => window.splitbrain!.workers());
    await page.evaluate(() => window.splitbrain!.seek(1000));
    await page.evaluate(() => window.splitbrain!.act({ do: "add-node", node: "n8", x: 0.55, y: 0.42 }));
    await expect.poll(() => page.locator('svg [data-node-id="n8"]').count()).toBe(1);
    expect(await page.evaluate(() => window.splitbrain!.workers())).toBe(before + 1);
    await page.evaluate(() => window.splitbrain!.seek(2000));
    await page.evaluate(() => window.splitbrain!.act({ do: "remove-node", node: "n4" }));
    await expect.poll(() => page.locator('svg [data-node-id="n4"]').count()).toBe(0);
    // One node's clock, too: a per-node set from the page.
    await page.evaluate(() => window.splitbrain!.act({ do: "set", path: "nodes.n1.clock.offset", value: 400 }));
    // Played live on the workers to 6 s, then compared with a fresh run of the page's link.
    await page.evaluate(() => {
      window.splitbrain!.speed(20);
      window.splitbrain!.play();
    });
    await expect.poll(() => page.evaluate(() => window.splitbrain!.time()), { timeout: 30_000 }).toBeGreaterThan(6000);
    await page.evaluate(() => window.splitbrain!.pause());
    await page.evaluate(() => window.splitbrain!.seek(6000));
    const loaded = decodeLink(await page.evaluate(() => window.splitbrain!.link()), labs);
    if (!loaded.ok) throw new Error(loaded.error);
    const lab = labById("gossip")!;
    const run = startInProcess({ scenario: loaded.scenario, labId: lab.id, protocol: lab.protocol, params: v.parse(lab.params, loaded.params) });
    await run.advance(6000);
    expect(await page.evaluate(() => window.splitbrain!.traceHash())).toBe(run.engine.trace.hash());
    const totals = await page.evaluate(() => window.splitbrain!.nodes().map((n) => [n.id, n.view.total]));
    expect(totals.map(([id]) => id)).toEqual(["n1", "n2", "n3", "n5", "n8"]);
    expect(new Set(totals.map(([, t]) => t)).size).toBe(1);
    expect(problems).toEqual([]);
  });

  test("a lab's own action, made from its panel while the run plays, is named in the timeline and the live run equals its link's", async () => {
    const { page, problems } = await open("#/gossip");
    await page.evaluate(() => window.splitbrain!.speed(2));
    await expect.poll(() => page.evaluate(() => window.splitbrain!.time()), { timeout: 30_000 }).toBeGreaterThan(1500);
    const totalsBefore = await page.evaluate(() => window.splitbrain!.nodes().map((n) => Number(n.view.total)));
    await page.getByRole("button", { name: "Every node counts 1" }).click();
    const countAll = () => page.evaluate(() => window.splitbrain!.scenario()!.timeline.filter((a) => a.do === "count-all"));
    await expect.poll(async () => (await countAll()).length).toBe(1);
    const made = await countAll();
    expect(made).toEqual([{ t: expect.any(Number), do: "count-all", by: 1 }]);
    // The timeline marks it in the lab's words, and the narration says it as it happens.
    await expect.poll(() => page.locator(".timeline [aria-label*='every node counts 1'], .timeline [title*='every node counts 1']").count()).toBeGreaterThan(0);
    await page.getByRole("button", { name: "What happened" }).click();
    await expect.poll(() => page.locator(".narration .act", { hasText: "every node counts 1" }).count()).toBe(1);
    // Still playing, live (no seek): wait till gossip has spread it, then pause where it is.
    expect(await page.evaluate(() => window.splitbrain!.playing())).toBe(true);
    await expect.poll(() => page.evaluate(() => window.splitbrain!.time()), { timeout: 30_000 }).toBeGreaterThan(made[0]!.t + 3000);
    await page.evaluate(() => window.splitbrain!.pause());
    const run = await matchesLink(page);
    // Every node counted once more than the scripted increments would have given.
    const after = await page.evaluate(() => window.splitbrain!.nodes().map((n) => Number(n.view.total)));
    const views = await run.views();
    expect(after).toEqual(views.map((x) => Number(x.total)));
    expect(after.every((x) => x >= Math.max(...totalsBefore) + after.length)).toBe(true);
    expect(problems).toEqual([]);
  });
});
