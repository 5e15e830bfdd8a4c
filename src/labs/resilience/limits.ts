// How much load a node of the resilience lab lets through: a token bucket (a rate limit with a
// burst) and two adaptive concurrency limits that find the downstream's capacity on their own,
// after Netflix's concurrency-limits library — AIMD (loss-based) and Vegas (delay-based).
//
// Pure functions over plain data: times are the node's virtual ms, passed in; every function
// returns a new state and leaves the one it was given untouched.

// ---------------------------------------------------------------------------------------------
// Token bucket.
//
// The bucket holds up to `burst` tokens and gains `ratePerSec` of them a second; a request takes
// one, or is refused when there is less than one. Starting full, it admits at most
// floor(rate · t / 1000 + burst) requests over any t ms, and exactly that many when requests
// keep arriving (at every instant, more than it has tokens for). With requests arriving only at
// whole ms, "keep arriving" needs a burst of at least 1 + rate / 1000: with less, the bucket can
// fill to `burst` between two requests (at burst 1 it is full the moment it has a whole token)
// and what it earns past that is lost, as in every token bucket.
//
// Floating point must not move that count by one. Tokens are kept as exactly as a double allows
// (refills computed in micro-tokens, rate · 1000 a ms, snapped to a whole number for a rate
// given to the thousandth of a token a second), and a request is admitted when the bucket holds
// a whole token to within a billionth: rounding cannot refuse a token the rate has earned, and
// can admit a request at most a billionth of a token early. For times on a binary grid (whole
// ms, or halves, eighths…) and rates to the thousandth, the count is the exact one; the tests
// check both bounds.
//
// A clock read earlier than the bucket's `at` (a node whose clock was stepped back) refills
// nothing, and the bucket keeps its later `at`, so no time is credited twice.

export type Bucket = {
  /** Tokens held, 0..burst, with a fraction while one is being earned. */
  tokens: number;
  /** When it was last refilled (virtual ms). */
  at: number;
};

const MICRO = 1_000_000;
/** How close to a whole token counts as one, in micro-tokens: a billionth of a token. */
const SLACK = 1e-3;

/** Micro-tokens a ms at `ratePerSec`, snapped to a whole number when within rounding error of one. */
function microsPerMs(ratePerSec: number): number {
  if (!(ratePerSec > 0)) return 0;
  const r = ratePerSec * 1000;
  const whole = Math.round(r);
  return Math.abs(r - whole) < 1e-6 ? whole : r;
}

/** A full bucket: `burst` tokens at `now`. */
export function newBucket(burst: number, now: number): Bucket {
  return { tokens: Math.max(0, burst), at: now };
}

/**
 * A request at `now`: refill `ratePerSec` tokens a second since the bucket's `at`, up to `burst`,
 * then take one token if there is at least one (`ok`). A burst below 1 admits nothing.
 */
export function takeToken(b: Bucket, ratePerSec: number, burst: number, now: number): { bucket: Bucket; ok: boolean } {
  const cap = Math.max(0, burst) * MICRO;
  const elapsed = now - b.at;
  const earned = elapsed > 0 ? microsPerMs(ratePerSec) * elapsed : 0;
  let have = Math.min(cap, Math.max(0, b.tokens) * MICRO + earned);
  const at = elapsed > 0 ? now : b.at;
  const ok = have >= MICRO - SLACK;
  if (ok) have = Math.max(0, have - MICRO);
  return { bucket: { tokens: have / MICRO, at }, ok };
}

// ---------------------------------------------------------------------------------------------
// Concurrency limits. A limit is a number that may have a fraction; the calls a node lets be in
// flight at once is its whole part, at least 1 (`permits`).

/** The calls that may be in flight at once under a limit: its whole part, at least 1. */
export function permits(l: { limit: number }): number {
  return Math.max(1, Math.floor(l.limit));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Bounds with a floor of 1 and the upper at least the lower. */
function bounds(cfg: { minLimit: number; maxLimit: number }): [number, number] {
  const lo = Math.max(1, cfg.minLimit);
  return [lo, Math.max(lo, cfg.maxLimit)];
}

// AIMD: additive increase, multiplicative decrease, as TCP's congestion avoidance does.
//
// A success adds 1/limit, so the limit grows by about one for every `limit` successes — one per
// round of calls, TCP's "one segment per round trip". Netflix's AIMDLimit adds a whole 1 per
// success instead (it is usually wrapped in a window that updates it once per batch of samples);
// the per-success 1/limit keeps the growth gentle enough for a learner to watch. Like AIMDLimit,
// a success grows the limit only while the node is using at least half of it (when the caller
// passes the in-flight count): an idle node has learned nothing about the downstream's capacity.
//
// A drop (a timeout, an overload answer) sets limit = max(minLimit, floor(limit · backoffRatio)),
// AIMDLimit's rule (its default ratio 0.9). The limit stays within [minLimit, maxLimit] (the
// lower bound at least 1). AIMDLimit's defaults are initial 20, min 20, max 200; the lab's are
// smaller, for a downstream that serves a handful of calls at once.

export type AimdConfig = { initialLimit: number; minLimit: number; maxLimit: number; backoffRatio: number };
export const DEFAULT_AIMD: AimdConfig = { initialLimit: 10, minLimit: 1, maxLimit: 100, backoffRatio: 0.9 };

export type Aimd = { limit: number };

export function newAimd(cfg: AimdConfig): Aimd {
  const [lo, hi] = bounds(cfg);
  return { limit: clamp(cfg.initialLimit, lo, hi) };
}

/**
 * A call succeeded: limit + 1/limit, up to `maxLimit`. With `inflight` (the calls in flight when
 * it was made), no growth while `inflight · 2 < limit`.
 */
export function aimdOnSuccess(a: Aimd, cfg: AimdConfig, inflight?: number): Aimd {
  const [lo, hi] = bounds(cfg);
  const limit = clamp(a.limit, lo, hi);
  if (inflight !== undefined && inflight * 2 < limit) return { limit };
  return { limit: clamp(limit + 1 / limit, lo, hi) };
}

/**
 * A call was dropped: max(minLimit, floor(limit · backoffRatio)), within [minLimit, maxLimit].
 * The product is floored as written (90 · 0.7 is 63, not the 62.99… floating point makes it).
 */
export function aimdOnDrop(a: Aimd, cfg: AimdConfig): Aimd {
  const [lo, hi] = bounds(cfg);
  const limit = clamp(a.limit, lo, hi);
  return { limit: clamp(Math.min(limit, Math.floor(limit * cfg.backoffRatio + 1e-9)), lo, hi) };
}

// Vegas: delay-based, after TCP Vegas and Netflix's VegasLimit (its rule with its default
// functions, without its smoothing and without its periodic re-probing of the no-load RTT).
//
// `rttNoLoad` is the least RTT seen (0 before the first sample): the downstream's latency with
// no queue. A sample's queue estimate is queue = ceil(limit · (1 − rttNoLoad / rtt)): how many
// of the limit's calls are waiting rather than being served. With log = max(1,
// floor(log10(floor(limit)))) for limits below 1000 (floor(sqrt(limit)) above, as the library
// does), alpha = 3·log, beta = 6·log, threshold = log — for every limit below 100, alpha 3,
// beta 6 and threshold 1, the README's "alpha 2-3, beta 4-6". A sample (rtt > 0) then moves the
// limit by the first rule that applies:
//   1. rtt below rttNoLoad (or the first sample): rttNoLoad = rtt, the limit stays;
//   2. the call was dropped: limit − log;
//   3. inflight · 2 < limit (the node is not using its limit): the limit stays;
//   4. queue ≤ threshold (no queue to speak of): limit + beta;
//   5. queue < alpha: limit + log;
//   6. queue > beta: limit − log;
//   7. otherwise (alpha ≤ queue ≤ beta, the aim): the limit stays;
// and the limit stays within [minLimit, maxLimit] (the library's floor is 1).
//
// Without re-probing, rttNoLoad only ever falls: a downstream that becomes slower for good is
// read as a queue that never drains, and the limit settles lower than its new capacity allows.

export type VegasConfig = { initialLimit: number; minLimit: number; maxLimit: number };
export const DEFAULT_VEGAS: VegasConfig = { initialLimit: 20, minLimit: 1, maxLimit: 1000 };

export type Vegas = { limit: number; rttNoLoad: number };

export function newVegas(cfg: VegasConfig): Vegas {
  const [lo, hi] = bounds(cfg);
  return { limit: clamp(cfg.initialLimit, lo, hi), rttNoLoad: 0 };
}

/** VegasLimit's log10 of a limit: max(1, floor(log10(floor(limit)))) below 1000, floor(sqrt) above. */
export function vegasLog(limit: number): number {
  const n = Math.floor(limit);
  if (n >= 1000) return Math.floor(Math.sqrt(n));
  return n < 1 ? 1 : Math.max(1, Math.floor(Math.log10(n)));
}

/** The queue a sample implies: ceil(limit · (1 − rttNoLoad / rtt)); 0 before rttNoLoad is known. */
export function vegasQueue(v: Vegas, rtt: number): number {
  if (!(v.rttNoLoad > 0) || !(rtt > 0)) return 0;
  return Math.ceil(v.limit * (1 - v.rttNoLoad / rtt));
}

/**
 * A latency sample: `rtt` ms for a call made with `inflight` calls in flight (counting it), and
 * whether it was dropped (timed out, refused as overloaded). The rule is the list above; a
 * sample without a positive rtt changes nothing.
 */
export function vegasOnSample(v: Vegas, cfg: VegasConfig, rtt: number, inflight: number, dropped = false): Vegas {
  if (!(rtt > 0)) return v;
  const [lo, hi] = bounds(cfg);
  const limit = clamp(v.limit, lo, hi);
  if (v.rttNoLoad === 0 || rtt < v.rttNoLoad) return { limit, rttNoLoad: rtt };
  const log = vegasLog(limit);
  let next = limit;
  if (dropped) next = limit - log;
  else if (inflight * 2 < limit) next = limit;
  else {
    const queue = vegasQueue({ limit, rttNoLoad: v.rttNoLoad }, rtt);
    if (queue <= log) next = limit + 6 * log;
    else if (queue < 3 * log) next = limit + log;
    else if (queue > 6 * log) next = limit - log;
  }
  return { limit: clamp(next, lo, hi), rttNoLoad: v.rttNoLoad };
}
