// Checks and reducers that follow a run as it happens.
//
// A check is fed each trace event once, in order, and keeps whatever state it needs (Raft's:
// each node's log as the observations rebuild it; gossip's: the increments made so far) — never
// the trace itself, so it works on a run of any length, in the page (which keeps only a window
// of recent events) and in the CLI alike. Its state is plain data: the page snapshots it with
// the run, so a seek restores what the check knew at that time. A reducer is the same without
// violations: it folds events into what a lab's stage draws (load per server, arrows, percentiles).
//
// `Watch` runs a lab's checks and reducers over a trace, catching up from where it stopped.

import type { Scenario } from "../scenario/types.ts";
import type { TraceEvent } from "../sim/trace.ts";

/** A broken property, pointing at the trace events (by seq) that make it. */
export interface Violation {
  check: string;
  message: string;
  t: number;
  events: number[];
}

/**
 * Check state keeps its maps as plain objects (a snapshot is a `structuredClone`). Read them
 * with `own`, so a key such as "toString" finds nothing inherited, and write them with `put`,
 * so even "__proto__" stays an ordinary key.
 */
export function own<T>(d: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(d, key) ? d[key] : undefined;
}

export function put<T>(d: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(d, key, { value, writable: true, enumerable: true, configurable: true });
  else d[key] = value;
}

/** What a check or reducer knows of the run before its first event. */
export interface CheckContext {
  scenario: Scenario;
  /** The lab's params with defaults filled in. */
  params: Readonly<Record<string, unknown>>;
}

export interface IncrementalCheck<S = any> {
  id: string;
  title: string;
  init(ctx: CheckContext): S;
  /**
   * The kinds of event `step` reads: it must leave its state alone and find nothing on any
   * other kind. A watch hands it only those (most of a run is sends, deliveries and timers,
   * which no check of a lab may need). Absent: every event.
   */
  kinds?: readonly string[];
  /** One event, in trace order. May update `state` in place; returns what this event reveals. */
  step(state: S, e: TraceEvent): readonly Violation[] | void;
  /** At the end of a run: what only the end can show (a run that never converged). */
  finish?(state: S, end: number): readonly Violation[] | void;
}

/** A check, with `run` over a whole trace (tests and tools) derived from its steps. */
export interface Check<S = any> extends IncrementalCheck<S> {
  run(trace: readonly TraceEvent[], scenario: Scenario, params?: Readonly<Record<string, unknown>>): Violation[];
}

export function defineCheck<S>(c: IncrementalCheck<S>): Check<S> {
  return {
    ...c,
    run(trace, scenario, params = scenario.params) {
      const state = c.init({ scenario, params });
      const out: Violation[] = [];
      // Only the kinds it reads, as a watch hands them.
      const kinds = c.kinds === undefined ? null : new Set(c.kinds);
      for (const e of trace) {
        if (kinds !== null && !kinds.has(e.kind)) continue;
        const found = c.step(state, e);
        if (found) out.push(...found);
      }
      const end = c.finish?.(state, scenario.until);
      if (end) out.push(...end);
      return out;
    },
  };
}

/** Folds events into what a lab's stage draws. */
export interface Reducer<S = any> {
  id: string;
  init(ctx: CheckContext): S;
  /** One event, in trace order; may update `state` in place, or return a new one. */
  step(state: S, e: TraceEvent): S | void;
}

/** Plain data: a snapshot of a watch. */
export interface WatchState {
  /** The seq of the next event to feed. */
  next: number;
  checks: unknown[];
  reducers: unknown[];
  violations: Violation[];
}

/** Keep this many violations at most: a broken rule on a long run must not fill memory. */
export const MAX_VIOLATIONS = 500;

export class Watch {
  private s: WatchState;
  /** By kind: the checks that read it, in order (with those that read every kind). */
  private readonly byKind = new Map<string, number[]>();
  /** The checks that read every kind: all a kind no check names goes to. */
  private readonly anyKind: number[];

  constructor(
    private readonly checks: readonly IncrementalCheck[],
    private readonly reducers: readonly Reducer[],
    private readonly ctx: CheckContext,
  ) {
    this.s = this.fresh();
    this.anyKind = checks.flatMap((c, k) => (c.kinds === undefined ? [k] : []));
    checks.forEach((c, k) => {
      for (const kind of c.kinds ?? []) {
        let list = this.byKind.get(kind);
        if (list === undefined) this.byKind.set(kind, (list = [...this.anyKind]));
        if (!list.includes(k)) list.push(k);
      }
    });
    // In the checks' own order, so violations come out as if every check saw every event.
    for (const list of this.byKind.values()) list.sort((a, b) => a - b);
  }

  private fresh(): WatchState {
    return {
      next: 0,
      checks: this.checks.map((c) => c.init(this.ctx)),
      reducers: this.reducers.map((r) => r.init(this.ctx)),
      violations: [],
    };
  }

  /** The seq of the next event this watch needs. */
  get next(): number {
    return this.s.next;
  }

  get violations(): readonly Violation[] {
    return this.s.violations;
  }

  /** A reducer's state, by id. */
  series(id: string): unknown {
    const k = this.reducers.findIndex((r) => r.id === id);
    return k < 0 ? undefined : this.s.reducers[k];
  }

  /** Every reducer's state, by id. */
  allSeries(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.reducers.forEach((r, k) => (out[r.id] = this.s.reducers[k]));
    return out;
  }

  /**
   * Feed the events it has not seen: `events[i]` has seq `first + i`. Throws if the events it
   * needs next are already gone (the caller must feed before it forgets).
   */
  feed(events: readonly TraceEvent[], first: number): void {
    const s = this.s;
    if (s.next < first) throw new Error(`Watch.feed: events from seq ${s.next} are forgotten (the trace starts at ${first})`);
    // Events it has already seen are skipped, so feeding the same window again is harmless;
    // `next` moves past each event before its steps, so a step that throws is not fed that
    // event twice (the checks before it have already taken it).
    for (let i = s.next - first; i < events.length; i++) {
      const e = events[i]!;
      s.next = first + i + 1;
      const reading = this.byKind.get(e.kind) ?? this.anyKind;
      for (let j = 0; j < reading.length; j++) {
        const k = reading[j]!;
        const found = this.checks[k]!.step(s.checks[k], e);
        if (found && found.length > 0 && s.violations.length < MAX_VIOLATIONS) s.violations.push(...found.slice(0, MAX_VIOLATIONS - s.violations.length));
      }
      for (let k = 0; k < this.reducers.length; k++) {
        const next = this.reducers[k]!.step(s.reducers[k], e);
        if (next !== undefined) s.reducers[k] = next;
      }
    }
  }

  /** What only the end of a run shows (the CLI calls this once, after the last event). */
  finish(end: number): Violation[] {
    const out = [...this.s.violations];
    this.checks.forEach((c, k) => {
      const found = c.finish?.(this.s.checks[k], end);
      if (found) out.push(...found);
    });
    return out;
  }

  snapshot(): WatchState {
    return structuredClone(this.s);
  }

  restore(s: WatchState): void {
    this.s = structuredClone(s);
  }

  /** Back to before the first event. */
  reset(): void {
    this.s = this.fresh();
  }
}
