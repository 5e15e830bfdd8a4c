// The engine in the browser: the built page runs the first lab's default scenario with one
// Web Worker per node, and its trace hash equals the one the in-process host computes here in
// Node — the determinism promise of DESIGN.md, checked across the worker boundary and the
// bundler.

import type { Browser, Page } from "playwright-core";
import * as v from "valibot";
import { afterAll, describe, expect, test } from "vitest";
import { labs } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import type {} from "../../src/ui/api.ts";
import { launchBrowser, startSite, watchProblems, type Site } from "./harness.ts";

const lab = labs[0]!;
const scenario = lab.scenarios[0]!;

// Started by the first test that needs them rather than in beforeAll: vitest reports the tests
// of a failing beforeAll as skipped, and a missing build or browser must count as failures.
let browser: Promise<Browser> | undefined;
const sites: Site[] = [];

afterAll(async () => {
  await (await browser?.catch(() => undefined))?.close();
  await Promise.all(sites.map((s) => s.close()));
});

async function site(base?: string): Promise<Site> {
  const s = await startSite(base);
  sites.push(s);
  return s;
}

/** Open the page and wait until its run has reached virtual time `t` (or reported an error). */
async function openAt(url: string, t: number): Promise<{ page: Page; problems: string[] }> {
  browser ??= launchBrowser();
  const page = await (await browser).newPage();
  const problems = watchProblems(page);
  try {
    await page.goto(url + `#/${lab.id}`);
    await page.waitForFunction(() => window.splitbrain !== undefined);
    // Fast-forward: the page opens in slow motion, for learners.
    await page.evaluate(() => window.splitbrain!.speed(20));
    await page.waitForFunction((t) => window.splitbrain!.time() >= t || window.splitbrain!.error() !== null, t, {
      timeout: 60_000,
    });
    const error = await page.evaluate(() => window.splitbrain!.error());
    if (error !== null) throw new Error(`the page shows an error: ${error}`);
  } catch (err) {
    await page.close();
    // A timeout alone says nothing; what the page reported (a 404, an uncaught error) does.
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nThe page reported:\n${problems.join("\n") || "(nothing)"}`);
  }
  return { page, problems };
}

describe("the built page runs the engine in Web Workers", () => {
  test("one worker per node, and virtual time advances", async () => {
    const { url } = await site();
    const { page, problems } = await openAt(url, 2001);
    try {
      const n = scenario.nodes.length;
      const api = await page.evaluate(() => ({
        labs: window.splitbrain!.labs(),
        scenario: window.splitbrain!.scenario(),
        host: window.splitbrain!.host(),
        workers: window.splitbrain!.workers(),
        nodes: window.splitbrain!.nodes(),
      }));
      expect(api.labs).toEqual(labs.map((l) => l.id));
      expect(api.scenario).toEqual(scenario);
      expect(api.host).toBe("worker");
      expect(api.workers).toBe(n);
      expect(api.nodes.map((node) => node.id)).toEqual(scenario.nodes.map((node) => node.id));
      expect(api.nodes.every((node) => node.status === "up")).toBe(true);
      // Counted from the browser's side too: the page's own counter could be wrong.
      await expect.poll(() => page.workers().length).toBe(n);
      expect(await page.locator("h1").textContent()).toBe(lab.title);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test("the trace hash equals the in-process host's for the same scenario", async () => {
    const reference = startInProcess({
      scenario,
      labId: lab.id,
      protocol: lab.protocol,
      params: v.parse(lab.params, scenario.params),
    });
    await reference.advance(scenario.until);
    const hash = reference.engine.trace.hash();
    const views = await reference.views();

    const { url } = await site();
    const { page, problems } = await openAt(url, scenario.until);
    try {
      // Play goes on past the script's end; the run at its end is what the CLI computes.
      expect(await page.evaluate((t) => window.splitbrain!.seek(t), scenario.until)).toBe(scenario.until);
      expect(await page.evaluate(() => window.splitbrain!.traceHash())).toBe(hash);
      const nodes = await page.evaluate(() => window.splitbrain!.nodes());
      expect(nodes.map((n) => n.view)).toEqual(views);
      // What the learner reads, not only what the API says.
      await expect.poll(() => page.getByTestId("trace-hash").textContent()).toBe(hash);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test("works from a sub-path of the host", async () => {
    const { url } = await site("/some/sub/path/");
    expect(url).toMatch(/\/some\/sub\/path\/$/);
    const { page, problems } = await openAt(url, 2001);
    try {
      expect(await page.evaluate(() => window.splitbrain!.workers())).toBe(scenario.nodes.length);
      await expect.poll(() => page.workers().length).toBe(scenario.nodes.length);
      for (const w of page.workers()) expect(w.url()).toContain("/some/sub/path/");
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
