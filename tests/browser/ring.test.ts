// The ring lab as a learner uses it, in one page: the ring as the stage, a server added live and
// the keys it takes streaming to it, the virtual-node slider, a partition with the sloppy quorum
// off and then on, a lesson step's "Try", and the live run against its own link.

import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import type {} from "../../src/ui/api.ts";
import { browserSession, matchesLink, openPage } from "./harness.ts";

const session = browserSession();

const open = (hash: string) => openPage(session, hash);

const time = (page: Page) => page.evaluate(() => window.splitbrain!.time());

describe("the ring lab in the page", () => {
  test("a server joins live: the moved-keys counter, keys travelling, the ring and the slider, and the run equals its link", async () => {
    const { page, problems } = await open("#/ring/join-leave");
    await page.getByRole("group", { name: "What the stage shows" }).getByRole("button", { name: "Both" }).click();
    const ring = page.locator(".ring-stage svg");
    await expect.poll(() => ring.getAttribute("aria-label")).toMatch(/5 servers, 150 virtual nodes each, 200 keys/);
    // Watch it live past the scripted join at 5 s: keys stream to s6 as messages in flight.
    await page.evaluate(() => window.splitbrain!.speed(1));
    await expect.poll(() => time(page), { timeout: 40_000 }).toBeGreaterThan(5_050);
    await page.evaluate(() => window.splitbrain!.pause());
    const moves = page.locator(".ring-moves li");
    await expect.poll(() => moves.first().textContent()).toBe("s6 joins: moved 30 of 200 keys (ideal 33)");
    const migrations = await page.evaluate(() => window.splitbrain!.events("send").filter((e) => (e.msg as { type: string }).type === "migrate" && e.to === "s6").length);
    expect(migrations).toBeGreaterThan(0);
    await expect.poll(() => ring.getAttribute("aria-label")).toMatch(/6 servers/);
    // The learner adds one more from the panel while it plays.
    await page.evaluate(() => window.splitbrain!.play());
    await page.getByRole("button", { name: "Add server s7" }).click();
    await expect.poll(() => page.locator('svg [data-node-id="s7"]').count()).toBe(1);
    await expect.poll(() => moves.count()).toBe(2);
    expect(await moves.nth(1).textContent()).toMatch(/^s7 joins: moved \d+ of 200 keys \(ideal 29\)$/);
    // Fewer virtual nodes from the keyboard: the ring redraws, the spread grows.
    await page.evaluate(() => window.splitbrain!.pause());
    const spreadOf = async () => Number(/spread ([\d.]+) %/.exec((await page.locator(".ring-load caption").last().textContent())!)![1]);
    const before = await spreadOf();
    const slider = page.getByRole("slider", { name: /virtual nodes a server/ });
    await slider.focus();
    await page.keyboard.press("Home");
    await expect.poll(() => page.evaluate(() => window.splitbrain!.scenario()!.timeline.some((a) => a.do === "set" && a.path === "params.vnodes" && a.value === 1)), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => ring.getAttribute("aria-label")).toMatch(/1 virtual node each/);
    expect(await spreadOf()).toBeGreaterThan(before);
    // Dragged with the pointer, the ring and the load table show the placement the thumb would
    // give before the learner lets go; letting go puts it on the timeline.
    const box = (await page.getByRole("slider", { name: /virtual nodes? a server/ }).boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await expect.poll(() => ring.getAttribute("aria-label")).toMatch(/ [2-9]\d\d virtual nodes each/);
    await expect.poll(() => page.locator(".ring-load caption").last().textContent()).toMatch(/let go to apply/);
    // (Paused, the new value takes the place of the keyboard's at the same time.)
    const chosen = () => page.evaluate(() => window.splitbrain!.scenario()!.timeline.filter((a) => a.do === "set" && a.path === "params.vnodes").map((a) => (a as { value: number }).value));
    expect(await chosen()).toEqual([1]);
    await page.mouse.up();
    await expect.poll(chosen, { timeout: 10_000 }).toEqual([expect.any(Number)]);
    expect((await chosen())[0]).toBeGreaterThan(200);
    await expect.poll(() => page.locator(".ring-load caption").last().textContent()).not.toMatch(/let go/);
    // The comparison of every strategy on these keys.
    await page.getByLabel("Compare every strategy on these keys").check();
    await expect.poll(() => page.locator(".ring-compare tbody tr").count()).toBe(6);
    expect(await page.locator(".ring-compare tbody tr").count()).toBe(6);
    // Played on live, the run is the one its link gives.
    await page.evaluate(() => window.splitbrain!.play());
    await expect.poll(() => time(page), { timeout: 40_000 }).toBeGreaterThan((await time(page)) + 800);
    await page.evaluate(() => window.splitbrain!.pause());
    await matchesLink(page);
    expect(problems).toEqual([]);
  });

  test("a partition refuses writes under a strict quorum; switched to sloppy, they land with hints", async () => {
    const { page, problems } = await open("#/ring/partition-strict");
    await page.evaluate(() => window.splitbrain!.speed(1));
    await expect.poll(() => time(page), { timeout: 40_000 }).toBeGreaterThan(6_500);
    await page.evaluate(() => window.splitbrain!.pause());
    const counter = (name: string) => page.locator(".ring-counters div", { hasText: name }).locator("dd");
    expect(Number(await counter("writes refused").textContent())).toBeGreaterThan(0);
    expect(await counter("stale reads").textContent()).toBe("0");
    // The learner turns the sloppy quorum on mid-partition: writes land on the servers c1 can
    // reach, kept with hints for their homes.
    const sloppy = page.getByLabel("sloppy (hinted handoff)");
    await sloppy.click();
    await expect.poll(() => sloppy.isChecked()).toBe(true);
    await page.evaluate(() => window.splitbrain!.play());
    await expect.poll(
      () => page.evaluate(() => window.splitbrain!.nodes().some((n) => n.view.status === "up" && Number(n.view.hinted) > 0)),
      { timeout: 40_000 },
    ).toBe(true);
    const refused = Number(await counter("writes refused").textContent());
    await expect.poll(() => time(page), { timeout: 40_000 }).toBeGreaterThan(11_000);
    await page.evaluate(() => window.splitbrain!.pause());
    expect(Number(await counter("writes refused").textContent())).toBeLessThanOrEqual(refused + 1);
    await matchesLink(page);
    expect(problems).toEqual([]);
  });

  test("a lesson step's Try replays the run with its change from 0 s", async () => {
    const { page, problems } = await open("#/ring/join-leave");
    await page.getByRole("button", { name: "One virtual node a server from 0 s and replay" }).click();
    await expect.poll(() => page.evaluate(() => window.splitbrain!.scenario()!.timeline[0])).toEqual({ t: 0, do: "set", path: "params.vnodes", value: 1 });
    await page.evaluate(() => window.splitbrain!.seek(20_000));
    await expect.poll(() => page.locator(".ring-load caption").last().textContent()).toMatch(/spread 87\.4 %/);
    await expect.poll(() => page.locator(".ring-moves li").nth(1).textContent()).toBe("s2 leaves: moved 86 of 200 keys (ideal 33)");
    expect(problems).toEqual([]);
  });
});
