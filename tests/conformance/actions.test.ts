// Every kind of timeline action, on both hosts and through the page's player with its nodes in
// workers: a run edited mid-way (as a learner edits it) must equal a fresh in-process run of
// the edited scenario — the run its share link replays. The player path is the one the page
// takes: the seek twin replays the edit and hands its snapshot to the workers, so a `set` of a
// lab param must reach the workers with that snapshot.

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { labs, runConfig } from "../../src/labs/index.ts";
import type { Lab } from "../../src/labs/types.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { spawnNodeWorker } from "../../src/runtime/spawn-node.ts";
import { startInWorkers } from "../../src/runtime/worker-host.ts";
import type { Action, ActionAt, Scenario } from "../../src/scenario/types.ts";
import { Player } from "../../src/store/player.ts";

/** Per lab: a command its nodes understand, a param change that alters the run, and one of each of its own actions. */
const LAB_ACTIONS: Record<string, { cmd: unknown; param: [string, unknown]; field?: [string, unknown]; own?: ActionAt[] }> = {
  gossip: { cmd: { inc: 2 }, param: ["interval", 70], own: [{ do: "count-all", by: 3 }] },
  clocks: { cmd: "write", param: ["order", "hlc"] },
  resilience: {
    cmd: "op",
    param: ["idempotencyKeys", false],
    field: ["breaker.enabled", false],
    own: [{ do: "fail", node: "db", mode: "errors", errorRate: 0.7 }, { do: "recover", node: "db" }],
  },
  ring: { cmd: { drain: false }, param: ["sloppy", true], own: [{ do: "add-server", node: "s9" }, { do: "remove-server", node: "s2" }] },
  raft: {
    cmd: { client: "c9", seq: 1, op: "set z=9" },
    param: ["rules", { currentTermCommit: false, electionRestriction: false, persistVote: false }],
    // One field of a param object, the others kept.
    field: ["rules.persistVote", true],
  },
};

/** One of each action kind, at times spread over the run. */
function everyKind(lab: Lab, s: Scenario): ActionAt[] {
  const ids = s.nodes.map((n) => n.id);
  const extra = LAB_ACTIONS[lab.id];
  if (extra === undefined) throw new Error(`add the ${lab.id} lab to LAB_ACTIONS`);
  return [
    { do: "set", path: `params.${extra.param[0]}`, value: extra.param[1] },
    { do: "set", path: "network.loss", value: 0.2 },
    { do: "crash", node: ids[0]! },
    { do: "partition", groups: [[ids[1]!], ids.slice(2)] },
    { do: "command", node: ids[2]!, cmd: extra.cmd },
    { do: "restart", node: ids[0]! },
    { do: "heal" },
    { do: "move", node: ids[1]!, x: 0.97, y: 0.97 },
    { do: "set", path: "network.latency", value: [5, 40] },
    { do: "set", path: "network.duplicate", value: 0.1 },
    { do: "set", path: "network.reorder", value: true },
    { do: "command", node: ids[1]!, cmd: extra.cmd },
    // One node's clock, mid-run.
    { do: "set", path: `nodes.${ids[2]!}.clock.offset`, value: 250 },
    { do: "set", path: `nodes.${ids[3]!}.clock.drift`, value: 0.01 },
    ...(extra.field === undefined ? [] : [{ do: "set" as const, path: `params.${extra.field[0]}`, value: extra.field[1] }]),
    ...(extra.own ?? []),
  ];
}

const UNTIL = 7_000;
const STEP = 400;

async function freshHash(lab: Lab, s: Scenario, t: number): Promise<string> {
  const run = startInProcess(runConfig(s, v.parse(lab.params, s.params)));
  await run.advance(t);
  return run.engine.trace.hash();
}

for (const lab of labs) {
  describe(`every action kind in the ${lab.id} lab`, () => {
    it("has one of each of the lab's own actions in the test", () => {
      expect((LAB_ACTIONS[lab.id]?.own ?? []).map((a) => a.do).sort()).toEqual((lab.actions ?? []).map((k) => k.do).sort());
    });

    const base: Scenario = { ...lab.scenarios[0]!, until: UNTIL, timeline: [] };
    const stamped: Action[] = everyKind(lab, base).map((a, k) => ({ ...a, t: 300 + k * STEP }) as Action);
    const scripted: Scenario = { ...base, timeline: stamped };

    it("gives one trace hash scripted in-process and on the worker host", async () => {
      const cfg = runConfig(scripted, v.parse(lab.params, scripted.params));
      const a = startInProcess(cfg);
      await a.advance(UNTIL);
      const w = await startInWorkers(cfg, { spawn: spawnNodeWorker });
      try {
        await w.advance(UNTIL);
        for (const kind of ["set", "crash", "restart", "partition", "heal", "command", "move", ...(lab.actions ?? []).map((k) => k.traceAs ?? k.do)]) {
          expect(a.engine.trace.events.some((e) => e.kind === kind), kind).toBe(true);
        }
        expect(w.engine.trace.hash()).toBe(a.engine.trace.hash());
        expect(await w.views()).toEqual(await a.views());
      } finally {
        w.close();
      }
    });

    it("made live through the player with its nodes in workers, equals a fresh run of its link", async () => {
      const params = v.parse(lab.params, base.params);
      const p = await Player.start(lab, base, params, { startLive: (cfg) => startInWorkers(cfg, { spawn: spawnNodeWorker }) });
      try {
        for (const a of stamped) {
          await p.advanceTo(a.t);
          const { t: _, ...at } = a;
          await p.act(at as ActionAt);
        }
        await p.advanceTo(UNTIL);
        expect(p.scenario.timeline).toEqual(stamped);
        expect(p.trace.hash()).toBe(await freshHash(lab, p.scenario, UNTIL));
        expect(p.trace.hash()).toBe(await freshHash(lab, scripted, UNTIL));
      } finally {
        p.close();
      }
    });
  });
}
