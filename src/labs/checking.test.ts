import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { scenario } from "../scenario/build.ts";
import { Simulation } from "../sim/simulation.ts";
import type { TraceEvent } from "../sim/trace.ts";
import { defineCheck, MAX_VIOLATIONS, own, put, Watch, type CheckContext, type Reducer, type Violation } from "./checking.ts";
import { raftLab } from "./raft/index.ts";

const SCENARIO = scenario({ lab: "test", nodes: 3, until: 1000 });
const CTX: CheckContext = { scenario: SCENARIO, params: {} };

/** Events of kind `kinds[i]`, 10 ms apart, with seq i. */
function events(...kinds: string[]): TraceEvent[] {
  return kinds.map((kind, seq) => ({ t: seq * 10, seq, kind, node: `n${(seq % 3) + 1}` }));
}

// A check for these tests only: it remembers every seq it was fed (a real check must not),
// and each "bad" event breaks it.
const seen = defineCheck<{ seqs: number[] }>({
  id: "seen",
  title: "Sees every event",
  init: () => ({ seqs: [] }),
  step(s, e) {
    s.seqs.push(e.seq);
    if (e.kind === "bad") return [{ check: "seen", message: `bad event ${e.seq} after ${s.seqs.length - 1} others`, t: e.t, events: [e.seq] }];
  },
});

// Finds nothing as events go; at the end, whether a "quiet" event came last.
const endsQuiet = defineCheck<{ last: string }>({
  id: "ends-quiet",
  title: "Ends quietly",
  init: () => ({ last: "" }),
  step(s, e) {
    s.last = e.kind;
  },
  finish: (s, end) => (s.last === "quiet" ? [] : [{ check: "ends-quiet", message: `ended with ${s.last || "nothing"}`, t: end, events: [] }]),
});

/** Counts events by kind, in place. */
const byKind: Reducer<Record<string, number>> = {
  id: "by-kind",
  init: () => ({}),
  step(s, e) {
    put(s, e.kind, (own(s, e.kind) ?? 0) + 1);
  },
};

/** Sums the times, returning a new state each time. */
const sumT: Reducer<number> = { id: "sum-t", init: () => 0, step: (s, e) => s + e.t };

const newWatch = () => new Watch([seen, endsQuiet], [byKind, sumT], CTX);

describe("Watch", () => {
  it("feeds every event once, in order, to each check and reducer, and collects what the checks find", () => {
    const ev = events("a", "bad", "b", "bad");
    const w = newWatch();
    expect(w.next).toBe(0);
    w.feed(ev, 0);
    expect(w.next).toBe(4);
    expect(w.snapshot().checks[0]).toEqual({ seqs: [0, 1, 2, 3] });
    expect(w.violations).toEqual([
      { check: "seen", message: "bad event 1 after 1 others", t: 10, events: [1] },
      { check: "seen", message: "bad event 3 after 3 others", t: 30, events: [3] },
    ]);
    expect(w.violations).toEqual(seen.run(ev, SCENARIO));
  });

  it("hands a check that declares its kinds only those, and keeps the checks' order in what they find", () => {
    const noting = (id: string, kinds?: string[]) =>
      defineCheck<{ kinds: string[] }>({
        id,
        title: id,
        ...(kinds === undefined ? {} : { kinds }),
        init: () => ({ kinds: [] }),
        step(st, e) {
          st.kinds.push(e.kind);
          if (e.kind === "bad") return [{ check: id, message: id, t: e.t, events: [e.seq] }];
        },
      });
    const checks = [noting("any"), noting("declared", ["bad", "a"]), noting("other", ["c"]), noting("last")];
    const w = new Watch(checks, [], { scenario: SCENARIO, params: {} });
    w.feed(events("a", "b", "bad", "c", "bad"), 0);
    expect(w.snapshot().checks.map((c) => (c as { kinds: string[] }).kinds)).toEqual([
      ["a", "b", "bad", "c", "bad"],
      ["a", "bad", "bad"],
      ["c"],
      ["a", "b", "bad", "c", "bad"],
    ]);
    expect(w.violations.map((x) => `${x.check}@${x.events[0]}`)).toEqual(["any@2", "declared@2", "last@2", "any@4", "declared@4", "last@4"]);
  });

  it("catches up across calls: a window overlapping what it has seen feeds only the new events", () => {
    const ev = events("a", "b", "bad", "c", "d", "bad", "e");
    const w = newWatch();
    w.feed(ev.slice(0, 2), 0);
    w.feed(ev.slice(0, 4), 0);
    w.feed(ev.slice(1, 4), 1);
    w.feed(ev.slice(3, 5), 3);
    w.feed([], 5);
    w.feed(ev.slice(5), 5);
    expect(w.next).toBe(7);
    expect(w.snapshot().checks[0]).toEqual({ seqs: [0, 1, 2, 3, 4, 5, 6] });
    expect(w.violations).toEqual(seen.run(ev, SCENARIO));
    expect(w.allSeries()).toEqual({ "by-kind": { a: 1, b: 1, bad: 2, c: 1, d: 1, e: 1 }, "sum-t": 210 });
  });

  it("stays where it is when fed a window it has already passed", () => {
    const ev = events("a", "b", "c", "d");
    const w = newWatch();
    w.feed(ev, 0);
    w.feed(ev.slice(0, 2), 0);
    expect(w.next).toBe(4);
    w.feed(ev, 0);
    expect(w.snapshot().checks[0]).toEqual({ seqs: [0, 1, 2, 3] });
  });

  it("throws when the events it needs next are forgotten, and feeds nothing", () => {
    const ev = events("a", "b", "bad", "c", "d");
    const w = newWatch();
    w.feed(ev.slice(0, 2), 0);
    const before = w.snapshot();
    expect(() => w.feed(ev.slice(3), 3)).toThrow("events from seq 2 are forgotten (the trace starts at 3)");
    expect(w.snapshot()).toEqual(before);
    // The events it needs, fed now, carry on as if nothing happened.
    w.feed(ev.slice(2), 2);
    expect(w.violations).toEqual(seen.run(ev, SCENARIO));
  });

  it("restored from a snapshot, gives exactly what a watch that never stopped gives", () => {
    const ev = events("a", "bad", "b", "c", "bad", "d", "quiet");
    const straight = newWatch();
    straight.feed(ev, 0);

    const w = newWatch();
    w.feed(ev.slice(0, 3), 0);
    const snap = w.snapshot();
    // The snapshot is a copy: what the watch does next does not reach it.
    w.feed(ev, 0);
    expect(snap.next).toBe(3);
    expect(snap.violations).toHaveLength(1);
    expect(w.snapshot()).toEqual(straight.snapshot());

    // Restored twice from the same snapshot, into a fresh watch and into one that had moved on.
    for (const target of [newWatch(), w]) {
      target.restore(snap);
      expect(target.next).toBe(3);
      target.feed(ev.slice(2), 2);
      expect(target.snapshot()).toEqual(straight.snapshot());
      expect(target.violations).toEqual(straight.violations);
      expect(target.allSeries()).toEqual(straight.allSeries());
      expect(target.finish(1000)).toEqual(straight.finish(1000));
    }
    // A snapshot is plain data: it survives structuredClone and JSON alike.
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it(`keeps at most MAX_VIOLATIONS (${MAX_VIOLATIONS}) violations, even from a step that finds several`, () => {
    const twice = defineCheck<null>({
      id: "twice",
      title: "Two at a time",
      init: () => null,
      step: (_, e) => [
        { check: "twice", message: `${e.seq}a`, t: e.t, events: [e.seq] },
        { check: "twice", message: `${e.seq}b`, t: e.t, events: [e.seq] },
      ],
    });
    const w = new Watch([twice], [], CTX);
    const ev = events(...Array.from({ length: MAX_VIOLATIONS }, () => "x"));
    w.feed(ev.slice(0, MAX_VIOLATIONS / 2 - 1), 0);
    expect(w.violations).toHaveLength(MAX_VIOLATIONS - 2);
    w.feed(ev, 0);
    expect(w.next).toBe(MAX_VIOLATIONS);
    expect(w.violations).toHaveLength(MAX_VIOLATIONS);
    expect(w.violations.map((x) => x.message).slice(-3)).toEqual([`${MAX_VIOLATIONS / 2 - 2}b`, `${MAX_VIOLATIONS / 2 - 1}a`, `${MAX_VIOLATIONS / 2 - 1}b`]);
    expect(twice.run(ev, SCENARIO)).toHaveLength(2 * MAX_VIOLATIONS);
  });

  it("folds events into each reducer, in place or by returning a new state, and gives them by id", () => {
    const w = newWatch();
    expect(w.allSeries()).toEqual({ "by-kind": {}, "sum-t": 0 });
    w.feed(events("a", "toString", "a", "__proto__"), 0);
    expect(w.series("by-kind")).toEqual({ a: 2, toString: 1, ["__proto__"]: 1 });
    expect(Object.getPrototypeOf(w.series("by-kind"))).toBe(Object.prototype);
    expect(w.series("sum-t")).toBe(60);
    expect(w.series("nothing")).toBeUndefined();
    const restored = newWatch();
    restored.restore(w.snapshot());
    expect(restored.allSeries()).toEqual(w.allSeries());
  });

  it("adds what only the end shows after what the steps found, as run does", () => {
    const ev = events("bad", "a");
    const w = newWatch();
    w.feed(ev, 0);
    const found = w.finish(2000);
    expect(found).toEqual([
      { check: "seen", message: "bad event 0 after 0 others", t: 0, events: [0] },
      { check: "ends-quiet", message: "ended with a", t: 2000, events: [] },
    ]);
    // finish neither keeps what it found nor changes the watch.
    expect(w.violations).toHaveLength(1);
    expect(w.finish(2000)).toEqual(found);
    expect(endsQuiet.run(ev, SCENARIO)).toEqual([{ check: "ends-quiet", message: "ended with a", t: SCENARIO.until, events: [] }]);
    expect(endsQuiet.run(events("a", "quiet"), SCENARIO)).toEqual([]);
  });

  it("goes back to before the first event on reset", () => {
    const w = newWatch();
    w.feed(events("bad", "a"), 0);
    w.reset();
    expect(w.snapshot()).toEqual(newWatch().snapshot());
    expect(() => w.feed(events("a", "b", "c").slice(1), 1)).toThrow(/forgotten/);
  });

  it("gives init the scenario and params", () => {
    const ctxs: CheckContext[] = [];
    const spy = defineCheck<null>({ id: "spy", title: "Spy", init: (c) => (ctxs.push(c), null), step: () => {} });
    spy.run([], SCENARIO);
    spy.run([], SCENARIO, { x: 1 });
    new Watch([spy], [], CTX);
    expect(ctxs).toEqual([{ scenario: SCENARIO, params: SCENARIO.params }, { scenario: SCENARIO, params: { x: 1 } }, CTX]);
  });

  it("follows a live Raft run that forgets its old events, finding what run finds over the whole trace", () => {
    const s = raftLab.scenarios.find((x) => x.name === "no-election-restriction")!;
    const params = v.parse(raftLab.params, s.params);
    const whole = new Simulation(s, raftLab.protocol, params);
    whole.runUntil(s.until);
    const expected = raftLab.checks.flatMap((c) => c.run(whole.engine.trace.events, s));
    expect(expected.length).toBeGreaterThan(0);

    // As the page does: run a frame, feed the window, forget all but the last few events.
    const live = new Simulation(s, raftLab.protocol, params);
    const w = new Watch(raftLab.checks, [], { scenario: s, params });
    for (let t = 0; t <= s.until; t += 37) {
      live.runUntil(Math.min(t, s.until));
      const trace = live.engine.trace;
      w.feed(trace.events, trace.first);
      trace.forget(20);
    }
    live.runUntil(s.until);
    w.feed(live.engine.trace.events, live.engine.trace.first);
    expect(live.engine.trace.first).toBeGreaterThan(0);
    expect(w.next).toBe(whole.engine.trace.length);
    const byCheck = (vs: readonly Violation[]) => raftLab.checks.map((c) => vs.filter((x) => x.check === c.id));
    expect(byCheck(w.finish(s.until))).toEqual(byCheck(expected));
  });
});

describe("own and put", () => {
  it("read only a record's own keys and write any key, __proto__ included, as plain data", () => {
    const d: Record<string, number> = {};
    expect(own(d, "toString")).toBeUndefined();
    expect(own(d, "__proto__")).toBeUndefined();
    put(d, "__proto__", 1);
    put(d, "toString", 2);
    put(d, "n1", 3);
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(Object.keys(d)).toEqual(["__proto__", "toString", "n1"]);
    const copy = structuredClone(d);
    expect([own(copy, "__proto__"), own(copy, "toString"), own(copy, "n1")]).toEqual([1, 2, 3]);
    put(copy, "__proto__", 4);
    expect(own(copy, "__proto__")).toBe(4);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });
});
