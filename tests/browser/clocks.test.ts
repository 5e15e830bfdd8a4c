// The clocks lab as a learner uses it, in one page: the space-time diagram growing live, an
// event clicked and its causal past lit, the wall-clock view, a clock stepped back mid-run, a
// lesson step's "Try", the ShiViz download, and the live run against its own link.

import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { clocksLab } from "../../src/labs/clocks/index.ts";
import { readShiviz } from "../../src/labs/clocks/shiviz-reader.ts";
import { labKit } from "../../src/labs/testing.ts";
import type {} from "../../src/ui/api.ts";
import { browserSession, matchesLink, openPage } from "./harness.ts";

const session = browserSession();
const { gallery, play } = labKit(clocksLab);

const time = (page: Page) => page.evaluate(() => window.splitbrain!.time());

/** The diagram's geometry (stage.tsx): where an event at true time t on lane k is drawn, in viewBox units. */
const W = 800;
const PAD_LEFT = 40;
const PAD_RIGHT = 16;
const PAD_TOP = 18;

describe("the clocks lab in the page", () => {
  test("the diagram grows live; a clicked event lights its causal past and future; the wall-clock view; a clock stepped back; the run equals its link", async () => {
    const { page, problems } = await openPage(session, "#/clocks/causality");
    // The lab opens on its own stage.
    await expect.poll(() => page.getByRole("button", { name: "Space-time" }).getAttribute("aria-pressed")).toBe("true");
    const diagram = page.locator(".clocks-stage svg[role=img]");
    await page.evaluate(() => window.splitbrain!.speed(1));
    await expect.poll(() => time(page), { timeout: 40_000 }).toBeGreaterThan(2_500);
    await page.evaluate(() => window.splitbrain!.pause());
    const count = async () => Number(/(\d+) events/.exec((await diagram.getAttribute("aria-label"))!)![1]);
    expect(await count()).toBeGreaterThan(10);

    // Click n2's first send where the diagram draws it.
    const send = await page.evaluate(() => window.splitbrain!.events("clock").find((e) => e.node === "n2" && e.event === "send")!);
    const box = (await diagram.boundingBox())!;
    const viewH = Number((await diagram.getAttribute("viewBox"))!.split(" ")[3]);
    const lane = 130; // three nodes: the widest lane gap
    const vx = PAD_LEFT + (send.t / 15_000) * (W - PAD_LEFT - PAD_RIGHT);
    const vy = PAD_TOP + lane * 1;
    await page.mouse.click(box.x + (vx / W) * box.width, box.y + (vy / viewH) * box.height);
    const picked = page.getByRole("region", { name: "The selected event" });
    await expect.poll(() => picked.locator("h3").textContent()).toBe(`n2 sending ${send.id} to ${(send.to as unknown as string[]).join(", ")}`);
    expect(await picked.textContent()).toContain("Lamport1");
    expect(await page.locator(".clocks-stage path.ev.past, .clocks-stage path.ev.future").count()).toBeGreaterThan(0);
    expect(await page.locator(".clocks-stage path.ev.dim").count()).toBeGreaterThan(0);
    // A second event compared with it: n1's first send, concurrent with it.
    const other = await page.evaluate(() => window.splitbrain!.events("clock").find((e) => e.node === "n1" && e.event === "send")!);
    const ox = PAD_LEFT + (other.t / 15_000) * (W - PAD_LEFT - PAD_RIGHT);
    // (The selection's details moved the diagram: measure it again.)
    const box2 = (await diagram.boundingBox())!;
    await page.mouse.click(box2.x + (ox / W) * box2.width, box2.y + (PAD_TOP / viewH) * box2.height);
    await expect.poll(() => picked.locator(".clocks-compare").textContent()).toMatch(/is concurrent with n1 writing n1:1/);
    expect(await picked.locator(".clocks-compare").textContent()).toContain("Lamport orders them anyway");
    // Keyboard and buttons move the selection along the run.
    await page.getByRole("button", { name: "Later event ▶" }).click();
    await expect.poll(() => picked.locator(".clocks-compare").count()).toBe(0);
    await page.getByRole("button", { name: "Clear the selection" }).click();
    await expect.poll(() => picked.count()).toBe(0);

    // The wall-clock view lays the same events out by each node's clock.
    await page.getByRole("button", { name: "Wall-clock view" }).click();
    await expect.poll(() => diagram.getAttribute("aria-label")).toMatch(/by each node's clock/);

    // Step n2's clock back while the run plays: the set lands on the timeline, and n2's clock
    // now reads behind true time, outside its interval.
    await page.evaluate(() => window.splitbrain!.play());
    await page.getByRole("button", { name: "Step n2 back 500 ms" }).click();
    await expect.poll(() => page.evaluate(() => window.splitbrain!.scenario()!.timeline.some((a) => a.do === "set" && a.path === "nodes.n2.clock.offset" && a.value === -500))).toBe(true);
    const row = page.locator(".clocks-table tbody tr", { hasText: "n2" });
    await expect.poll(() => row.textContent()).toContain("true time is outside");
    await page.getByRole("button", { name: "n3 writes" }).click();
    await expect.poll(() => page.evaluate(() => window.splitbrain!.scenario()!.timeline.some((a) => a.do === "command" && a.node === "n3"))).toBe(true);
    const before = await time(page);
    await expect.poll(() => time(page), { timeout: 40_000 }).toBeGreaterThan(before + 1_500);
    await page.evaluate(() => window.splitbrain!.pause());
    // The anomalies the step caused show on the counters; the live run is its link's.
    await matchesLink(page);
    expect(problems).toEqual([]);
  });

  test("the LWW step's Try orders the register by HLC, and the ShiViz download follows ShiViz's rules", async () => {
    const { page, problems } = await openPage(session, "#/clocks/lww");
    await page.getByRole("button", { name: "Order by HLC from 0 s and replay" }).click();
    await expect.poll(() => page.evaluate(() => window.splitbrain!.scenario()!.timeline[0])).toEqual({ t: 0, do: "set", path: "params.order", value: "hlc" });
    await page.evaluate(() => window.splitbrain!.seek(5_300));
    const registers = () => page.locator(".clocks-table tbody tr td:last-child").allTextContents();
    await expect.poll(registers).toEqual(["n2:2", "n2:2", "n2:2"]);
    // The whole run, exported.
    await page.evaluate(() => window.splitbrain!.seek(15_000));
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the run for ShiViz" }).click()]);
    const text = await readFile((await download.path())!, "utf8");
    // Read back as ShiViz reads a file: no problem, every clock event of the run one event.
    const read = readShiviz(text, "file");
    expect(read.problems).toEqual([]);
    expect(read.passedOver).toEqual([]);
    const hosts = new Set(read.events.map((e) => e.host));
    expect([...hosts].sort()).toEqual(["n1", "n2", "n3"]);
    const own = read.events.filter((e) => e.host === "n2").map((e) => e.clock.n2);
    expect(own).toEqual(own.map((_, i) => i + 1));
    expect(read.events.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  test("a selection does not carry over to another run as some other event", async () => {
    const { page, problems } = await openPage(session, "#/clocks/causality");
    await page.evaluate(() => window.splitbrain!.pause());
    await page.evaluate(() => window.splitbrain!.seek(6_000));
    // An event of this run whose seq, in the naive-hlc run, is a clock event of another node or time.
    const a = play(gallery("causality"), 6_000).of("clock");
    const b = new Map(play(gallery("naive-hlc"), 6_000).of("clock").map((e) => [e.seq, e]));
    const k = a.findIndex((e) => b.has(e.seq) && (b.get(e.seq)!.node !== e.node || b.get(e.seq)!.t !== e.t));
    expect(k).toBeGreaterThanOrEqual(0);
    const later = page.getByRole("button", { name: "Later event ▶" });
    for (let i = 0; i <= k; i++) await later.click();
    await expect.poll(() => page.getByRole("region", { name: "The selected event" }).locator("h3").textContent()).toContain(String(a[k]!.node));
    const picked = page.getByRole("region", { name: "The selected event" });
    await expect.poll(() => picked.count()).toBe(1);
    // Another lesson step, in the same page: a different run, with events of other times.
    await page.locator(".all-steps summary").click();
    await page.locator(".all-steps ol a").last().click();
    await expect.poll(() => page.evaluate(() => window.splitbrain!.scenario()?.name)).toBe("naive-hlc");
    await page.evaluate(() => window.splitbrain!.pause());
    await page.evaluate(() => window.splitbrain!.seek(6_000));
    await expect.poll(() => picked.count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
