// A circuit breaker, as a node of the resilience lab keeps one in front of a downstream: closed
// (calls go, outcomes fill a rolling window), open (calls are refused at once, failing fast,
// while the downstream recovers) and half-open (a few trial calls test whether it has).
//
// It follows resilience4j's count-based breaker:
//   - the window holds the outcomes of the last `window` calls; the error rate counts only once
//     it holds `minVolume` of them (resilience4j caps `minVolume` at the window's size, and so
//     does this one); a closed breaker opens when the rate is at or above `threshold`, and the
//     window starts empty again;
//   - an open breaker moves to half-open on the first call asked for once `openMs` has passed
//     (resilience4j's default, without its automatic timer), and that call is the first trial;
//   - outcomes arriving while open (calls admitted before it opened) are left out.
// One difference, chosen for the lab: half-open closes only when all `halfOpenTrials` trials
// succeed and reopens at the first failed one (resilience4j waits for them all and compares
// their error rate with the threshold), so a learner sees one failure send it back to open.
//
// Pure functions over plain data: times are the node's virtual ms, passed in; every function
// returns a new breaker and leaves the one it was given untouched.

export type BreakerConfig = {
  enabled: boolean;
  /** Outcomes kept in the rolling window (the last N calls). */
  window: number;
  /** Error rate (0..1) at or above which a closed breaker opens. */
  threshold: number;
  /** Calls the window must hold before the rate counts (at most `window` of them are asked for). */
  minVolume: number;
  /** ms an open breaker stays open before it lets trials through (half-open). */
  openMs: number;
  /** Trial calls allowed while half-open (at least 1); all must succeed to close, any failure reopens. */
  halfOpenTrials: number;
};

export const DEFAULT_BREAKER: BreakerConfig = {
  enabled: true,
  window: 20,
  threshold: 0.5,
  minVolume: 10,
  openMs: 5000,
  halfOpenTrials: 3,
};

export type BreakerStateName = "closed" | "open" | "half-open";

export type Breaker = {
  state: BreakerStateName;
  /** The window's outcomes, true for a success, oldest first, at most `window` of them. */
  outcomes: boolean[];
  /** When it last opened (virtual ms); meaningful while open. */
  openedAt: number;
  /** Trials admitted since it went half-open. */
  trialsStarted: number;
  /** Trials that have succeeded since it went half-open. */
  trialsSucceeded: number;
};

export type Transition = {
  from: BreakerStateName;
  to: BreakerStateName;
  /** Why, in words for the learner: "error rate 60 % ≥ 50 % over 10 calls", "a trial failed". */
  reason: string;
};

/** Rates within this of the threshold count as reaching it, so 0.1 · 3 reads as 30 %. */
const RATE_EPSILON = 1e-9;

export function newBreaker(): Breaker {
  return { state: "closed", outcomes: [], openedAt: 0, trialsStarted: 0, trialsSucceeded: 0 };
}

/** The window's error rate, 0..1; 0 when it is empty (as it is while open and half-open). */
export function errorRate(b: Breaker): number {
  if (b.outcomes.length === 0) return 0;
  let failed = 0;
  for (const ok of b.outcomes) if (!ok) failed++;
  return failed / b.outcomes.length;
}

function trials(cfg: BreakerConfig): number {
  return Math.max(1, Math.floor(cfg.halfOpenTrials));
}

function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(1))} %`;
}

function opened(now: number): Breaker {
  return { state: "open", outcomes: [], openedAt: now, trialsStarted: 0, trialsSucceeded: 0 };
}

/**
 * Before a call: may it go? A closed breaker lets every call go. An open one refuses until
 * `openMs` has passed since it opened (`now - openedAt >= openMs`); then it moves to half-open
 * (the transition) and lets this call go as the first trial. A half-open breaker lets trials go
 * until `halfOpenTrials` have started and refuses more until they have answered. `trial` says
 * whether the call was admitted as a half-open trial. A disabled breaker lets every call go and
 * never changes.
 */
export function admit(
  b: Breaker,
  cfg: BreakerConfig,
  now: number,
): { breaker: Breaker; allowed: boolean; trial: boolean; transition?: Transition } {
  if (!cfg.enabled || b.state === "closed") return { breaker: b, allowed: true, trial: false };
  if (b.state === "open") {
    if (now - b.openedAt < cfg.openMs) return { breaker: b, allowed: false, trial: false };
    const n = trials(cfg);
    return {
      breaker: { state: "half-open", outcomes: [], openedAt: b.openedAt, trialsStarted: 1, trialsSucceeded: 0 },
      allowed: true,
      trial: true,
      transition: {
        from: "open",
        to: "half-open",
        reason: `open ${cfg.openMs} ms: trying ${n} call${n === 1 ? "" : "s"}`,
      },
    };
  }
  if (b.trialsStarted >= trials(cfg)) return { breaker: b, allowed: false, trial: false };
  return { breaker: { ...b, trialsStarted: b.trialsStarted + 1 }, allowed: true, trial: true };
}

/**
 * After a call that was admitted: its outcome (`ok`, a success). Closed: the outcome joins the
 * window (the oldest leaves past `window`), and the breaker opens when the window holds
 * `minVolume` calls (at most `window`) and its error rate is at or above `threshold`; the window
 * starts empty. Half-open: a failure reopens it (`openedAt` = now), and once `halfOpenTrials`
 * trials have succeeded it closes with an empty window; successes beyond the trials started are
 * not counted. Open, or disabled: nothing changes.
 *
 * `trial`, when the caller knows it (from `admit`): an outcome with `trial` false arriving while
 * half-open is left out — a call admitted while closed, answering after the breaker opened and
 * went half-open, is not one of the trials. Left out, every outcome while half-open counts.
 */
export function record(
  b: Breaker,
  cfg: BreakerConfig,
  now: number,
  ok: boolean,
  trial?: boolean,
): { breaker: Breaker; transition?: Transition } {
  if (!cfg.enabled || b.state === "open") return { breaker: b };

  if (b.state === "half-open") {
    if (trial === false) return { breaker: b };
    if (!ok) {
      return { breaker: opened(now), transition: { from: "half-open", to: "open", reason: "a trial failed" } };
    }
    if (b.trialsSucceeded >= b.trialsStarted) return { breaker: b };
    const succeeded = b.trialsSucceeded + 1;
    const n = trials(cfg);
    if (succeeded >= n) {
      return {
        breaker: newBreaker(),
        transition: { from: "half-open", to: "closed", reason: `${succeeded} of ${n} trials succeeded` },
      };
    }
    return { breaker: { ...b, trialsSucceeded: succeeded } };
  }

  const size = Math.max(1, Math.floor(cfg.window));
  const outcomes = [...b.outcomes, ok];
  if (outcomes.length > size) outcomes.splice(0, outcomes.length - size);
  const next: Breaker = { ...b, outcomes };
  const volume = Math.max(1, Math.min(Math.floor(cfg.minVolume), size));
  if (outcomes.length < volume) return { breaker: next };
  const rate = errorRate(next);
  if (rate < cfg.threshold - RATE_EPSILON) return { breaker: next };
  return {
    breaker: opened(now),
    transition: {
      from: "closed",
      to: "open",
      reason: `error rate ${percent(rate)} ≥ ${percent(cfg.threshold)} over ${outcomes.length} calls`,
    },
  };
}
