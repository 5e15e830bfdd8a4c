// A learner's flow through one page, never reloading: every header link, lesson step and
// gallery link starts a run that plays; and every kind of action made through the page's own
// controls leaves a live run — played in the workers, not only seeked in the twin — whose
// trace hash equals a fresh in-process run of the page's own link.

import * as v from "valibot";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { labById, labs } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { decodeLink } from "../../src/scenario/codec.ts";
import type {} from "../../src/ui/api.ts";
import { browserSession, watchProblems } from "./harness.ts";

/** The hash of a trace with no events: what a run that never started shows. */
const EMPTY_TRACE = "e3b0c44298fc1c14";

const session = browserSession();

async function newPage(hash: string): Promise<{ page: Page; problems: string[] }> {
  const url = await session.url();
  const context = await session.context({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(url + hash);
  await page.waitForFunction(() => window.splitbrain !== undefined);
  return { page, problems };
}

const api = <T, A = undefined>(page: Page, f: (a: A) => T | Promise<T>, a?: A): Promise<T> =>
  page.evaluate(f as (a: unknown) => T | Promise<T>, a as unknown);

/** The run the page shows has started and plays: time moves, no node failed, the trace is not empty. */
async function expectRunning(page: Page, what: string): Promise<void> {
  const t0 = await api(page, () => window.splitbrain!.time());
  await expect
    .poll(() => api(page, () => window.splitbrain!.time()), { message: `${what}: time advances`, timeout: 20_000 })
    .toBeGreaterThan(t0 + 50);
  // A lab's first events may come a few hundred virtual ms in (the clocks lab's nodes act at
  // drawn moments): a live run shows them soon, a dead one never.
  await expect
    .poll(() => api(page, () => window.splitbrain!.traceHash()), { message: `${what}: events appear`, timeout: 20_000 })
    .not.toBe(EMPTY_TRACE);
  const state = await api(page, () => ({
    playing: window.splitbrain!.playing(),
    hash: window.splitbrain!.traceHash(),
    failed: window.splitbrain!.nodes().filter((n) => n.status === "failed" || n.view.status === "failed").map((n) => n.id),
    error: window.splitbrain!.error(),
  }));
  expect(state, what).toEqual({ playing: true, hash: expect.not.stringMatching(EMPTY_TRACE), failed: [], error: null });
}

/** Play the live run (in its workers) past `t`, pause, then show exactly `t`. */
async function playLiveTo(page: Page, t: number): Promise<void> {
  await api(page, () => {
    window.splitbrain!.speed(100);
    window.splitbrain!.play();
  });
  await expect.poll(() => api(page, () => window.splitbrain!.time()), { timeout: 30_000 }).toBeGreaterThanOrEqual(t);
  await api(page, () => window.splitbrain!.pause());
  await api(page, (to) => window.splitbrain!.seek(to), t);
}

/** The hash a fresh in-process run of the page's own link has at time t. */
async function linkHash(page: Page, t: number): Promise<string> {
  const link = await api(page, () => window.splitbrain!.link());
  const loaded = decodeLink(link, labs);
  if (!loaded.ok) throw new Error(`the page's link does not load: ${loaded.error}`);
  const lab = labById(loaded.scenario.lab)!;
  const run = startInProcess({ scenario: loaded.scenario, labId: lab.id, protocol: lab.protocol, params: v.parse(lab.params, loaded.params) });
  await run.advance(t);
  return run.engine.trace.hash();
}

describe("a learner moving through one page", () => {
  test("every header link, lesson step and gallery link starts a run that plays", async () => {
    const { page, problems } = await newPage("#/");
    await expect.poll(() => page.locator(".card").count()).toBe(labs.length);
    await api(page, () => window.splitbrain!.speed(1));
    let visited = 0;
    for (const lab of labs) {
      await page.locator("nav.labs a", { hasText: lab.title }).click();
      await expectRunning(page, `header link to ${lab.id}`);
      expect(await page.locator("h1").textContent()).toBe(lab.title);
      const all = page.locator(".all-steps");
      if ((await all.getAttribute("open")) === null) await all.locator("summary").click();
      for (const [k, step] of lab.lesson.entries()) {
        await all.locator("ol a").nth(k).click();
        await expect.poll(() => api(page, () => window.splitbrain!.scenario()?.name), { timeout: 20_000 }).toBe(step.scenario);
        await expectRunning(page, `${lab.id} lesson step ${k + 1}`);
        expect(await page.locator(".lesson h2").textContent()).toBe(step.title);
        visited++;
      }
      for (const [k, s] of lab.scenarios.entries()) {
        await all.locator(".gallery a").nth(k).click();
        await expect.poll(() => api(page, () => window.splitbrain!.scenario()?.name), { timeout: 20_000 }).toBe(s.name);
        await expectRunning(page, `${lab.id} gallery ${s.name}`);
        visited++;
      }
      // And the way a learner usually goes: next, next, … from the first step.
      await all.locator("ol a").first().click();
      for (let k = 1; k < lab.lesson.length; k++) {
        await page.locator('.step-nav a[rel="next"]').click();
        await expect.poll(() => api(page, () => window.splitbrain!.scenario()?.name), { timeout: 20_000 }).toBe(lab.lesson[k]!.scenario);
        await expectRunning(page, `${lab.id} next to step ${k + 1}`);
      }
    }
    // Home again through the brand, and a lab's lesson step straight from its card.
    await page.locator(".brand a").click();
    await expect.poll(() => page.locator(".card").count()).toBe(labs.length);
    const last = labs[labs.length - 1]!;
    await page.locator(".card", { hasText: last.title }).locator("ol a").last().click();
    await expect.poll(() => api(page, () => window.splitbrain!.scenario()?.name), { timeout: 20_000 }).toBe(last.lesson.at(-1)!.scenario);
    await expectRunning(page, "a lesson step from its home card");
    expect(visited).toBe(labs.reduce((n, l) => n + l.lesson.length + l.scenarios.length, 0));
    const lastStep = last.scenarios.find((s) => s.name === last.lesson.at(-1)!.scenario)!;
    // Only the open run's workers are alive: every closed run let go of its own.
    expect(await api(page, () => window.splitbrain!.workers())).toBe(lastStep.nodes.length);
    expect(problems).toEqual([]);
  });

  test("after each kind of action through the page's controls, the live run equals its link's", async () => {
    const { page, problems } = await newPage("#/raft/figure-8");
    const lab = labById("raft")!;
    const end = lab.scenarios.find((s) => s.name === "figure-8")!.until;
    await expect.poll(() => api(page, () => window.splitbrain!.nodes().length)).toBe(5);
    await api(page, () => window.splitbrain!.pause());
    const check = async (what: string) => {
      await playLiveTo(page, end);
      const hash = await api(page, () => window.splitbrain!.traceHash());
      expect(hash, what).toBe(await linkHash(page, end));
    };
    const timelineOf = () => api(page, () => window.splitbrain!.scenario()!.timeline);
    const panel = page.locator(".lab-panel");

    // The lesson's one-click fix: the rule back on from 0 s, replayed — no violation at all.
    await page.locator(".lesson button.fix").click();
    await check("the lesson's fix from 0 s");
    await expect.poll(() => page.locator(".violations.ok").getByText("No property broken so far.").count()).toBe(1);

    let t = 600;
    const at = async () => {
      await api(page, (to) => window.splitbrain!.seek(to), t);
      t += 450;
    };

    // A rule switch, stamped at the current time.
    await at();
    await panel.getByLabel("Commit by current-term entries only (§5.4.2)").click();
    await check("a rule switch");

    // Each slider, from the keyboard: one action when the learner settles, and its label follows.
    await page.getByRole("button", { name: "Faults", exact: true }).click();
    const sliders: [string, string, RegExp, string][] = [
      ["network.loss", ".palette .slider:nth-of-type(1) input", /^loss 10 %$/, ".palette .slider:nth-of-type(1) span"],
      ["network.latency", ".palette .slider:nth-of-type(2) input", /^latency \d+ ms$/, ".palette .slider:nth-of-type(2) span"],
      ["params.heartbeat", ".raft-timing .slider:nth-of-type(3) input", /^heartbeat every 60 ms$/, ".raft-timing .slider:nth-of-type(3) span"],
      ["params.electionTimeout", ".raft-timing .slider:nth-of-type(1) input", /^election timeout from 160 ms$/, ".raft-timing .slider:nth-of-type(1) span"],
    ];
    for (const [path, input, label, span] of sliders) {
      await at();
      const before = (await timelineOf()).length;
      await page.locator(input).focus();
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      await expect.poll(() => page.locator(span).textContent()).toMatch(label);
      await expect.poll(async () => (await timelineOf()).length, { message: path }).toBe(before + 1);
      expect((await timelineOf()).at(-1)).toMatchObject({ do: "set", path });
      await check(`the ${path} slider`);
    }

    // The toggles.
    for (const name of ["duplicate (20 %)", "reorder"]) {
      await at();
      await page.getByLabel(name).click();
      await check(`the ${name} toggle`);
    }

    // Crash and restart a selected node.
    await at();
    await page.locator('svg [data-node-id="n2"]').click();
    await page.getByRole("button", { name: "Crash n2" }).click();
    await check("a crash");
    await at();
    await page.getByRole("button", { name: "Restart n2" }).click();
    await check("a restart");

    // Drag a node away, then heal.
    await at();
    const node = (await page.locator('svg [data-node-id="n1"] .body').boundingBox())!;
    const svg = (await page.locator("svg.netview").boundingBox())!;
    await page.mouse.move(node.x + node.width / 2, node.y + node.height / 2);
    await page.mouse.down();
    await page.mouse.move(svg.x + svg.width * 0.6, svg.y + 10, { steps: 8 });
    await page.mouse.move(svg.x + svg.width - 5, svg.y + 5, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => (await timelineOf()).some((a) => a.do === "move")).toBe(true);
    await check("a drag");
    await at();
    await page.getByRole("button", { name: "Heal all" }).click();
    await check("heal all");

    // A command through the panel.
    await at();
    await panel.getByLabel("Node", { exact: true }).selectOption("n3");
    await panel.getByLabel("Command", { exact: true }).fill("set q=1");
    await panel.getByRole("button", { name: "Submit" }).click();
    await expect.poll(async () => (await timelineOf()).some((a) => a.do === "command" && JSON.stringify(a.cmd).includes("q=1"))).toBe(true);
    await check("a command");

    // Every action above is in the timeline, each once.
    const kinds = (await timelineOf()).map((a) => (a.do === "set" ? a.path : a.do));
    for (const k of ["params.rules", "network.loss", "network.latency", "params.heartbeat", "params.electionTimeout", "network.duplicate", "network.reorder", "crash", "restart", "move", "heal", "command"]) {
      expect(kinds, k).toContain(k);
    }
    expect(kinds.filter((k) => k === "network.loss")).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  test("acting in the past says what it replaced, and undo puts it back", async () => {
    const { page, problems } = await newPage("#/gossip");
    await expect.poll(() => api(page, () => window.splitbrain!.nodes().length)).toBeGreaterThan(0);
    await api(page, () => window.splitbrain!.pause());
    await api(page, () => window.splitbrain!.seek(3000));
    await api(page, () => window.splitbrain!.act({ do: "crash", node: "n2" }));
    await api(page, () => window.splitbrain!.seek(4000));
    await api(page, () => window.splitbrain!.act({ do: "restart", node: "n2" }));
    const withBoth = await api(page, () => window.splitbrain!.scenario()!.timeline);
    await api(page, () => window.splitbrain!.seek(1000));
    await api(page, () => window.splitbrain!.act({ do: "crash", node: "n3" }));
    await expect.poll(() => page.locator(".undo").textContent()).toContain("2 later actions replaced");
    expect((await api(page, () => window.splitbrain!.scenario()!.timeline)).filter((a) => a.do === "crash" || a.do === "restart")).toEqual([
      { do: "crash", node: "n3", t: 1000 },
    ]);
    await page.locator(".undo").getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => api(page, () => window.splitbrain!.scenario()!.timeline)).toEqual(withBoth);
    // The notice goes once the page has drawn the restored timeline (a frame later, on a busy machine).
    await expect.poll(() => page.locator(".undo").count()).toBe(0);
    await api(page, () => window.splitbrain!.seek(5000));
    expect(await api(page, () => window.splitbrain!.traceHash())).toBe(await linkHash(page, 5000));
    expect(problems).toEqual([]);
  });

  test("play goes on past the script's end, and the link records how far the learner got", async () => {
    const { page, problems } = await newPage("#/raft");
    const end = labById("raft")!.scenarios[0]!.until;
    await api(page, () => window.splitbrain!.speed(20));
    await expect.poll(() => api(page, () => window.splitbrain!.time()), { timeout: 30_000 }).toBeGreaterThan(end + 2000);
    expect(await api(page, () => window.splitbrain!.playing())).toBe(true);
    await expect.poll(() => page.getByTestId("past-script").count()).toBe(1);
    await api(page, () => window.splitbrain!.pause());
    const reached = await api(page, () => window.splitbrain!.time());
    const link = decodeLink(await api(page, () => window.splitbrain!.link()), labs);
    expect(link.ok && link.scenario.until).toBe(Math.ceil(reached));
    await api(page, (t) => window.splitbrain!.seek(t), end + 1500);
    expect(await api(page, () => window.splitbrain!.traceHash())).toBe(await linkHash(page, end + 1500));
    expect(problems).toEqual([]);
  });
});
