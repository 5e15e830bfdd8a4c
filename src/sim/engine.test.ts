import { describe, expect, it } from "vitest";
import { simulate } from "./testing.ts";
import { step, type Protocol } from "./types.ts";

// A probe node: every `period` ms it sends a numbered message to every peer and counts what
// it receives. `seen` is volatile; `boots` is declared persistent. Command "boom" throws.
interface Probe {
  sent: number;
  seen: number;
  boots: number;
  clock: number;
}
const probe: Protocol<Probe, { n: number }, string> = {
  init(ctx, persisted) {
    const boots = typeof persisted === "number" ? persisted + 1 : 1;
    return step({ sent: 0, seen: 0, boots, clock: ctx.now }, [{ type: "setTimer", name: "tick", after: Number(ctx.params.period ?? 10) }]);
  },
  onTimer(s, _name, ctx) {
    const effects: ReturnType<Protocol["onTimer"]>["effects"] = ctx.peers.map((to) => ({ type: "send" as const, to, msg: { n: s.sent } }));
    effects.push({ type: "setTimer", name: "tick", after: Number(ctx.params.period ?? 10) });
    return step({ ...s, sent: s.sent + 1, clock: ctx.now }, effects);
  },
  onMessage(s, _from, _msg, ctx) {
    return step({ ...s, seen: s.seen + 1, clock: ctx.now });
  },
  onCommand(s, cmd, ctx) {
    if (cmd === "boom") throw new Error("the probe was told to fail");
    if (cmd === "quiet") return step(s, [{ type: "cancelTimer", name: "tick" }]);
    return step({ ...s, clock: ctx.now }, [{ type: "note", text: `read ${ctx.now}` }]);
  },
  persist: (s) => s.boots,
  view: (s) => ({ status: "up", ...s }),
};

describe("the engine", () => {
  it("records every event in (t, seq) order", () => {
    const r = simulate(probe, { nodes: 4 }).run(500);
    const ev = r.events;
    expect(ev.length).toBeGreaterThan(100);
    ev.forEach((e, i) => {
      expect(e.seq).toBe(i);
      if (i > 0) expect(e.t).toBeGreaterThanOrEqual(ev[i - 1]!.t);
    });
  });

  it("gives the same trace hash for the same scenario, and another for another seed", () => {
    const a = simulate(probe, { nodes: 5, seed: 1, network: { latency: [5, 50] } }).run(2000).hash;
    const b = simulate(probe, { nodes: 5, seed: 1, network: { latency: [5, 50] } }).run(2000).hash;
    const c = simulate(probe, { nodes: 5, seed: 2, network: { latency: [5, 50] } }).run(2000).hash;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("gives each node its own random stream, untouched by adding a node", () => {
    // Each node draws at init and at every timer, at times it drew itself.
    const drawer: Protocol<null, never, never> = {
      init: (ctx) => step(null, [{ type: "observe", kind: "draw", data: { x: ctx.rng.next() } }, { type: "setTimer", name: "t", after: ctx.rng.int(1, 100) }]),
      onTimer: (s, _name, ctx) => step(s, [{ type: "observe", kind: "draw", data: { x: ctx.rng.next() } }, { type: "setTimer", name: "t", after: ctx.rng.int(1, 100) }]),
      onMessage: (s) => step(s),
      onCommand: (s) => step(s),
      view: () => ({ status: "up" }),
    };
    const draws = (nodes: number) => {
      const r = simulate(drawer, { nodes, seed: 5 }).run(1000);
      const by: Record<string, [number, unknown][]> = {};
      for (const e of r.of("draw")) (by[e.node!] ??= []).push([e.t, e.x]);
      return by;
    };
    const five = draws(5);
    const six = draws(6);
    expect(Object.keys(six)).toEqual(["n1", "n2", "n3", "n4", "n5", "n6"]);
    for (const id of ["n1", "n2", "n3", "n4", "n5"]) {
      expect(five[id]!.length, id).toBeGreaterThan(10);
      expect(six[id], id).toEqual(five[id]);
    }
    expect(new Set(Object.values(six).map((d) => d[0]![1])).size).toBe(6);
  });

  it("delivers each message within the link's latency bounds", () => {
    const r = simulate(probe, { nodes: 3, network: { latency: [20, 60], reorder: true } }).run(1000);
    const sentAt = new Map(r.of("send").map((e) => [e.id, e.t]));
    const lats = r.of("deliver").map((d) => d.t - sentAt.get(d.id)!);
    expect(lats.length).toBeGreaterThan(100);
    for (const lat of lats) {
      expect(lat).toBeGreaterThanOrEqual(20);
      expect(lat).toBeLessThanOrEqual(60);
    }
    // Spread over the range, not pinned to one end of it.
    expect(Math.max(...lats) - Math.min(...lats)).toBeGreaterThan(30);
  });

  it("uses a link's own latency where the scenario gives one", () => {
    const r = simulate(probe, { nodes: 3, network: { latency: [20, 20], links: [{ a: "n1", b: "n3", latency: [200, 200] }] } }).run(1000);
    const sentAt = new Map(r.of("send").map((e) => [e.id, e]));
    const seen = new Set<string>();
    for (const d of r.of("deliver")) {
      const pair = [d.from, d.to].sort().join("-");
      seen.add(pair);
      expect(d.t - sentAt.get(d.id)!.t).toBe(pair === "n1-n3" ? 200 : 20);
    }
    expect([...seen].sort()).toEqual(["n1-n2", "n1-n3", "n2-n3"]);
  });

  it("keeps each link FIFO unless reordering is on", () => {
    const order = (reorder: boolean) => {
      const r = simulate(probe, { nodes: 2, network: { latency: [1, 100], reorder } }).run(3000);
      const ns = r.of("deliver").filter((e) => e.from === "n1").map((e) => e.id!);
      return ns.some((id, i) => i > 0 && id < ns[i - 1]!);
    };
    expect(order(false)).toBe(false);
    expect(order(true)).toBe(true);
  });

  it("drops exactly the messages that cross a partition, and only while it lasts", () => {
    const r = simulate(probe, { nodes: 5, network: { latency: [10, 30] } })
      .partition(1000, [["n1", "n2"], ["n3", "n4", "n5"]])
      .heal(3000)
      .run(4000);
    const side = (id: string) => (id === "n1" || id === "n2" ? 0 : 1);
    const deliveredIds = new Set(r.of("deliver").map((e) => e.id));
    const dropped = new Map(r.of("drop").map((e) => [e.id, e]));
    for (const s of r.of("send")) {
      const crosses = side(s.from!) !== side(s.to!);
      // Sent inside the partition: cross-group messages drop, the rest arrive.
      if (s.t >= 1000 && s.t < 3000 - 30) {
        if (crosses) expect(dropped.get(s.id)?.reason, `message ${s.id} at ${s.t}`).toBe("partition");
        else expect(deliveredIds.has(s.id), `message ${s.id} at ${s.t} ${JSON.stringify(dropped.get(s.id))}`).toBe(true);
      }
      // Sent well before or after it (and not still in flight at the end): everything arrives.
      if (s.t < 1000 - 30 || (s.t >= 3000 && s.t < 4000 - 30)) expect(deliveredIds.has(s.id), `message ${s.id} at ${s.t} ${JSON.stringify(dropped.get(s.id))}`).toBe(true);
    }
    expect(r.of("partition")).toHaveLength(1);
    expect(r.of("heal")).toHaveLength(1);
  });

  it("loses about 30 % of messages at loss 0.3", () => {
    const r = simulate(probe, { nodes: 5, network: { loss: 0.3 } }).run(20_000);
    const sends = r.of("send").length;
    const lost = r.of("drop").filter((e) => e.reason === "loss").length;
    expect(sends).toBeGreaterThan(30_000);
    expect(lost / sends).toBeGreaterThan(0.28);
    expect(lost / sends).toBeLessThan(0.32);
  });

  it("delivers a duplicated message twice under one id", () => {
    const r = simulate(probe, { nodes: 3, network: { duplicate: 0.5 } }).run(2000);
    const perId = new Map<number, number>();
    for (const d of r.of("deliver")) perId.set(d.id!, (perId.get(d.id!) ?? 0) + 1);
    const twice = [...perId.values()].filter((c) => c === 2).length;
    expect(twice / perId.size).toBeGreaterThan(0.4);
    expect(twice / perId.size).toBeLessThan(0.6);
    expect(Math.max(...perId.values())).toBe(2);
    expect(r.of("deliver").length).toBe(perId.size + twice);
  });

  it("drops in-flight deliveries to a crashed node and keeps only its persistent state", () => {
    const r = simulate(probe, { nodes: 3, network: { latency: [50, 50] } }, { period: 10 })
      .crash(1000, "n2")
      .restart(2000, "n2")
      .run(2500);
    const inFlightAtCrash = r.of("send").filter((s) => s.to === "n2" && s.t > 950 && s.t < 1000);
    expect(inFlightAtCrash.length).toBeGreaterThan(0);
    for (const s of inFlightAtCrash) {
      const fate = r.events.find((e) => e.id === s.id && (e.kind === "drop" || e.kind === "deliver"))!;
      expect(fate.kind).toBe("drop");
      expect(fate.reason).toBe("crashed");
    }
    // Nothing happens at n2 while it is down.
    expect(r.events.filter((e) => e.t > 1000 && e.t < 2000 && (e.node === "n2" || (e.kind === "deliver" && e.to === "n2")))).toEqual([]);
    const n2 = r.view("n2") as unknown as Probe;
    expect(n2.boots).toBe(2); // persistent: survived
    expect(n2.sent).toBeLessThan(60); // volatile: started again from zero at 2000
  });

  it("marks a node whose handler throws as failed, and the run goes on", () => {
    const r = simulate(probe, { nodes: 3 }).command(500, "n1", "boom").run(2000);
    const fail = r.of("fail");
    expect(fail).toHaveLength(1);
    expect(fail[0]).toMatchObject({ t: 500, node: "n1", error: "Error: the probe was told to fail" });
    expect(r.view("n1").status).toBe("failed");
    expect(r.of("send").filter((e) => e.from === "n1" && e.t > 500)).toEqual([]);
    expect(r.of("send").filter((e) => e.from === "n2" && e.t > 1500).length).toBeGreaterThan(0);
    expect(r.of("drop").some((e) => e.to === "n1" && e.reason === "failed")).toBe(true);
  });

  it("stops a cancelled timer from firing", () => {
    const r = simulate(probe, { nodes: 2 }).command(1000, "n1", "quiet").run(2000);
    expect(r.of("timer").filter((e) => e.node === "n1" && e.t > 1000)).toEqual([]);
    expect(r.of("timer").filter((e) => e.node === "n2" && e.t > 1000).length).toBeGreaterThan(50);
  });

  it("lets a node read its own skewed clock: offset, drift, and a step backward", () => {
    const nodes = [
      { id: "a", x: 0.4, y: 0.5, clock: { offset: 100, drift: 0.01, step: { at: 1500, by: -300 } } },
      { id: "b", x: 0.6, y: 0.5 },
    ];
    const r = simulate(probe, { nodes }).command(1000, "a", "read").command(2000, "a", "read").command(2000, "b", "read").run(2500);
    expect(r.of("note").map((e) => e.text)).toEqual(["read 1110", "read 1820", "read 2000"]);
  });

  it("partitions nodes dragged out of reach, and heals when they come back", () => {
    const r = simulate(probe, { nodes: 3 })
      .move(1000, "n1", 0.02, 0.02)
      .move(2000, "n1", 0.5, 0.5)
      .run(3000);
    expect(r.of("partition").map((e) => e.groups)).toEqual([[["n1"], ["n2", "n3"]]]);
    expect(r.of("heal").map((e) => e.t)).toEqual([2000]);
    const cut = r.of("drop").filter((e) => e.reason === "partition");
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.every((e) => e.t >= 1000 && e.t < 2000)).toBe(true);
  });

  it("lays a scripted partition out so that positions and groups agree", () => {
    const r = simulate(probe, { nodes: 5 }).partition(100, [["n1", "n2"]]).run(200);
    expect(r.of("partition")[0]!.groups).toEqual([["n1", "n2"], ["n3", "n4", "n5"]]);
    const e = r.sim.engine;
    const d = (i: number, j: number) => Math.hypot(e.pos[i]!.x - e.pos[j]!.x, e.pos[i]!.y - e.pos[j]!.y);
    expect(d(0, 1)).toBeLessThanOrEqual(e.reach);
    for (const i of [0, 1]) for (const j of [2, 3, 4]) expect(d(i, j)).toBeGreaterThan(e.reach);
  });

  it("changes the network mid-run with `set`", () => {
    const r = simulate(probe, { nodes: 3 }).set(1000, "network.loss", 1).run(2000);
    const after = r.of("send").filter((e) => e.t > 1000);
    expect(after.length).toBeGreaterThan(0);
    const lost = new Set(r.of("drop").filter((e) => e.reason === "loss").map((e) => e.id));
    expect(after.every((e) => lost.has(e.id))).toBe(true);
  });

  it("restores a snapshot and replays to the same trace", () => {
    const h = simulate(probe, { nodes: 4, network: { loss: 0.1, duplicate: 0.1, reorder: true } }).crash(700, "n3").restart(1200, "n3");
    const full = h.run(3000);
    const r = h.run(1000);
    const snap = r.sim.snapshot();
    r.sim.runUntil(3000);
    expect(r.hash).toBe(full.hash);
    r.sim.restore(snap);
    expect(r.sim.engine.now).toBe(1000);
    r.sim.runUntil(3000);
    expect(r.hash).toBe(full.hash);
    expect(r.sim.engine.trace.length).toBe(full.sim.engine.trace.length);
  });

  it("takes actions added during a run exactly as a fresh run of the edited scenario would", () => {
    // The player records a learner's action at the current time: it restores a snapshot from
    // before that time, replaces the future of the timeline, and runs on.
    const h = simulate(probe, { nodes: 4 }, { period: 50 }).crash(300, "n2");
    const live = h.run(1000);
    const snap = (() => {
      const r = h.run(999);
      return r.sim.snapshot();
    })();
    const edited = [...h.scenario(3000).timeline, { t: 1000, do: "command" as const, node: "n1", cmd: "read" }, { t: 1000, do: "restart" as const, node: "n2" }];
    live.sim.restore(snap);
    live.sim.engine.setTimeline(edited);
    live.sim.runUntil(3000);
    const fresh = simulate(probe, { nodes: 4, timeline: edited }, { period: 50 }).run(3000);
    expect(live.hash).toBe(fresh.hash);
    expect(fresh.of("restart")).toHaveLength(1);
  });

  it("refuses to rewrite actions it has already applied", () => {
    const r = simulate(probe, { nodes: 2 }).crash(100, "n2").run(500);
    expect(() => r.sim.engine.setTimeline([])).toThrow(/already applied/);
  });
});
