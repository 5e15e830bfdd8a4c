// The Raft lab as a learner goes through it, in Debian's Chromium against the built site: wait
// for a leader, drag it away from the others, watch the majority elect a new one, send it a
// command from the panel and see it commit, heal, and watch the old leader step down.
//
// Playback is paused while the test works the mouse and the form, so the default scenario's
// few virtual seconds are spent on the protocol, not on the test's own round trips.

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, test } from "vitest";
import { checks } from "../../src/labs/raft/checks.ts";
import { labById } from "../../src/labs/index.ts";
import { encodeScenario } from "../../src/scenario/codec.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import type {} from "../../src/ui/api.ts";
import { launchBrowser, startSite, watchProblems, type Site } from "./harness.ts";

let browser: Browser | undefined;
let site: Site | undefined;
let context: BrowserContext | undefined;

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await site?.close();
});

const api = <T>(page: Page, f: () => T | Promise<T>): Promise<T> => page.evaluate(f);

interface RaftRow {
  id: string;
  x: number;
  y: number;
  group: number;
  view: { status: string; role?: string; term?: number; leader?: string | null; commitIndex?: number; log?: { term: number; cmd: { op: string } }[] };
}

const rows = (page: Page) => api(page, () => window.splitbrain!.nodes() as unknown as RaftRow[]);
const leaders = async (page: Page) => (await rows(page)).filter((n) => n.view.role === "leader");

/** Play until `f` holds (polling), then pause. */
async function playUntil<T>(page: Page, f: () => Promise<T>, ok: (v: T) => boolean, timeout = 20_000): Promise<T> {
  await api(page, () => window.splitbrain!.play());
  let last!: T;
  await expect.poll(async () => ok((last = await f())), { timeout, interval: 50 }).toBe(true);
  await api(page, () => window.splitbrain!.pause());
  return last;
}

async function openPage(hash: string): Promise<{ page: Page; problems: string[] }> {
  site ??= await startSite();
  browser ??= await launchBrowser();
  context ??= await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(site.url + hash);
  await page.waitForFunction(() => window.splitbrain !== undefined && window.splitbrain.nodes().length > 0, undefined, { timeout: 60_000 });
  return { page, problems };
}

describe("the Raft lab", () => {
  test("a leader cut off from the majority is replaced; the majority commits a command; on heal the old leader steps down", async () => {
    const { page, problems } = await openPage("#/raft");
    expect(await page.locator("h1").textContent()).toBe("Raft");
    await api(page, () => void window.splitbrain!.speed(1));

    // The first election: one node wins a majority.
    const [first] = await playUntil(page, () => leaders(page), (l) => l.length === 1);
    const old = first!;
    const oldTerm = old.view.term!;
    await expect.poll(() => page.locator(`svg [data-node-id="${old.id}"]`).getAttribute("data-tone")).toBe("leader");

    // Drag the leader to the corner farthest from everyone else: out of reach, it is alone.
    const others = (await rows(page)).filter((n) => n.id !== old.id);
    const corners = [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ] as const;
    const far = (c: readonly [number, number]) => Math.min(...others.map((n) => Math.hypot(n.x - c[0], n.y - c[1])));
    const [cx, cy] = corners.reduce((a, b) => (far(b) > far(a) ? b : a));
    // The narration keeps its newest line in view and may have scrolled the page to it.
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = (await page.locator(`svg [data-node-id="${old.id}"]`).boundingBox())!;
    const svg = (await page.locator("svg.netview").boundingBox())!;
    const to = { x: cx === 0 ? svg.x + 12 : svg.x + svg.width - 12, y: cy === 0 ? svg.y + 12 : svg.y + svg.height - 12 };
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(from.x + ((to.x - from.x) * k) / 10, from.y + ((to.y - from.y) * k) / 10);
    await page.mouse.up();
    await expect
      .poll(() => page.evaluate((id) => window.splitbrain!.scenario()!.timeline.some((a) => a.do === "move" && a.node === id), old.id))
      .toBe(true);
    await expect
      .poll(async () => {
        const now = await rows(page);
        const g = now.find((n) => n.id === old.id)!.group;
        return now.filter((n) => n.id !== old.id).every((n) => n.group !== g);
      })
      .toBe(true);

    // The majority stops hearing heartbeats; one of them times out and wins a higher term.
    // The old leader, alone, still believes it leads in its old term.
    const successor = (l: RaftRow[]) => l.find((n) => n.id !== old.id && n.view.term! > oldTerm);
    const after = await playUntil(page, () => leaders(page), (l) => successor(l) !== undefined);
    const next = successor(after)!;
    const newTerm = next.view.term!;
    expect((await rows(page)).find((n) => n.id === old.id)!.view).toMatchObject({ role: "leader", term: oldTerm });

    // Send a command through the panel to a node of the majority: a follower that knows the new
    // leader forwards it, or the new leader itself takes it.
    const majority = (await rows(page)).filter((n) => n.id !== old.id && n.view.status === "up");
    const target = majority.find((n) => n.view.role === "follower" && n.view.leader === next.id) ?? next;
    const op = "set x=42";
    const panel = page.locator(".lab-panel");
    await panel.getByLabel("Node", { exact: true }).selectOption(target.id);
    await panel.getByLabel("Command", { exact: true }).fill(op);
    await panel.getByRole("button", { name: "Submit" }).click();
    await expect
      .poll(() => api(page, () => window.splitbrain!.scenario()!.timeline.filter((a) => a.do === "command" && (a.cmd as { client?: string }).client === "learner")))
      .toEqual([expect.objectContaining({ do: "command", node: target.id, cmd: { client: "learner", seq: 1, op } })]);
    expect(await panel.getByLabel("Command", { exact: true }).inputValue()).toBe("");

    const committed = (n: RaftRow | undefined) => {
      const log = n?.view.log ?? [];
      const at = log.findIndex((e) => e.cmd.op === op);
      return at >= 0 && n!.view.commitIndex! >= at + 1;
    };
    await playUntil(
      page,
      () => rows(page),
      (r) => committed(r.find((n) => n.id === next.id)) && committed(r.find((n) => n.id === target.id)),
    );
    const entry = panel.locator(`ol[aria-label="${next.id}'s log"] li`, { hasText: op });
    await expect.poll(() => entry.getAttribute("class")).toContain("committed");
    expect(await entry.getAttribute("title")).toContain(op);
    // The old leader never got it: it is cut off.
    expect((await rows(page)).find((n) => n.id === old.id)!.view.log!.some((e) => e.cmd.op === op)).toBe(false);

    // Heal: the old leader hears the higher term, steps down and follows.
    await page.getByRole("button", { name: "Faults", exact: true }).click();
    await page.getByRole("button", { name: "Heal all" }).click();
    await expect.poll(() => api(page, () => window.splitbrain!.scenario()!.timeline.some((a) => a.do === "heal"))).toBe(true);
    const healed = await playUntil(
      page,
      () => rows(page),
      (r) => {
        const o = r.find((n) => n.id === old.id)!;
        return o.view.role === "follower" && o.view.term! >= newTerm;
      },
    );
    const top = Math.max(...healed.map((n) => n.view.term ?? 0));
    expect(healed.find((n) => n.id === old.id)!.view.term).toBe(top);
    await expect.poll(() => page.locator(`svg [data-node-id="${old.id}"]`).getAttribute("data-tone")).toBe("follower");
    await expect.poll(() => page.locator(".violations.ok").getByText("No property broken so far.").isVisible()).toBe(true);

    expect(problems).toEqual([]);
  });
  test("a switched-off rule shows its violations, each a button to its moment; the switches record rule changes", async () => {
    const { page, problems } = await openPage("#/raft/no-election-restriction");
    const until = await api(page, () => window.splitbrain!.scenario()!.until);
    await page.evaluate((t) => window.splitbrain!.seek(t), until);
    const panel = page.locator(".lab-panel");
    // The checks run here too, over the same events: the panel must list exactly what they find.
    const events = await api(page, () => window.splitbrain!.events());
    const scenario = (await api(page, () => window.splitbrain!.scenario()))!;
    const found = checks.flatMap((c) => c.run(events, scenario));
    expect(found.length).toBeGreaterThan(0);
    // The generic checks panel, beside the lab's own: live, the same checks the CLI runs.
    const alert = page.locator(".violations[role=alert]");
    const items = alert.locator(":scope > ul > li");
    await expect.poll(() => items.count()).toBe(found.length);
    expect(await items.first().textContent()).toContain(found[0]!.message);
    // Each lists the events that make it, by what happened where.
    expect(await items.first().locator(".evidence li").count()).toBe(found[0]!.events.length);
    await alert.getByRole("button", { name: /^show/ }).first().click();
    await expect.poll(() => api(page, () => window.splitbrain!.time())).toBe(found[0]!.t);

    // The election restriction is off in this scenario; its box says so. Switching another rule
    // off records the whole rules object, the others as they stand.
    const restriction = panel.getByRole("checkbox", { name: /Election restriction/ });
    expect(await restriction.isChecked()).toBe(false);
    await panel.getByRole("checkbox", { name: /Persist votedFor/ }).uncheck();
    await expect
      .poll(() => api(page, () => window.splitbrain!.scenario()!.timeline.filter((a) => a.do === "set")))
      .toEqual([expect.objectContaining({ path: "params.rules", value: { electionRestriction: false, currentTermCommit: true, persistVote: false } })]);
    await expect.poll(() => panel.getByRole("checkbox", { name: /Persist votedFor/ }).isChecked()).toBe(false);
    expect(problems).toEqual([]);
  });

  test("a reopened link continues the learner's command numbers, so a new command is not taken for a retry", async () => {
    const base = labById("raft")!.scenarios[0]!;
    const s: Scenario = { ...base, timeline: [...base.timeline, { t: 1500, do: "command", node: "n1", cmd: { client: "learner", seq: 1, op: "set a=1" } }] };
    const { page, problems } = await openPage(`#s=${encodeScenario(s)}`);
    await api(page, () => window.splitbrain!.seek(2000));
    const panel = page.locator(".lab-panel");
    await panel.getByLabel("Command", { exact: true }).fill("set b=2");
    await panel.getByLabel("Command", { exact: true }).press("Enter");
    await expect
      .poll(() => api(page, () => window.splitbrain!.scenario()!.timeline.flatMap((a) => (a.do === "command" && (a.cmd as { client?: string }).client === "learner" ? [a.cmd] : []))))
      .toEqual([
        { client: "learner", seq: 1, op: "set a=1" },
        { client: "learner", seq: 2, op: "set b=2" },
      ]);
    await api(page, () => window.splitbrain!.seek(3000));
    const kv = await api(page, () => window.splitbrain!.nodes().map((n) => n.view.kv as Record<string, string>));
    expect(kv.every((m) => m.a === "1" && m.b === "2")).toBe(true);
    expect(problems).toEqual([]);
  });
});
