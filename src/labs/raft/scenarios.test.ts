// The gallery's outcomes, pinned: who leads, what commits, and — with a rule switched off —
// that the checker sees the violation (so it is not blind), while the same scenario with all
// rules on is clean.

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
  return { views, violations, leaders, events };
}

const byName = (name: string) => scenarios.find((s) => s.name === name)!;
const rulesOn = (s: Scenario): Scenario => ({ ...s, params: { ...s.params, rules: {} } });

describe("the Raft gallery", () => {
  it("first-election: n5 wins term 1 and both commands commit everywhere", async () => {
    const r = await play(byName("first-election"));
    expect(r.leaders).toEqual(["n5@1"]);
    for (const n of r.views) expect(n).toMatchObject({ commitIndex: 2, kv: { x: "3", y: "4" } });
    expect(r.violations).toEqual([]);
  });

  it("leader-crash: n1 takes over in term 3 and the returning n5 follows", async () => {
    const r = await play(byName("leader-crash"));
    expect(r.leaders).toEqual(["n5@1", "n1@3"]);
    for (const n of r.views) expect(n).toMatchObject({ term: 3, commitIndex: 3, kv: { x: "2", y: "3" } });
    expect(r.violations).toEqual([]);
  });

  it("split-vote: term 1 and 2 elect nobody, n1 wins term 3", async () => {
    const r = await play(byName("split-vote"));
    expect(r.leaders).toEqual(["n1@3"]);
    expect(r.events.filter((e) => e.kind === "role" && e.role === "candidate" && e.term === 1).length).toBeGreaterThanOrEqual(2);
  });

  it("isolated-leader: the minority's entry never commits and is overwritten on heal", async () => {
    const r = await play(byName("isolated-leader"));
    expect(r.leaders[0]).toBe("n5@1");
    expect(r.leaders.at(-1)).toBe("n3@9");
    for (const n of r.views) expect(n).toMatchObject({ role: n.role, commitIndex: 2, kv: { x: "kept" } });
    expect(r.views[4]).toMatchObject({ role: "follower", term: 9 });
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
