// Nodes join and leave during a run: on both hosts (a joining node gets its own worker), through
// the page's player (seeking back before a join and forward again), in links, with roles.

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { labById, labs, runConfig } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { spawnNodeWorker } from "../../src/runtime/spawn-node.ts";
import { startInWorkers } from "../../src/runtime/worker-host.ts";
import { decodeLink, linkFor } from "../../src/scenario/codec.ts";
import type { Action, Scenario } from "../../src/scenario/types.ts";
import { Player } from "../../src/store/player.ts";
import { echoLab } from "../fixtures/echo-lab.ts";

const gossip = labById("gossip")!;
const base = gossip.scenarios[0]!;
const joins: Action[] = [
  { t: 1000, do: "add-node", node: "n9", x: 0.52, y: 0.5 },
  { t: 1500, do: "command", node: "n9", cmd: { inc: 4 } },
  { t: 2500, do: "remove-node", node: "n2" },
  { t: 3000, do: "crash", node: "n2" },
];
const s: Scenario = { ...base, until: 6_000, timeline: [...base.timeline, ...joins] };

describe("nodes joining and leaving", () => {
  it("give one trace on both hosts; the newcomer converges and the leaver is gone", async () => {
    const cfg = runConfig(s, v.parse(gossip.params, s.params));
    const a = startInProcess(cfg);
    await a.advance(s.until);
    const w = await startInWorkers(cfg, { spawn: spawnNodeWorker });
    try {
      await w.advance(s.until);
      expect(w.engine.trace.hash()).toBe(a.engine.trace.hash());
      const views = await w.views();
      expect(views).toEqual(await a.views());
      expect(w.engine.ids.at(-1)).toBe("n9");
      const n9 = views[w.engine.index.get("n9")!]!;
      const n1 = views[0]!;
      expect(n9.total).toBe(n1.total);
      expect(Number(n9.total)).toBeGreaterThanOrEqual(4);
      expect(views[1]).toEqual({ status: "removed" });
      const ev = a.engine.trace.events;
      expect(ev.filter((e) => e.kind === "add-node")).toEqual([expect.objectContaining({ t: 1000, node: "n9" })]);
      expect(ev.some((e) => e.kind === "crash" && e.node === "n2" && e.noop === true)).toBe(true);
      // Nobody sends to a node that left, once everyone knows.
      expect(ev.filter((e) => e.kind === "send" && e.to === "n2" && e.t > 2500)).toEqual([]);
    } finally {
      w.close();
    }
  });

  it("leave the checks judging only the nodes still in the run", async () => {
    // Quiet for long enough after the leave that convergence is judged: n2, gone, must not count.
    const long: Scenario = { ...s, until: 10_000, timeline: [...base.timeline, joins[0]!, joins[1]!, joins[2]!] };
    const params = v.parse(gossip.params, long.params);
    const a = startInProcess(runConfig(long, params));
    await a.advance(long.until);
    const convergence = gossip.checks.find((c) => c.id === "convergence")!;
    expect(convergence.run(a.engine.trace.events, long, params)).toEqual([]);
    // The others agree; the one that left is not among the running nodes.
    const views = await a.views();
    expect(views[1]).toEqual({ status: "removed" });
    expect(new Set(views.filter((x) => x.status === "up").map((x) => x.total)).size).toBe(1);
  });

  it("made live through the player on workers, and seeked back before the join and forward, equal a fresh run of the link", async () => {
    const plain: Scenario = { ...base, until: 6_000, timeline: base.timeline };
    const params = v.parse(gossip.params, plain.params);
    const p = await Player.start(gossip, plain, params, { startLive: (cfg) => startInWorkers(cfg, { spawn: spawnNodeWorker }) });
    try {
      await p.advanceTo(1200);
      await p.act({ do: "add-node", node: "n7", x: 0.3, y: 0.45 });
      await p.advanceTo(2600);
      await p.act({ do: "remove-node", node: "n3" });
      await p.advanceTo(4000);
      await p.seek(800); // before the join: the run has no n7
      expect(p.engine.ids).not.toContain("n7");
      await p.advanceTo(5000); // on the workers again, through the join
      const fresh = startInProcess(runConfig(p.linkScenario, params));
      await fresh.advance(5000);
      expect(p.trace.hash()).toBe(fresh.engine.trace.hash());
      expect(await p.views()).toEqual(await fresh.views());
    } finally {
      p.close();
    }
  });

  it("with roles: a client that joins finds the server and is answered", async () => {
    const e = echoLab.scenarios[0]!;
    const joined: Scenario = { ...e, timeline: [{ t: 500, do: "add-node", node: "c9", role: "client" }] };
    const cfg = { scenario: joined, labId: echoLab.id, protocol: echoLab.protocol, params: v.parse(echoLab.params, joined.params) };
    const a = startInProcess(cfg);
    await a.advance(joined.until);
    const w = await startInWorkers(cfg, { spawn: () => spawnNodeWorker(new URL("../fixtures/worker-entry.mjs", import.meta.url)) });
    try {
      await w.advance(joined.until);
      expect(w.engine.trace.hash()).toBe(a.engine.trace.hash());
      const c9 = (await w.views())[w.engine.index.get("c9")!]!;
      expect(c9).toMatchObject({ role: "client" });
      expect(Number(c9.got)).toBeGreaterThan(5);
    } finally {
      w.close();
    }
  });

  it("ride in links, and a node named before it joins, or twice, is refused in a sentence", () => {
    const back = decodeLink(linkFor(s), labs);
    expect(back.ok && back.scenario.timeline.filter((a) => a.do === "add-node" || a.do === "remove-node")).toEqual([joins[0], joins[2]]);
    const early = { ...s, timeline: [{ t: 500, do: "command", node: "n9", cmd: "inc" } as Action, ...joins] };
    expect(decodeLink(linkFor(early), labs)).toEqual({
      ok: false,
      error: 'The scenario is not valid: timeline[0].node must name one of the scenario\'s nodes ("n9" is not one).',
    });
    const twice = { ...s, timeline: [...joins, { t: 4000, do: "add-node", node: "n1" } as Action] };
    expect(decodeLink(linkFor(twice), labs)).toEqual({
      ok: false,
      error: 'The scenario is not valid: timeline[4].node must be a new node id ("n1" is already in the run).',
    });
  });
});
