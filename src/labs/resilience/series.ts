// The resilience lab's series: the whole run second by second (offered attempts, goodput,
// failures, retries, rejections and shedding, latency percentiles, the front's queue, limit
// and tokens), the breaker's transitions, a latency histogram of successes and the executions
// per operation — what the charts draw, the checks and the CLI read. Bounded: past MAX_POINTS
// seconds every other point is dropped, so an hour-long run draws as well as a minute.

import type { Scenario } from "../../scenario/types.ts";
import type { TraceEvent } from "../../sim/trace.ts";
import { own, put } from "../checking.ts";
import type { Reducer } from "../types.ts";

export const MAX_POINTS = 1_200;
const SECOND = 1_000;
/** Latency histogram bins, ms. */
const BIN = 5;

export type Point = {
  /** The second's start, ms. */
  t: number;
  attempts: number;
  ok: number;
  failed: number;
  retries: number;
  rejected: number;
  shed: number;
  p50: number | null;
  p99: number | null;
  queue: number;
  limit: number;
  tokens: number | null;
};

export type BreakerChange = { t: number; node: string; from: string; to: string; reason: string };

export type Metrics = {
  points: Point[];
  /** The second in progress; its queue is the deepest the front reported in it. */
  cur: Point & { lat: number[] };
  totals: { ops: number; ok: number; failed: number; attempts: number; retries: number; rejected: number; shed: number; late: number };
  /** Successful operations' latencies: count by 5 ms bin (bin start as the key). */
  hist: Record<string, number>;
  executions: Record<string, number>;
  duplicates: number;
  transitions: BreakerChange[];
  lastT: number;
  /** The front's queue as last reported: where the next second starts from. */
  queueNow: number;
};

/** A second's first point: its queue starts where the last report left it; limit and tokens carry on. */
const emptyPoint = (t: number, prev?: Point, queueNow = 0): Point & { lat: number[] } => ({
  t,
  attempts: 0,
  ok: 0,
  failed: 0,
  retries: 0,
  rejected: 0,
  shed: 0,
  p50: null,
  p99: null,
  queue: queueNow,
  limit: prev?.limit ?? 0,
  tokens: prev?.tokens ?? null,
  lat: [],
});

export function newMetrics(_ctx: { scenario: Scenario }): Metrics {
  return {
    points: [],
    cur: emptyPoint(0),
    totals: { ops: 0, ok: 0, failed: 0, attempts: 0, retries: 0, rejected: 0, shed: 0, late: 0 },
    hist: {},
    executions: {},
    duplicates: 0,
    transitions: [],
    lastT: 0,
    queueNow: 0,
  };
}

/** The q-quantile of sorted numbers (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function close(m: Metrics): void {
  const { lat, ...p } = m.cur;
  const sorted = [...lat].sort((a, b) => a - b);
  m.points.push({ ...p, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) });
  if (m.points.length > MAX_POINTS) m.points = m.points.filter((_, k) => k % 2 === 0 || k === m.points.length - 1);
  m.cur = emptyPoint(m.cur.t + SECOND, m.cur, m.queueNow);
}

export function metricsStep(m: Metrics, e: TraceEvent): void {
  while (e.t >= m.cur.t + SECOND) close(m);
  m.lastT = e.t;
  const c = m.cur;
  switch (e.kind) {
    case "attempt":
      c.attempts++;
      m.totals.attempts++;
      if (Number(e.attempt) > 1) {
        c.retries++;
        m.totals.retries++;
      } else m.totals.ops++;
      break;
    case "outcome": {
      const ok = typeof e.status === "number" && e.status < 300;
      if (ok) {
        c.ok++;
        m.totals.ok++;
        const lat = Number(e.latency);
        c.lat.push(lat);
        const bin = String(Math.floor(lat / BIN) * BIN);
        put(m.hist, bin, (own(m.hist, bin) ?? 0) + 1);
      } else {
        c.failed++;
        m.totals.failed++;
      }
      break;
    }
    case "reject":
      c.rejected++;
      m.totals.rejected++;
      break;
    case "shed":
      c.shed++;
      m.totals.shed++;
      break;
    case "late":
      m.totals.late++;
      break;
    case "front":
      m.queueNow = Number(e.queue);
      c.queue = Math.max(c.queue, m.queueNow);
      c.limit = Number(e.limit);
      c.tokens = e.tokens === null ? null : Number(e.tokens);
      break;
    case "breaker":
      m.transitions.push({ t: e.t, node: String(e.node), from: String(e.from), to: String(e.to), reason: String(e.reason) });
      break;
    case "execute": {
      const op = String(e.op);
      const n = (own(m.executions, op) ?? 0) + 1;
      put(m.executions, op, n);
      if (n === 2) m.duplicates++;
      break;
    }
  }
}

export const metrics: Reducer<Metrics> = { id: "metrics", init: newMetrics, step: (m, e) => void metricsStep(m, e) };

/** A percentile of every successful operation's latency so far, from the histogram (bin start, ms). */
export function percentile(m: Metrics, q: number): number | null {
  const bins = Object.keys(m.hist)
    .map(Number)
    .sort((a, b) => a - b);
  const total = bins.reduce((n, b) => n + m.hist[String(b)]!, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const b of bins) {
    seen += m.hist[String(b)]!;
    if (seen >= rank) return b;
  }
  return bins.at(-1)!;
}
