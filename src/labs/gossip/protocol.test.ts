import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { simulate } from "../../sim/testing.ts";
import type { Ctx, Effect, Rng } from "../../sim/types.ts";
import { gossipLab } from "./index.ts";
import { gossip, total, type GossipMsg, type GossipState } from "./protocol.ts";

/** The lab's params as a scenario's load fills them in. */
const params = (given: Record<string, unknown> = {}) => v.parse(gossipLab.params, given);

/** A random stream that answers from a script and records what it was asked. */
function scriptedRng(answers: { int?: number; range?: number } = {}) {
  const asked: string[] = [];
  const rng: Rng = {
    next: () => 0.5,
    int: (lo, hi) => (asked.push(`int(${lo}, ${hi})`), answers.int ?? lo),
    range: (lo, hi) => (asked.push(`range(${lo}, ${hi})`), answers.range ?? lo),
  };
  return { rng, asked };
}

function ctxOf(over: Partial<Ctx> = {}): Ctx {
  return { self: "n1", peers: ["n2", "n3"], roles: {}, now: 0, rng: scriptedRng().rng, params: params(), ...over } as Ctx;
}

const state = (counts: Record<string, number>, self = "n1"): GossipState => ({ self, counts });
const msg = (counts: Record<string, number>): GossipMsg => ({ type: "gossip", counts });

describe("a gossip node starting", () => {
  it("starts fresh at zero, reports it, and sets its first gossip timer at a random point in the first interval", () => {
    const { rng, asked } = scriptedRng({ range: 123.5 });
    const s = gossip.init(ctxOf({ rng, params: params({ interval: 500 }) }));
    expect(s.state).toEqual({ self: "n1", counts: { n1: 0 } });
    expect(s.effects).toEqual([
      { type: "observe", kind: "value", data: { total: 0 } },
      { type: "setTimer", name: "gossip", after: 123.5 },
    ]);
    expect(asked).toEqual(["range(0, 500)"]);
  });

  it("gossips every 200 ms when the scenario gives no interval (the lab's params fill it in)", () => {
    expect(params()).toEqual({ interval: 200 });
    const { rng, asked } = scriptedRng();
    gossip.init(ctxOf({ rng, params: params() }));
    expect(asked).toEqual(["range(0, 200)"]);
    expect(gossip.onTimer(state({ n1: 0 }), "gossip", ctxOf({ params: params() })).effects[0]).toEqual({ type: "setTimer", name: "gossip", after: 200 });
  });

  it("restarts from the count it persisted, its own increments only: what it learnt from others comes back by gossip", () => {
    expect(gossip.persist!(state({ n1: 3, n2: 5, n3: 1 }), ctxOf())).toBe(3);
    const s = gossip.init(ctxOf(), 3);
    expect(s.state).toEqual({ self: "n1", counts: { n1: 3 } });
    expect(s.effects[0]).toEqual({ type: "observe", kind: "value", data: { total: 3 } });
  });

  it("starts from zero when what it persisted is not a count", () => {
    for (const persisted of [undefined, null, "3", { n1: 3 }]) expect(gossip.init(ctxOf(), persisted).state.counts).toEqual({ n1: 0 });
  });
});

describe("a gossip node counting", () => {
  it("adds one for `inc`, reporting the new total and narrating it", () => {
    const s = gossip.onCommand(state({ n1: 2, n2: 5 }), "inc", ctxOf());
    expect(s.state.counts).toEqual({ n1: 3, n2: 5 });
    expect(s.effects).toEqual([
      { type: "observe", kind: "value", data: { total: 8 } },
      { type: "note", text: "n1 counted 1; it now sees 8" },
    ]);
  });

  it("adds n for {inc: n}, whole and not negative", () => {
    const after = (cmd: unknown) => gossip.onCommand(state({ n1: 10 }), cmd as never, ctxOf()).state.counts.n1;
    expect([after({ inc: 3 }), after({ inc: 2.9 }), after({ inc: -4 }), after({ inc: "x" }), after({ inc: "2" })]).toEqual([13, 12, 10, 10, 12]);
  });

  it("counts only under its own id, starting from zero if it has none", () => {
    expect(gossip.onCommand(state({ n2: 4 }, "n7"), "inc", ctxOf({ self: "n7" })).state.counts).toEqual({ n2: 4, n7: 1 });
  });

  it("does not change the state it was given", () => {
    const before = state({ n1: 1 });
    gossip.onCommand(before, "inc", ctxOf());
    gossip.onMessage(before, "n2", msg({ n2: 9 }), ctxOf());
    expect(before).toEqual(state({ n1: 1 }));
  });
});

describe("a gossip node merging", () => {
  it("takes the larger count for each node, and learns nodes it had not heard of", () => {
    const s = gossip.onMessage(state({ n1: 2, n2: 5 }), "n2", msg({ n1: 1, n2: 7, n3: 4 }), ctxOf());
    expect(s.state.counts).toEqual({ n1: 2, n2: 7, n3: 4 });
    expect(s.effects).toEqual([
      { type: "observe", kind: "value", data: { total: 13 } },
      { type: "note", text: "n2's gossip raised the total to 13" },
    ]);
  });

  it("ignores gossip that teaches it nothing: same state, no report", () => {
    const before = state({ n1: 2, n2: 5 });
    for (const counts of [{}, { n1: 2 }, { n1: 1, n2: 5 }] as Record<string, number>[]) {
      const s = gossip.onMessage(before, "n2", msg(counts), ctxOf());
      expect(s.state).toBe(before);
      expect(s.effects).toEqual([]);
    }
  });

  it("merges to the same counts whatever the order, grouping or repetition of the messages", () => {
    const counts = fc.dictionary(fc.constantFrom("n1", "n2", "n3", "n4"), fc.nat(20));
    fc.assert(
      fc.property(counts, fc.array(counts, { maxLength: 6 }), fc.nat(), (start, received, k) => {
        const merge = (from: Record<string, number>, msgs: Record<string, number>[]) =>
          msgs.reduce((s, m) => gossip.onMessage(s, "n2", msg(m), ctxOf()).state, state(from)).counts;
        const once = merge(start, received);
        // What a by-hand max per node gives (a node it has no count for counts 0).
        const want: Record<string, number> = { ...start };
        for (const m of received) for (const [n, v] of Object.entries(m)) if (v > (want[n] ?? 0)) want[n] = v;
        expect(once).toEqual(want);
        // Reordered, with one message delivered twice.
        const shuffled = [...received].reverse();
        if (received.length > 0) shuffled.splice(k % received.length, 0, received[k % received.length]!);
        expect(merge(start, shuffled)).toEqual(once);
        // Merging the merged vector again changes nothing.
        expect(merge(once, [once])).toEqual(once);
      }),
    );
  });
});

describe("the gossip timer", () => {
  it("sends the whole vector to the peer the random stream picks, and sets the next round `interval` ms on", () => {
    const { rng, asked } = scriptedRng({ int: 2 });
    const s0 = state({ n1: 1, n2: 2 });
    const s = gossip.onTimer(s0, "gossip", ctxOf({ rng, peers: ["n2", "n3", "n4"], params: params({ interval: 350 }) }));
    expect(s.state).toBe(s0);
    expect(asked).toEqual(["int(0, 2)"]);
    expect(s.effects).toEqual<Effect[]>([
      { type: "setTimer", name: "gossip", after: 350 },
      { type: "send", to: "n4", msg: { type: "gossip", counts: { n1: 1, n2: 2 } } },
    ]);
  });

  it("only sets the next round when the node is alone", () => {
    expect(gossip.onTimer(state({ n1: 1 }), "gossip", ctxOf({ peers: [] })).effects).toEqual([{ type: "setTimer", name: "gossip", after: 200 }]);
  });

  it("fires every `interval` ms of a run, each round sending one message to a peer", () => {
    const r = simulate(gossip, { lab: "gossip", nodes: 4, seed: 9 }, params({ interval: 300 })).run(6_000);
    for (const id of ["n1", "n2", "n3", "n4"]) {
      const timers = r.of("timer").filter((e) => e.node === id);
      expect(timers.length, id).toBeGreaterThanOrEqual(19);
      expect(timers[0]!.t, id).toBeLessThan(300);
      for (let k = 1; k < timers.length; k++) expect(timers[k]!.t - timers[k - 1]!.t, `${id} round ${k}`).toBeCloseTo(300, 9);
      const sends = r.of("send").filter((e) => e.from === id);
      expect(sends.map((e) => e.t)).toEqual(timers.map((e) => e.t));
      expect(new Set(sends.map((e) => e.to)).has(id)).toBe(false);
    }
  });

  it("follows a change of `interval` made during the run from the next round on", () => {
    const r = simulate(gossip, { lab: "gossip", nodes: 2 }, params({ interval: 100 })).set(1_000, "params.interval", 400).run(4_000);
    const times = r.of("timer").filter((e) => e.node === "n1").map((e) => e.t);
    const gaps = times.slice(1).map((t, k) => Math.round(t - times[k]!));
    expect(gaps.filter((g) => g === 100).length).toBeGreaterThanOrEqual(8);
    expect(gaps.slice(-5)).toEqual([400, 400, 400, 400, 400]);
  });
});

describe("the gossip view", () => {
  it("shows the node up, its total and the counts it holds", () => {
    expect(gossip.view(state({ n1: 2, n3: 5 }))).toEqual({ status: "up", total: 7, counts: { n1: 2, n3: 5 } });
    expect(gossip.messageKind!(msg({}))).toBe("gossip");
    expect(total({})).toBe(0);
  });
});

describe("gossip in a run", () => {
  it("spreads every increment to every node on a clean network", () => {
    const r = simulate(gossip, { lab: "gossip", nodes: 5, seed: 2 }, params()).command(100, "n1", "inc").command(200, "n3", { inc: 4 }).run(5_000);
    for (const v of r.views()) expect(v).toMatchObject({ total: 5, counts: { n1: 1, n3: 4 } });
  });

  it("restarts a crashed node from its own count, then gossip brings back the rest", () => {
    const h = simulate(gossip, { lab: "gossip", nodes: 3, seed: 4 }, params())
      .command(100, "n1", { inc: 3 })
      .command(100, "n2", { inc: 2 })
      .crash(2_000, "n1")
      .restart(2_500, "n1");
    expect(h.run(1_999).view("n1")).toMatchObject({ total: 5, counts: { n1: 3, n2: 2 } });
    // Back up, it holds its own count alone, and reports that first.
    expect(h.run(2_500).view("n1")).toEqual({ status: "up", total: 3, counts: { n1: 3 } });
    const r = h.run(6_000);
    const after = r.of("value").filter((e) => e.node === "n1" && e.t >= 2_500);
    expect(after[0]).toMatchObject({ t: 2_500, total: 3 });
    expect(r.view("n1")).toMatchObject({ total: 5, counts: { n1: 3, n2: 2 } });
  });
});
