// The circuit breaker: its transitions for exact sequences of outcomes and times, and, over
// random sequences, what must always hold. Properties use the suite's fixed fast-check seed.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { admit, DEFAULT_BREAKER, errorRate, newBreaker, record, type Breaker, type BreakerConfig, type Transition } from "./breaker.ts";

const cfg = (over: Partial<BreakerConfig> = {}): BreakerConfig => ({ ...DEFAULT_BREAKER, ...over });

/** Calls made one after another at `now`: each admitted, then its outcome recorded. */
function calls(b: Breaker, c: BreakerConfig, now: number, oks: readonly boolean[]): { breaker: Breaker; transitions: Transition[] } {
  const transitions: Transition[] = [];
  for (const ok of oks) {
    const a = admit(b, c, now);
    if (a.transition) transitions.push(a.transition);
    expect(a.allowed).toBe(true);
    const r = record(a.breaker, c, now, ok, a.trial);
    if (r.transition) transitions.push(r.transition);
    b = r.breaker;
  }
  return { breaker: b, transitions };
}

const F = false;
const T = true;

/** An open breaker, opened at `at`, by ten failures under the defaults. */
function openAt(at: number, c = cfg()): Breaker {
  const { breaker } = calls(newBreaker(), c, at, Array(10).fill(F));
  expect(breaker.state).toBe("open");
  expect(breaker.openedAt).toBe(at);
  return breaker;
}

describe("a closed breaker", () => {
  it("stays closed below minVolume, however many of the calls failed", () => {
    const { breaker, transitions } = calls(newBreaker(), cfg(), 0, Array(9).fill(F));
    expect(breaker.state).toBe("closed");
    expect(transitions).toEqual([]);
    expect(breaker.outcomes).toHaveLength(9);
    expect(errorRate(breaker)).toBe(1);
  });

  it("opens at minVolume when the rate reaches the threshold exactly, window cleared", () => {
    // 5 failures in 10 calls: 50 %, at the 50 % threshold.
    const { breaker, transitions } = calls(newBreaker(), cfg(), 1234, [T, F, T, F, T, F, T, F, T, F]);
    expect(transitions).toEqual([{ from: "closed", to: "open", reason: "error rate 50 % ≥ 50 % over 10 calls" }]);
    expect(breaker).toEqual({ state: "open", outcomes: [], openedAt: 1234, trialsStarted: 0, trialsSucceeded: 0 });
  });

  it("does not open at minVolume when the rate is just below the threshold", () => {
    // 4 failures in 10 calls: 40 %.
    const { breaker, transitions } = calls(newBreaker(), cfg(), 0, [T, F, T, F, T, F, T, F, T, T]);
    expect(transitions).toEqual([]);
    expect(breaker.state).toBe("closed");
    expect(errorRate(breaker)).toBeCloseTo(0.4, 12);
  });

  it("opens on the call that brings the window to minVolume once the rate is reached below it", () => {
    // 6 failures in the first 6 calls (100 %, but volume 6 < 10); opens on the 10th call at 60 %.
    const seq = [F, F, F, F, F, F, T, T, T];
    const before = calls(newBreaker(), cfg(), 0, seq);
    expect(before.breaker.state).toBe("closed");
    const after = calls(before.breaker, cfg(), 7, [T]);
    expect(after.transitions).toEqual([{ from: "closed", to: "open", reason: "error rate 60 % ≥ 50 % over 10 calls" }]);
    expect(after.breaker.openedAt).toBe(7);
  });

  it("keeps only the last `window` outcomes, so old failures roll out", () => {
    const c = cfg({ window: 4, minVolume: 4, threshold: 0.75 });
    // F F T T: 50 %; then T T push both failures out.
    const { breaker } = calls(newBreaker(), c, 0, [F, F, T, T, T, T]);
    expect(breaker.outcomes).toEqual([T, T, T, T]);
    expect(errorRate(breaker)).toBe(0);
    // Three failures in the last four: 75 % opens it.
    const r = calls(breaker, c, 9, [F, F, F]);
    expect(r.transitions).toEqual([{ from: "closed", to: "open", reason: "error rate 75 % ≥ 75 % over 4 calls" }]);
  });

  it("asks for at most `window` calls when minVolume is larger (as resilience4j does)", () => {
    const c = cfg({ window: 5, minVolume: 10 });
    const { transitions } = calls(newBreaker(), c, 0, [F, F, F, F, F]);
    expect(transitions.map((t) => t.to)).toEqual(["open"]);
  });

  it("reads a threshold made by arithmetic as the rate it names", () => {
    const c = cfg({ window: 10, minVolume: 10, threshold: 0.1 * 3 }); // 0.30000000000000004
    const { transitions } = calls(newBreaker(), c, 0, [F, F, F, T, T, T, T, T, T, T]);
    expect(transitions.map((t) => t.reason)).toEqual(["error rate 30 % ≥ 30 % over 10 calls"]);
  });

  it("does not change the breaker it is given", () => {
    const b = newBreaker();
    const copy = structuredClone(b);
    record(b, cfg(), 0, false);
    admit(b, cfg(), 0);
    expect(b).toEqual(copy);
  });
});

describe("an open breaker", () => {
  it("refuses until openMs has passed, to the ms, then goes half-open and lets that call go as a trial", () => {
    const b = openAt(1000);
    for (const now of [1000, 2000, 5999, 5999.999]) {
      const a = admit(b, cfg(), now);
      expect(a).toEqual({ breaker: b, allowed: false, trial: false });
    }
    const a = admit(b, cfg(), 6000);
    expect(a.allowed).toBe(true);
    expect(a.trial).toBe(true);
    expect(a.transition).toEqual({ from: "open", to: "half-open", reason: "open 5000 ms: trying 3 calls" });
    expect(a.breaker).toEqual({ state: "half-open", outcomes: [], openedAt: 1000, trialsStarted: 1, trialsSucceeded: 0 });
  });

  it("goes half-open on the first call asked for after openMs, however late", () => {
    const a = admit(openAt(0), cfg(), 60_000);
    expect(a.breaker.state).toBe("half-open");
    expect(a.allowed).toBe(true);
  });

  it("ignores outcomes arriving while open (calls admitted before it opened)", () => {
    const b = openAt(100);
    for (const ok of [T, F, T]) {
      const r = record(b, cfg(), 200, ok);
      expect(r.breaker).toBe(b);
      expect(r.transition).toBeUndefined();
    }
  });

  it("says 'trying 1 call' for a single trial", () => {
    const c = cfg({ halfOpenTrials: 1 });
    expect(admit(openAt(0, c), c, 5000).transition?.reason).toBe("open 5000 ms: trying 1 call");
  });
});

describe("a half-open breaker", () => {
  function halfOpen(c = cfg()): Breaker {
    const a = admit(openAt(0, c), c, c.openMs);
    expect(a.breaker.state).toBe("half-open");
    return a.breaker;
  }

  it("admits exactly halfOpenTrials calls and refuses more until they answer", () => {
    let b = halfOpen(); // the first trial went with the transition
    const second = admit(b, cfg(), 5001);
    const third = admit(second.breaker, cfg(), 5002);
    expect([second.allowed, third.allowed]).toEqual([true, true]);
    b = third.breaker;
    expect(b.trialsStarted).toBe(3);
    for (const now of [5003, 9000, 100_000]) expect(admit(b, cfg(), now)).toEqual({ breaker: b, allowed: false, trial: false });
    // One answer is not enough to let another trial go: three have started.
    b = record(b, cfg(), 5010, true).breaker;
    expect(admit(b, cfg(), 5011).allowed).toBe(false);
  });

  it("closes when all trials succeed, with an empty window", () => {
    let b = halfOpen();
    b = admit(b, cfg(), 5001).breaker;
    b = admit(b, cfg(), 5002).breaker;
    const r1 = record(b, cfg(), 5100, true);
    const r2 = record(r1.breaker, cfg(), 5101, true);
    expect([r1.transition, r2.transition]).toEqual([undefined, undefined]);
    expect(r2.breaker.trialsSucceeded).toBe(2);
    const r3 = record(r2.breaker, cfg(), 5102, true);
    expect(r3.transition).toEqual({ from: "half-open", to: "closed", reason: "3 of 3 trials succeeded" });
    expect(r3.breaker).toEqual(newBreaker());
    expect(admit(r3.breaker, cfg(), 5103).allowed).toBe(true);
  });

  it("reopens at the first failed trial, with a fresh openedAt, and stays open a full openMs from it", () => {
    let b = halfOpen();
    b = admit(b, cfg(), 5001).breaker;
    b = record(b, cfg(), 5050, true).breaker;
    const r = record(b, cfg(), 5077, false);
    expect(r.transition).toEqual({ from: "half-open", to: "open", reason: "a trial failed" });
    expect(r.breaker).toEqual({ state: "open", outcomes: [], openedAt: 5077, trialsStarted: 0, trialsSucceeded: 0 });
    expect(admit(r.breaker, cfg(), 10_076).allowed).toBe(false);
    const again = admit(r.breaker, cfg(), 10_077);
    expect(again.allowed).toBe(true);
    expect(again.transition?.to).toBe("half-open");
    expect(again.breaker.trialsStarted).toBe(1);
    expect(again.breaker.trialsSucceeded).toBe(0);
  });

  it("counts no more successes than trials started", () => {
    let b = halfOpen(); // one trial started
    for (let i = 0; i < 5; i++) b = record(b, cfg(), 5000 + i, true).breaker;
    expect(b.state).toBe("half-open");
    expect(b.trialsSucceeded).toBe(1);
  });

  it("leaves out an outcome marked as no trial (a call admitted while closed, answering late)", () => {
    const b = halfOpen();
    expect(record(b, cfg(), 5001, false, false).breaker).toBe(b);
    expect(record(b, cfg(), 5001, true, false).breaker).toBe(b);
    // Unmarked, a late failure counts as a trial's.
    expect(record(b, cfg(), 5001, false).breaker.state).toBe("open");
  });
});

describe("a disabled breaker", () => {
  it("lets every call go and never changes, whatever the outcomes", () => {
    const c = cfg({ enabled: false });
    let b = newBreaker();
    for (let i = 0; i < 100; i++) {
      const a = admit(b, c, i);
      expect(a.allowed).toBe(true);
      expect(a.transition).toBeUndefined();
      const r = record(a.breaker, c, i, false);
      expect(r.transition).toBeUndefined();
      b = r.breaker;
    }
    expect(b).toEqual(newBreaker());
    // Disabled while open: calls go, and it stays as it was.
    const open = openAt(0);
    for (const now of [1, 10_000]) {
      const a = admit(open, c, now);
      expect(a).toEqual({ breaker: open, allowed: true, trial: false });
      expect(record(open, c, now, true).breaker).toBe(open);
    }
  });
});

describe("over random calls", () => {
  // A step: a call asked for after `dt` ms, and (if admitted) its outcome, recorded at once or
  // deferred until a later step (answers arriving out of order, some after the breaker moved on).
  const step = fc.record({ dt: fc.integer({ min: 0, max: 3000 }), ok: fc.boolean(), answerNow: fc.boolean(), flush: fc.boolean() });
  const config = fc.record({
    enabled: fc.boolean(),
    window: fc.integer({ min: 1, max: 12 }),
    threshold: fc.constantFrom(0.1, 0.25, 0.5, 0.75, 1),
    minVolume: fc.integer({ min: 1, max: 15 }),
    openMs: fc.integer({ min: 0, max: 6000 }),
    halfOpenTrials: fc.integer({ min: 1, max: 4 }),
  });

  it("keeps its invariants: window bounded, trials bounded, transitions only along the edges, open for openMs", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(config, fc.array(step, { maxLength: 200, size: "max" }), (c, steps) => {
        let b = newBreaker();
        let now = 0;
        const pending: { ok: boolean; trial: boolean }[] = [];
        const edges = new Set(["closed>open", "open>half-open", "half-open>open", "half-open>closed"]);
        const check = (before: Breaker, t: Transition | undefined, after: Breaker) => {
          if (!c.enabled) expect(t).toBeUndefined();
          if (t) {
            expect(edges.has(`${t.from}>${t.to}`)).toBe(true);
            expect(t.from).toBe(before.state);
            expect(t.to).toBe(after.state);
          } else expect(after.state).toBe(before.state);
          expect(after.outcomes.length).toBeLessThanOrEqual(c.window);
          expect(after.trialsSucceeded).toBeLessThanOrEqual(after.trialsStarted);
          expect(after.trialsStarted).toBeLessThanOrEqual(after.state === "half-open" ? c.halfOpenTrials : 0);
          if (after.state !== "closed") expect(after.outcomes).toEqual([]);
        };
        for (const s of steps) {
          now += s.dt;
          const a = admit(b, c, now);
          check(b, a.transition, a.breaker);
          if (b.state === "open" && c.enabled) expect(a.allowed).toBe(now - b.openedAt >= c.openMs);
          if (a.transition?.to === "open") throw new Error("admit never opens");
          if (a.transition) seen.add(`${a.transition.from}>${a.transition.to}`);
          b = a.breaker;
          if (a.allowed) pending.push({ ok: s.ok, trial: a.trial });
          const answers = s.flush ? pending.splice(0) : s.answerNow ? pending.splice(-1) : [];
          for (const p of answers) {
            const r = record(b, c, now, p.ok, p.trial);
            check(b, r.transition, r.breaker);
            if (r.transition?.to === "open") expect(r.breaker.openedAt).toBe(now);
            if (b.state === "closed" && c.enabled) {
              // Opens exactly when the window, with this outcome, holds enough calls at the threshold.
              const window = [...b.outcomes, p.ok].slice(-c.window);
              const due = window.length >= Math.min(c.minVolume, c.window) && errorRate({ ...b, outcomes: window }) >= c.threshold - 1e-9;
              expect(r.transition?.to === "open").toBe(due);
              if (!due) expect(r.breaker.outcomes).toEqual(window);
            }
            if (r.transition) seen.add(`${r.transition.from}>${r.transition.to}`);
            b = r.breaker;
          }
          expect(structuredClone(b)).toEqual(b);
        }
      }),
    );
    // The random runs reached every transition.
    expect([...seen].sort()).toEqual(["closed>open", "half-open>closed", "half-open>open", "open>half-open"]);
  });
});
