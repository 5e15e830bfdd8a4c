// The gallery's outcomes: what each scenario shows (one leader, what commits where), and — with
// a rule switched off — that the checker sees the violation (so it is not blind), while the same
// scenario with all rules on is clean. A node is named only where the scenario singles it out
// (the leader it crashes or cuts off); which node wins an election is the seed's business, and
// the lesson tests pin the nodes the lesson's text names.

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { startInProcess } from "../../runtime/inprocess-host.ts";
import type { Scenario } from "../../scenario/types.ts";
import { raftLab } from "./index.ts";
import { scenarios } from "./scenarios.ts";

async function play(s: Scenario) {
  const run = startInProcess({ scenario: s, labId: "raft", protocol: raftLab.protocol, params: v.parse(raftLab.params, s.params) });
  await run.advance(s.until);
  const events = run.engine.trace.events;
  const violations = raftLab.checks.flatMap((c) => c.run(events, s));
  const views = await run.views();
  const leaders = events.filter((e) => e.kind === "role" && e.role === "leader").map((e) => `${e.node}@${e.term}`);
  return { views, violations, leaders: [...new Set(leaders)], events };
}

type Played = Awaited<ReturnType<typeof play>>;

const byName = (name: string) => scenarios.find((s) => s.name === name)!;
const rulesOn = (s: Scenario): Scenario => ({ ...s, params: { ...s.params, rules: {} } });

/**
 * At the end of the run there is exactly one leader, every node is in its term, and every
 * other node follows it. Returns its id and term. Which node wins depends on the seed's timeouts;
 * that one does is the point.
 */
function settledLeader(r: Played): { id: string; term: number } {
  const leaders = r.views.filter((n) => n.role === "leader");
  expect(leaders, "one leader at the end").toHaveLength(1);
  const id = String(leaders[0]!.leader);
  const term = Number(leaders[0]!.term);
  expect(r.leaders.at(-1), "the last leader elected is the one in charge").toBe(`${id}@${term}`);
  r.views.forEach((n, i) => {
    if (n === leaders[0]) return;
    expect(n, `node ${i + 1}`).toMatchObject({ role: "follower", term, leader: id });
  });
  return { id, term };
}

/** Ids of the nodes that were candidates in `term`. */
const candidatesIn = (r: Played, term: number) =>
  new Set(r.events.filter((e) => e.kind === "role" && e.role === "candidate" && e.term === term).map((e) => e.node));

/** The ops every node applied, in order, keyed by node. */
function appliedOps(r: Played): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of r.events) if (e.kind === "apply") (out[e.node!] ??= []).push((e.cmd as { op: string }).op);
  return out;
}

describe("the Raft gallery", () => {
  it("first-election: one node wins term 1, the rest follow it, and both commands commit everywhere", async () => {
    const r = await play(byName("first-election"));
    expect(r.leaders).toHaveLength(1);
    expect(settledLeader(r).term).toBe(1);
    for (const n of r.views) expect(n).toMatchObject({ commitIndex: 2, kv: { x: "3", y: "4" } });
    expect(Object.values(appliedOps(r))).toEqual(Array(5).fill(["set x=3", "set y=4"]));
    expect(r.violations).toEqual([]);
  });

  it("leader-crash: another node takes over the crashed leader n5 in a later term, and the returning n5 follows", async () => {
    const r = await play(byName("leader-crash"));
    // The scenario crashes n5 because n5 is the leader this seed elects.
    expect(r.leaders[0]).toBe("n5@1");
    expect(r.leaders).toHaveLength(2);
    const { id, term } = settledLeader(r);
    expect(id).not.toBe("n5");
    expect(term).toBeGreaterThan(1);
    expect(r.views[4]).toMatchObject({ role: "follower", term, leader: id });
    for (const n of r.views) expect(n).toMatchObject({ commitIndex: 3, kv: { x: "2", y: "3" } });
    expect(r.violations).toEqual([]);
  });

  it("split-vote: terms 1 and 2 each have several candidates and no leader, then one node wins a later term", async () => {
    const r = await play(byName("split-vote"));
    for (const term of [1, 2]) {
      expect(candidatesIn(r, term).size, `candidates in term ${term}`).toBeGreaterThanOrEqual(2);
      expect(r.leaders.filter((l) => l.endsWith(`@${term}`)), `leaders in term ${term}`).toEqual([]);
    }
    expect(r.leaders).toHaveLength(1);
    expect(settledLeader(r).term).toBeGreaterThan(2);
    expect(r.violations).toEqual([]);
  });

  it("isolated-leader: the minority's entry never commits and is overwritten on heal", async () => {
    const r = await play(byName("isolated-leader"));
    // The partition cuts n5 off because n5 is the leader this seed elects.
    expect(r.leaders[0]).toBe("n5@1");
    const { id, term } = settledLeader(r);
    expect(["n2", "n3", "n4"]).toContain(id);
    expect(term).toBeGreaterThan(1);
    expect(r.views[4]).toMatchObject({ role: "follower", term, leader: id });
    for (const n of r.views) expect(n).toMatchObject({ commitIndex: 2, kv: { x: "kept" } });
    for (const ops of Object.values(appliedOps(r))) expect(ops).toEqual(["set x=1", "set x=kept"]);
    // n5 took the command, n1 copied it; both drop it when the majority's entry arrives.
    expect(r.events.filter((e) => e.kind === "truncate").map((e) => e.node).sort()).toEqual(["n1", "n5"]);
    expect(r.violations).toEqual([]);
  });

  it("catch-up: the restarted n1 receives all ten entries", async () => {
    const r = await play(byName("catch-up"));
    for (const n of r.views) expect(n).toMatchObject({ commitIndex: 10 });
    expect((r.views[0]!.log as unknown[]).length).toBe(10);
    expect(r.violations).toEqual([]);
  });

  const broken: [string, string[]][] = [
    ["figure-8", ["leader-completeness", "state-machine-safety"]],
    ["no-election-restriction", ["leader-completeness", "state-machine-safety"]],
    ["forgotten-vote", ["election-safety"]],
  ];
  for (const [name, expected] of broken) {
    it(`${name}: with its rule off the checker finds ${expected.join(" and ")}; with every rule on, nothing`, async () => {
      const off = await play(byName(name));
      expect([...new Set(off.violations.map((x) => x.check))].sort()).toEqual(expected);
      for (const x of off.violations) expect(x.events.length).toBeGreaterThan(0);
      const on = await play(rulesOn(byName(name)));
      expect(on.violations).toEqual([]);
    });
  }
});
