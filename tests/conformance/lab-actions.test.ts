// A lab's own timeline actions: declared once (fields, what the engine does, the label), checked
// in links like the core ones, applied alike on both hosts and through the page's player, and
// named in the timeline in the lab's words. The gossip lab's `count-all` and the echo fixture's
// `add-client` (a join with a role, as the ring lab's `add-server` will be).

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { defineLab } from "../../src/labs/define.ts";
import { labById, labs, loadScenario, runConfig } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { spawnNodeWorker } from "../../src/runtime/spawn-node.ts";
import { startInWorkers } from "../../src/runtime/worker-host.ts";
import { defineAction } from "../../src/scenario/actions.ts";
import { decodeLink, linkFor } from "../../src/scenario/codec.ts";
import { parseScenario } from "../../src/scenario/schema.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { Player } from "../../src/store/player.ts";
import { marksOf } from "../../src/store/state.ts";
import { echoLab } from "../fixtures/echo-lab.ts";

const gossip = labById("gossip")!;
const WORKER_ENTRY = new URL("../fixtures/worker-entry.mjs", import.meta.url);

describe("the gossip lab's count-all", () => {
  const s: Scenario = {
    ...gossip.scenarios[0]!,
    until: 8_000,
    timeline: [
      { t: 500, do: "crash", node: "n4" },
      { t: 1_000, do: "count-all", by: 3 },
    ],
  };
  const params = v.parse(gossip.params, s.params);

  it("counts on every node that is up, recorded under its own name, alike on both hosts", async () => {
    const cfg = runConfig(s, params);
    const a = startInProcess(cfg);
    await a.advance(s.until);
    const ev = a.engine.trace.events;
    const at = ev.findIndex((e) => e.kind === "count-all");
    expect(ev[at]).toMatchObject({ t: 1_000, kind: "count-all", by: 3 });
    const commands = ev.filter((e) => e.kind === "command" && e.t === 1_000);
    expect(commands.map((e) => e.node)).toEqual(s.nodes.map((n) => n.id).filter((id) => id !== "n4"));
    expect(commands.every((e) => JSON.stringify(e.cmd) === JSON.stringify({ inc: 3 }))).toBe(true);
    expect(ev.indexOf(commands[0]!)).toBeGreaterThan(at);
    // The nodes that were up agree on 3 per counting node once gossip has spread it.
    const views = await a.views();
    const up = views.filter((x) => x.status === "up");
    expect(up.map((x) => x.total)).toEqual(up.map(() => 3 * commands.length));

    const w = await startInWorkers(cfg, { spawn: spawnNodeWorker });
    try {
      await w.advance(s.until);
      expect(w.engine.trace.hash()).toBe(a.engine.trace.hash());
      expect(await w.views()).toEqual(views);
    } finally {
      w.close();
    }
  });

  it("made by a learner through the player in workers, equals a fresh run of the link", async () => {
    const base: Scenario = { ...s, timeline: [] };
    const p = await Player.start(gossip, base, params, { startLive: (cfg) => startInWorkers(cfg, { spawn: spawnNodeWorker }) });
    try {
      await p.advanceTo(1_000);
      await p.act({ do: "count-all", by: 2 });
      await p.advanceTo(4_000);
      expect(p.scenario.timeline).toEqual([{ t: 1_000, do: "count-all", by: 2 }]);
      const fresh = startInProcess(runConfig(p.scenario, params));
      await fresh.advance(4_000);
      expect(p.trace.hash()).toBe(fresh.engine.trace.hash());
      // Seeking back before it and forward again makes the same run.
      await p.seek(500);
      await p.advanceTo(4_000);
      expect(p.trace.hash()).toBe(fresh.engine.trace.hash());
    } finally {
      p.close();
    }
  });

  it("survives a link, and its label is the lab's", () => {
    const back = decodeLink(linkFor(s), labs);
    expect(back.ok && back.scenario.timeline).toEqual(s.timeline);
    expect(marksOf(s, gossip).map((m) => m.label)).toEqual(["crash n4", "every node counts 3"]);
    // Its field's default is filled in as the scenario is read.
    const r = loadScenario({ ...s, timeline: [{ t: 10, do: "count-all" }] });
    expect(r.ok && r.scenario.timeline).toEqual([{ t: 10, do: "count-all", by: 1 }]);
  });
});

describe("a lab action that brings a node in with a role (echo's add-client)", () => {
  const base = echoLab.scenarios[0]!;
  const s: Scenario = {
    ...base,
    until: 3_000,
    timeline: [
      { t: 800, do: "add-client", node: "c7" },
      { t: 2_000, do: "crash", node: "c7" },
    ],
  };
  const cfg = { scenario: s, labId: echoLab.id, protocol: echoLab.protocol, params: v.parse(echoLab.params, s.params), actions: echoLab.actions ?? [] };

  it("joins on both hosts with its own worker, and is answered by the server", async () => {
    const a = startInProcess(cfg);
    await a.advance(s.until);
    const ev = a.engine.trace.events;
    expect(ev.filter((e) => e.kind === "add-client" || e.kind === "add-node").map((e) => [e.kind, e.node, e.role])).toEqual([
      ["add-client", "c7", undefined],
      ["add-node", "c7", "client"],
    ]);
    expect(ev.some((e) => e.kind === "deliver" && e.to === "c7")).toBe(true);
    const w = await startInWorkers(cfg, { spawn: () => spawnNodeWorker(WORKER_ENTRY) });
    try {
      const before = w.workerCount;
      await w.advance(s.until);
      expect(w.workerCount).toBe(before + 1);
      expect(w.engine.trace.hash()).toBe(a.engine.trace.hash());
      expect(await w.views()).toEqual(await a.views());
    } finally {
      w.close();
    }
  });

  it("is checked in a link: its fields, the nodes it names, the node it brings in", () => {
    const read = (timeline: unknown[]) => parseScenario({ ...s, timeline }, [echoLab]);
    expect(read(s.timeline).ok).toBe(true);
    const bad = read([{ t: 5, do: "add-client", node: "server-2" }]);
    expect(bad.ok || bad.error).toMatch(/^The scenario is not valid: timeline\[0\]\.node /);
    // An id already in the run cannot join again.
    const dup = read([{ t: 5, do: "add-client", node: "c7" }, { t: 6, do: "add-client", node: "c7" }]);
    expect(dup.ok || dup.error).toBe('The scenario is not valid: timeline[1].node must be a new node id ("c7" is already in the run).');
    // A crash of the newcomer before it joined names a node not yet in the run.
    const early = read([{ t: 900, do: "add-client", node: "c7" }, { t: 100, do: "crash", node: "c7" }]);
    expect(early.ok || early.error).toMatch(/timeline\[1\]\.node must name one of the scenario's nodes \("c7" is not one\)/);
    // Another lab's action is no action here; the message lists this lab's.
    const other = read([{ t: 5, do: "count-all" }]);
    expect(other.ok || other.error).toBe(
      "The scenario is not valid: timeline[0].do must be one of partition, heal, crash, restart, set, command, move, add-node, remove-node, add-client.",
    );
  });
});

describe("defineLab refuses a lab action that would corrupt the trace", () => {
  const kind = (name: string, fields: v.ObjectEntries = {}) =>
    defineAction({ do: name, fields, apply: () => {}, label: () => name });
  const lab = (k: ReturnType<typeof kind>) => () => defineLab({ ...echoLab, id: "bad", actions: [k] } as Parameters<typeof defineLab>[0]);
  it("a core action's name, an engine event's name (unless recorded under another), a name with odd characters, a field every event has", () => {
    expect(lab(kind("crash"))).toThrow(/"crash" takes the name of a core action/);
    expect(lab(kind("deliver"))).toThrow(/would be recorded as "deliver", the name of a core action or trace event/);
    // Named as a trace event, it may still be: recorded under another name.
    expect(lab({ ...kind("fail"), traceAs: "fault" })).not.toThrow();
    expect(lab({ ...kind("fail"), traceAs: "drop" })).toThrow(/would be recorded as "drop"/);
    expect(lab(kind("Add Server"))).toThrow(/needs a name of a-z/);
    expect(lab(kind("mark", { seq: v.number() }))).toThrow(/has a field "seq"/);
    expect(lab(kind("add-server", { node: v.string() }))).not.toThrow();
  });
});
