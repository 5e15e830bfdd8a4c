// The resilience lab's params: the one place their defaults live. Links depend on these names.
import * as v from "valibot";
import { BACKOFFS } from "./backoff.ts";
import { DEFAULT_BREAKER } from "./breaker.ts";

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const share = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

/** A downstream's injected failure: hard down, failing a share of calls, slow, or slowly recovering. */
export const faultSchema = v.object({
  /** "recovering": back, but taking on work slowly — its capacity ramps up over `over` ms from `since`. */
  mode: v.picklist(["down", "errors", "slow", "recovering"]),
  /** With "errors": the share of calls that fail. */
  errorRate: v.optional(share, 0.5),
  /** With "slow": ms added to every call. */
  latency: v.optional(int(0, 60_000), 400),
  /** With "recovering": when it came back, and how long until it takes its full capacity again. */
  since: v.optional(v.pipe(v.number(), v.minValue(0)), 0),
  over: v.optional(int(0, 600_000), 0),
});
export type Fault = v.InferOutput<typeof faultSchema>;

export const resilienceParams = v.object({
  // --- Clients.
  /** ms between a client's operations (from half to one and a half times, drawn). */
  interval: v.optional(int(5, 60_000), 250),
  /** ms a client waits for an answer before it gives the attempt up. */
  timeout: v.optional(int(1, 60_000), 600),
  /** Attempts at most per operation (1: no retry). A 4xx answer is never retried. */
  retries: v.optional(int(1, 20), 3),
  backoff: v.optional(v.picklist(BACKOFFS), "full-jitter"),
  /** ms: the backoff's base and cap. */
  base: v.optional(int(0, 60_000), 50),
  cap: v.optional(int(0, 600_000), 2_000),
  /** A key per logical operation, which the downstream deduplicates on. */
  idempotencyKeys: v.optional(v.boolean(), true),
  /** Share of operations that are batch work (the rest interactive). */
  batch: v.optional(share, 0.3),
  /** Share of operations that are malformed: the downstream answers 400, never retried. */
  badRequests: v.optional(share, 0.02),
  // --- The front service.
  /** Requests the front's queue holds at most; one more is refused with 503. */
  queue: v.optional(int(1, 100_000), 40),
  /** A token bucket in front of the queue. */
  limiter: v.optional(v.object({ enabled: v.boolean(), rate: v.pipe(v.number(), v.minValue(0), v.maxValue(100_000)), burst: int(0, 100_000) }), { enabled: false, rate: 40, burst: 20 }),
  /** Shed batch requests once the queue is half full, keeping room for interactive ones. */
  priority: v.optional(v.boolean(), false),
  /** How many calls the front lets be in flight to the downstream: fixed, or adapted (AIMD, Vegas). */
  concurrency: v.optional(v.object({ mode: v.picklist(["fixed", "aimd", "vegas"]), limit: int(1, 1_000) }), { mode: "fixed", limit: 10 }),
  /** ms the front waits for the downstream before it counts the call failed. */
  callTimeout: v.optional(int(1, 60_000), 500),
  breaker: v.optional(
    v.object({
      enabled: v.boolean(),
      window: int(1, 1_000),
      threshold: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
      minVolume: int(1, 1_000),
      openMs: int(0, 600_000),
      halfOpenTrials: int(1, 100),
    }),
    { ...DEFAULT_BREAKER },
  ),
  // --- The downstream.
  /** Calls the downstream works on at once; more wait their turn. */
  capacity: v.optional(int(1, 1_000), 8),
  /** ms a call takes, drawn uniformly between the two. */
  service: v.optional(v.pipe(v.tuple([int(0, 60_000), int(0, 60_000)]), v.check(([a, b]) => a <= b, "must be [min, max] with min ≤ max")), [20, 60]),
  /** Failures injected by the fail and recover actions, by downstream node. */
  faults: v.optional(v.record(v.string(), faultSchema), {}),
});

export type ResilienceParams = v.InferOutput<typeof resilienceParams>;
