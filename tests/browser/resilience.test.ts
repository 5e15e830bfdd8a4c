// The resilience lab as a learner uses it, in one page: the downstream taken down from the
// panel and the breaker opening, brought back and the breaker going half-open then closed;
// jitter switched on mid-run and the synchronized retries spreading out; the live run against
// its own link.

import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import type {} from "../../src/ui/api.ts";
import { browserSession, matchesLink, openPage } from "./harness.ts";

const session = browserSession();

const time = (page: Page) => page.evaluate(() => window.splitbrain!.time());
const breakerStates = (page: Page) => page.evaluate(() => window.splitbrain!.events("breaker").map((e) => String(e.to)));

describe("the resilience lab in the page", () => {
  test("the downstream down from the panel opens the breaker; recovered, it goes half-open, then closed; the run equals its link", async () => {
    // The slow-call scenario: no scripted outage, so every transition is the learner's doing.
    const { page, problems } = await openPage(session, "#/resilience/double-charge");
    await page.evaluate(() => window.splitbrain!.speed(2));
    await expect.poll(() => time(page), { timeout: 40_000 }).toBeGreaterThan(1_000);
    await page.getByRole("button", { name: "Take db down" }).click();
    await expect.poll(() => page.evaluate(() => window.splitbrain!.scenario()!.timeline.some((a) => a.do === "fail" && a.node === "db" && a.mode === "down"))).toBe(true);
    await expect.poll(() => breakerStates(page), { timeout: 40_000 }).toEqual(["open"]);
    // The stage says so.
    await expect.poll(() => page.locator(".res-breaker, [aria-label^=\"The front's circuit breaker\"]").first().textContent()).toMatch(/open/i);
    await page.getByRole("button", { name: "Recover", exact: true }).click();
    await expect.poll(async () => (await breakerStates(page)).slice(0, 3), { timeout: 60_000 }).toEqual(["open", "half-open", "closed"]);
    await page.evaluate(() => window.splitbrain!.pause());
    await matchesLink(page);
    expect(problems).toEqual([]);
  });

  test("jitter switched on mid-run spreads the synchronized retries", async () => {
    const { page, problems } = await openPage(session, "#/resilience/retry-storm");
    await page.evaluate(() => window.splitbrain!.speed(2));
    await expect.poll(() => time(page), { timeout: 40_000 }).toBeGreaterThan(2_000);
    await page.getByLabel("Backoff").selectOption("full-jitter");
    await expect.poll(() => page.evaluate(() => window.splitbrain!.scenario()!.timeline.some((a) => a.do === "set" && a.path === "params.backoff" && a.value === "full-jitter"))).toBe(true);
    await expect.poll(() => time(page), { timeout: 60_000 }).toBeGreaterThan(8_000);
    await page.evaluate(() => window.splitbrain!.pause());
    // Retries by 20 ms window: with exponential backoff alone all twelve land together (the
    // lesson pins it); jittered, they spread.
    const busiest = await page.evaluate(() => {
      const bins = new Map<number, number>();
      for (const e of window.splitbrain!.events("attempt")) if (Number(e.attempt) > 1) bins.set(Math.floor(e.t / 20), (bins.get(Math.floor(e.t / 20)) ?? 0) + 1);
      return Math.max(0, ...bins.values());
    });
    expect(busiest).toBeGreaterThan(0);
    expect(busiest).toBeLessThanOrEqual(5);
    await matchesLink(page);
    expect(problems).toEqual([]);
  });
});
