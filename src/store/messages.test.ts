import { describe, expect, it } from "vitest";
import { simulate } from "../sim/testing.ts";
import { Trace, type TraceEvent } from "../sim/trace.ts";
import { step, type Protocol } from "../sim/types.ts";
import type { FlyingMessage } from "./frame.ts";
import { FlightIndex, fallMsOf, messagesAt, type FlightOptions } from "./messages.ts";

const kindOf = (msg: unknown) => String((msg as { type?: unknown } | undefined)?.type ?? "?");

/** A hand-written trace: events get their seq from their position, like the engine's. */
function trace(...events: Omit<TraceEvent, "seq">[]): TraceEvent[] {
  return events.map((e, seq) => ({ ...e, seq }) as TraceEvent);
}
const send = (t: number, id: number, arrive?: number[], from = "n1", to = "n2", type = "ping") =>
  arrive === undefined ? { t, kind: "send", from, to, id, msg: { type } } : { t, kind: "send", from, to, id, msg: { type }, arrive };
const deliver = (t: number, id: number, from = "n1", to = "n2") => ({ t, kind: "deliver", from, to, id });
const drop = (t: number, id: number, reason: string, from = "n1", to = "n2") => ({ t, kind: "drop", from, to, id, reason });

/** key → state at t, the shape most assertions need. */
function at(events: TraceEvent[], t: number, opts?: FlightOptions): Record<string, string> {
  return Object.fromEntries(new FlightIndex().update(events).at(t, kindOf, opts).map((m) => [m.key, m.state]));
}

describe("messagesAt", () => {
  it("draws a routed message as flying from its send until its arrival", () => {
    const ev = trace(send(10, 0, [60]), deliver(60, 0));
    expect(at(ev, 9.99)).toEqual({});
    expect(at(ev, 10)).toEqual({ "0": "flying" });
    expect(at(ev, 59.99)).toEqual({ "0": "flying" });
    const [m] = messagesAt(ev, 35, kindOf);
    expect(m).toEqual({ key: "0", id: 0, from: "n1", to: "n2", kind: "ping", sentAt: 10, arriveAt: 60, state: "flying", msg: { type: "ping" } });
  });

  it("stops drawing a delivered message the moment it arrives", () => {
    const ev = trace(send(10, 0, [60]), deliver(60, 0));
    expect(at(ev, 60)).toEqual({});
    expect(at(ev, 1000)).toEqual({});
  });

  it("drops a message lost at send straight into a 30 ms fall from the sender", () => {
    const ev = trace(send(10, 0), drop(10, 0, "loss"));
    expect(at(ev, 9.99)).toEqual({});
    const [m] = messagesAt(ev, 10, kindOf);
    expect(m).toMatchObject({ key: "0", state: "falling", sentAt: 10, arriveAt: 10, dropAt: 10, fallEnd: 40, reason: "loss" });
    expect(at(ev, 39.99)).toEqual({ "0": "falling" });
    expect(at(ev, 40)).toEqual({});
  });

  it("flies a message dropped on arrival at a crashed node until it arrives, then lets it fall for 40 % of its flight", () => {
    const ev = trace(send(0, 0, [100]), drop(100, 0, "crashed"));
    expect(at(ev, 99.99)).toEqual({ "0": "flying" });
    const [m] = messagesAt(ev, 100, kindOf);
    expect(m).toMatchObject({ state: "falling", dropAt: 100, fallEnd: 140, reason: "crashed" });
    expect(at(ev, 139.99)).toEqual({ "0": "falling" });
    expect(at(ev, 140)).toEqual({});
  });

  it("lets a message dropped on arrival by a partition fall, for at least 5 ms even after a short flight", () => {
    const ev = trace(send(0, 0, [2]), drop(2, 0, "partition"));
    expect(messagesAt(ev, 2, kindOf)[0]).toMatchObject({ state: "falling", reason: "partition", fallEnd: 7 });
    expect(at(ev, 6.99)).toEqual({ "0": "falling" });
    expect(at(ev, 7)).toEqual({});
  });

  it("takes a fixed fall time from fallMs, for both kinds of drop", () => {
    const ev = trace(send(0, 0, [100]), send(0, 1), drop(0, 1, "loss"), drop(100, 0, "failed"));
    expect(at(ev, 9.99, { fallMs: 10 })).toEqual({ "0": "flying", "1": "falling" });
    expect(at(ev, 10, { fallMs: 10 })).toEqual({ "0": "flying" });
    expect(at(ev, 109.99, { fallMs: 10 })).toEqual({ "0": "falling" });
    expect(at(ev, 110, { fallMs: 10 })).toEqual({});
  });

  it("draws both copies of a duplicated message and settles them in arrival order", () => {
    // The second copy (arrive[1] = 30) lands first and is delivered; the first one arrives
    // at 60 into a partition and falls.
    const ev = trace(send(0, 7, [60, 30]), deliver(30, 7), drop(60, 7, "partition"));
    expect(at(ev, 20)).toEqual({ "7": "flying", "7.1": "flying" });
    expect(at(ev, 30)).toEqual({ "7": "flying" });
    expect(at(ev, 60)).toEqual({ "7": "falling" });
    expect(at(ev, 84)).toEqual({});
  });

  it("draws a later message that overtakes an earlier one on a reordering link", () => {
    const ev = trace(send(0, 1, [80]), send(10, 2, [30]), deliver(30, 2), deliver(80, 1));
    expect(at(ev, 20)).toEqual({ "1": "flying", "2": "flying" });
    expect(at(ev, 50)).toEqual({ "1": "flying" });
    expect(messagesAt(ev, 20, kindOf).map((m) => m.key)).toEqual(["1", "2"]);
  });

  it("keeps flying a message still in flight when the trace ends, until its arrival time", () => {
    const ev = trace(send(90, 3, [150]), { t: 100, kind: "note", node: "n1", text: "end" });
    expect(at(ev, 100)).toEqual({ "3": "flying" });
    expect(at(ev, 149)).toEqual({ "3": "flying" });
    // Its fate is not in the trace yet: nothing is drawn rather than a guess.
    expect(at(ev, 150)).toEqual({});
  });

  it("shows a drop on arrival as soon as the trace grows to contain it", () => {
    const ev: TraceEvent[] = trace(send(0, 0, [50]));
    const index = new FlightIndex();
    expect(index.update(ev).at(60, kindOf)).toEqual([]);
    ev.push({ t: 50, seq: 1, kind: "drop", from: "n1", to: "n2", id: 0, reason: "crashed" });
    expect(index.update(ev).at(60, kindOf).map((m) => m.state)).toEqual(["falling"]);
  });

  it("learns its look-back horizon from the longest flight seen", () => {
    const ev = trace(send(0, 0, [500]), send(400, 1, [420]), deliver(420, 1), deliver(500, 0));
    const index = new FlightIndex().update(ev);
    expect(index.longestFlightMs).toBe(500);
    expect(index.horizon()).toBe(700);
    expect(index.at(450, kindOf).map((m) => m.key)).toEqual(["0"]);
  });
});

// A chatty protocol for the exactness check: every few ms a node sends a ping to a random
// peer, and answers each ping with a pong. Two kinds, many sends, random targets.
const chatter: Protocol<{ n: number }, { type: string; n: number }, never> = {
  init: (ctx) => step({ n: 0 }, [{ type: "setTimer", name: "tick", after: ctx.rng.int(8, 20) }]),
  onTimer(s, _name, ctx) {
    const to = ctx.peers[ctx.rng.int(0, ctx.peers.length - 1)]!;
    return step({ n: s.n + 1 }, [
      { type: "send", to, msg: { type: "ping", n: s.n } },
      { type: "setTimer", name: "tick", after: ctx.rng.int(8, 20) },
    ]);
  },
  onMessage(s, from, msg) {
    return msg.type === "ping" ? step(s, [{ type: "send", to: from, msg: { type: "pong", n: msg.n } }]) : step(s);
  },
  onCommand: (s) => step(s),
  view: (s) => ({ status: "up", ...s }),
};

/**
 * The reference: a full scan that matches each deliver/drop to the copy arriving at exactly
 * its time (ties in copy order), and applies the drawing rules copy by copy.
 */
function reference(events: readonly TraceEvent[]): (t: number, opts?: FlightOptions) => FlyingMessage[] {
  const fates = new Map<number, TraceEvent[]>();
  const sends: TraceEvent[] = [];
  for (const e of events) {
    if (e.kind === "send") sends.push(e);
    else if (e.kind === "deliver" || e.kind === "drop") (fates.get(e.id!) ?? fates.set(e.id!, []).get(e.id!)!).push(e);
  }
  return (t, opts = {}) => {
    const out: FlyingMessage[] = [];
    for (const s of sends) {
      if (s.t > t) break;
      const base = { id: s.id!, from: s.from!, to: s.to!, kind: kindOf(s.msg), sentAt: s.t, msg: s.msg };
      const arrive = s.arrive as number[] | undefined;
      const own = [...(fates.get(s.id!) ?? [])];
      if (arrive === undefined) {
        const d = own[0];
        const end = s.t + fallMsOf(0, true, opts);
        if (d?.kind === "drop" && t < end) {
          out.push({ key: `${s.id}`, ...base, arriveAt: s.t, state: "falling", dropAt: s.t, fallEnd: end, reason: d.reason as string });
        }
        continue;
      }
      arrive.forEach((a, c) => {
        const key = c === 0 ? `${s.id}` : `${s.id}.${c}`;
        const k = own.findIndex((f) => f.t === a);
        const fate = k >= 0 ? own.splice(k, 1)[0] : undefined;
        if (t < a) out.push({ key, ...base, arriveAt: a, state: "flying" });
        else if (fate?.kind === "drop") {
          const end = a + fallMsOf(a - s.t, false, opts);
          if (t < end) out.push({ key, ...base, arriveAt: a, state: "falling", dropAt: a, fallEnd: end, reason: fate.reason as string });
        }
      });
    }
    return out;
  };
}

function naive(events: readonly TraceEvent[], t: number, opts?: FlightOptions): FlyingMessage[] {
  return reference(events)(t, opts);
}

describe("messagesAt on a real run", () => {
  // Loss, duplication and reordering on every link, a partition (drops at send and on
  // arrival), and a crash (drops on arrival at a down node).
  const run = simulate(chatter, { nodes: 4, seed: 7, network: { latency: [5, 90], loss: 0.15, duplicate: 0.25, reorder: true } })
    .partition(400, [["n1", "n2"], ["n3", "n4"]])
    .heal(900)
    .crash(1200, "n3")
    .restart(1500, "n3")
    .run(2000);
  const events = run.events;

  it("has every kind of fate in it, so the comparison means something", () => {
    const reasons = new Set(run.of("drop").map((e) => e.reason));
    expect([...reasons].sort()).toEqual(["crashed", "loss", "partition"]);
    expect(run.of("send").some((e) => (e.arrive as number[] | undefined)?.length === 2)).toBe(true);
  });

  it("matches the full-scan reference at every time, boundaries included", () => {
    const times = new Set<number>();
    for (let t = 0; t <= 2100; t += 7.3) times.add(t);
    // Every instant where something appears or disappears, and just before it.
    for (const e of events) if (e.kind === "send" || e.kind === "deliver" || e.kind === "drop") times.add(e.t).add(e.t - 1e-6);
    for (const s of run.of("send")) for (const a of (s.arrive as number[] | undefined) ?? []) times.add(a + fallMsOf(a - s.t, false));
    const index = new FlightIndex().update(events);
    const want = reference(events);
    let drawn = 0;
    expect(times.size).toBeGreaterThan(3000);
    for (const t of times) {
      const expected = want(t);
      expect(index.at(t, kindOf), `t = ${t}`).toEqual(expected);
      drawn += expected.length;
    }
    expect(drawn).toBeGreaterThan(50_000);
  });

  it("matches the reference with a fixed fall time too", () => {
    const index = new FlightIndex().update(events);
    const want = reference(events);
    for (let t = 0; t <= 2100; t += 11.3) expect(index.at(t, kindOf, { fallMs: 50 })).toEqual(want(t, { fallMs: 50 }));
  });

  it("gives the same answer fed the trace as it grows, at the live edge", () => {
    const live: TraceEvent[] = [];
    const index = new FlightIndex();
    for (let i = 0; i < events.length; i += 97) {
      live.push(...events.slice(i, i + 97));
      const now = live[live.length - 1]!.t;
      expect(index.update(live).at(now, kindOf)).toEqual(naive(live, now));
    }
  });

  it("keeps what came before a truncation and reads the new events after it", () => {
    const live = [...events];
    const index = new FlightIndex().update(live);
    const cut = Math.floor(events.length * 0.6);
    live.length = cut;
    index.truncate(cut);
    const tCut = live[cut - 1]!.t;
    for (let t = tCut - 200; t <= tCut + 100; t += 1.9) expect(index.update(live).at(t, kindOf)).toEqual(naive(live, t));
    live.push(...events.slice(cut));
    for (let t = 0; t <= 2100; t += 13.1) expect(index.update(live).at(t, kindOf)).toEqual(naive(events, t));
  });

  it("reads on when the trace forgets its oldest events, and lets their copies go", () => {
    // The player keeps a window of recent events (Trace.forget): positions in the array
    // shift, seqs do not.
    const trace = new Trace();
    const index = new FlightIndex();
    let most = 0;
    for (let i = 0; i < events.length; i += 97) {
      for (const e of events.slice(i, i + 97)) trace.push(e);
      if ((i / 97) % 3 === 2) trace.forget(600);
      const now = trace.events[trace.events.length - 1]!.t;
      for (const t of [now, now - 20, now - 45]) expect(index.update(trace.events).at(t, kindOf), `t = ${t}`).toEqual(naive(trace.events, t));
      most = Math.max(most, index.size);
    }
    expect(trace.first).toBeGreaterThan(0);
    expect(index.eventsRead).toBe(events.length);
    expect(most).toBeLessThan(run.of("send").length / 2);
  });

  it("after a rewind and a different replay, re-reads only from the last send still in place", () => {
    const cut = Math.floor(events.length * 0.7);
    const trace = new Trace();
    for (const e of events.slice(0, cut)) trace.push(e);
    const mark = trace.mark();
    for (const e of events.slice(cut)) trace.push(e);
    const index = new FlightIndex().update(trace.events);
    // The replay differs: every delivery from the cut on becomes a drop at a crashed node.
    trace.rewind(mark);
    for (const e of events.slice(cut)) trace.push(e.kind === "deliver" ? { ...e, kind: "drop", reason: "crashed" } : { ...e });
    const before = index.eventsRead;
    index.update(trace.events);
    expect(index.eventsRead - before).toBeLessThan(events.length - cut + 20);
    const want = reference(trace.events);
    for (let t = 0; t <= 2100; t += 4.9) expect(index.at(t, kindOf), `t = ${t}`).toEqual(want(t));
  });

  it("notices a trace rewritten behind its back and follows the new events", () => {
    const live = [...events];
    const cut = Math.floor(events.length * 0.3);
    const t = live[cut]!.t;
    expect(messagesAt(live, t, kindOf)).toEqual(naive(events, t));
    // A restore and a different replay: from `cut` on, every delivery becomes a drop.
    live.length = cut;
    live.push(...events.slice(cut).map((e) => (e.kind === "deliver" ? { ...e, kind: "drop", reason: "crashed" } : { ...e })));
    const later = t + 60;
    expect(naive(live, later)).not.toEqual(naive(events, later));
    expect(messagesAt(live, later, kindOf)).toEqual(naive(live, later));
    live.length = cut - 5;
    expect(messagesAt(live, t, kindOf)).toEqual(naive(live, t));
  });
});
