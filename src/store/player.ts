// The player: one run as the page plays it — forward in time, back in time, and edited.
//
// Two engines share one trace. The live run keeps every node in its own Web Worker and
// plays forward frame by frame. The seek run is an in-process twin used only to jump: a seek
// restores the nearest snapshot, replays in this thread (a minute of virtual time costs a few
// milliseconds), and hands the resulting node states to the workers. Both produce the same
// trace for the same scenario (the conformance test), so which one computed an event is
// invisible. A learner's action is recorded at the current time into the scenario's timeline;
// the run is replayed from the last snapshot before it with the edited timeline, exactly as a
// fresh run of the edited scenario (the link the page then shows) would go.
//
// Play is open-ended: the scenario's `until` is where its script ends, not where the run must
// stop. The live run goes on as long as the learner plays; `horizon` is how far it has got, and
// the share link records that (`until` grows to it), so the link replays everything seen.
//
// Memory stays bounded on long runs: snapshots thin out with age and the trace keeps a window
// of recent events; anything older is re-derived by replay when the learner seeks to it.

import { Watch, type WatchState } from "../labs/checking.ts";
import type { Lab } from "../labs/types.ts";
import type { Run, RunConfig, RunSnapshot } from "../runtime/types.ts";
import type { ActionKind } from "../scenario/actions.ts";
import { actionKinds } from "../scenario/core-actions.ts";
import { isCore, type Action, type ActionAt, type Scenario } from "../scenario/types.ts";
import { Simulation } from "../sim/simulation.ts";
import { Trace, type TraceMark } from "../sim/trace.ts";
import type { NodeView } from "../sim/types.ts";

/** Virtual ms between snapshots near the present. */
export const SNAPSHOT_EVERY_MS = 500;
/**
 * Trace kept in memory: the last 30 s of virtual time (at most 200,000 events). Older events
 * live on in the hash, and come back by replay when the learner seeks to them.
 */
export const TRACE_WINDOW_MS = 30_000;
export const TRACE_WINDOW_MAX = 200_000;

interface Snapshot {
  /** Every event at or before t is in it; -1 is the start, before anything happened. */
  t: number;
  run: RunSnapshot;
  mark: TraceMark;
  /** What the lab's checks and reducers knew at the mark. */
  watch: WatchState;
}

export type { ActionAt } from "../scenario/types.ts";

export interface PlayerDeps {
  /** Start the live run (Web Workers in the page; in-process in tests). */
  startLive(cfg: RunConfig): Promise<Run>;
}

export class Player {
  private scenarioNow: Scenario;
  private snaps: Snapshot[] = [];
  /** Actions this learner recorded here: acting in the past replaces the ones after it. */
  private readonly recorded = new Set<Action>();
  private seeker: Simulation;
  private queue: Promise<unknown> = Promise.resolve();
  /** The furthest virtual time the run has been to. */
  private reached = 0;
  /** The action kinds of this lab (the core ones and its own). */
  readonly kinds: ReadonlyMap<string, ActionKind>;
  /** The lab's checks and reducers, following the trace as it grows (live checking). */
  private readonly watch: Watch;

  private constructor(
    readonly lab: Lab,
    scenario: Scenario,
    readonly params: Record<string, unknown>,
    private readonly live: Run,
    readonly trace: Trace,
  ) {
    this.scenarioNow = scenario;
    this.kinds = actionKinds(lab.actions);
    this.seeker = new Simulation(scenario, lab.protocol, params, trace, lab.actions);
    this.watch = new Watch(lab.checks, lab.reducers ?? [], { scenario, params });
  }

  static async start(lab: Lab, scenario: Scenario, params: Record<string, unknown>, deps: PlayerDeps): Promise<Player> {
    const trace = new Trace();
    const live = await deps.startLive({ scenario, labId: lab.id, protocol: lab.protocol, params, trace, actions: lab.actions ?? [] });
    const p = new Player(lab, scenario, params, live, trace);
    p.snaps.push({ t: -1, run: await live.snapshot(), ...p.markNow() });
    // Boot every node (the inits at t = 0), so that time 0 means "everything at 0 has
    // happened" as it does at every other time, and the first views are of running nodes.
    await live.advance(0);
    return p;
  }

  /** The scenario as edited so far, with its scripted `until`. */
  get scenario(): Scenario {
    return this.scenarioNow;
  }

  /** How far the run goes: the script's end, or further if the learner played on. */
  get horizon(): number {
    return Math.max(this.scenarioNow.until, this.reached);
  }

  /** What a share link carries: the edited scenario, `until` stretched to the horizon. */
  get linkScenario(): Scenario {
    const until = Math.ceil(this.horizon);
    return until === this.scenarioNow.until ? this.scenarioNow : { ...this.scenarioNow, until };
  }

  /** Virtual ms reached: every event at or before it has happened. */
  get time(): number {
    return this.live.engine.now;
  }

  /** The live engine, to read (status, positions, groups). */
  get engine() {
    return this.live.engine;
  }

  get workerCount(): number {
    return this.live.workerCount;
  }

  get snapshotCount(): number {
    return this.snaps.length;
  }

  views(): Promise<NodeView[]> {
    return this.serial(() => this.live.views());
  }

  /** The lab's checks and reducers, caught up with every event so far. */
  checked(): Watch {
    this.watch.feed(this.trace.events, this.trace.first);
    return this.watch;
  }

  /** Play forward to t on the live run (ignored if t is not ahead); past the script's end too. */
  advanceTo(t: number): Promise<void> {
    return this.serial(() => this.forward(t));
  }

  /** Show time t, back or forward, anywhere up to the horizon. */
  seek(t: number): Promise<void> {
    return this.serial(() => this.jump(Math.max(0, Math.min(t, this.horizon))));
  }

  /** The next event, whatever it is (a message, a timer, an action). */
  stepForward(): Promise<void> {
    return this.serial(async () => {
      const next = this.live.engine.peek(Number.POSITIVE_INFINITY);
      if (next !== null) await this.forward("node" in next ? next.node.t : next.action.t);
    });
  }

  /** Back to the time of the event before the current time. */
  stepBack(): Promise<void> {
    return this.serial(async () => {
      const now = this.time;
      const ev = this.trace.events;
      let k = ev.length - 1;
      while (k >= 0 && ev[k]!.t >= now) k--;
      await this.jump(k >= 0 ? ev[k]!.t : 0);
    });
  }

  /**
   * Record an action at the current time. Actions this learner recorded after it are
   * dropped (acting in the past starts a new branch), and so is one of the same kind on the
   * same target at this very instant (a slider settled twice); scripted ones stay. Returns
   * what was replaced and the timeline before, so the page can offer an undo.
   */
  act(action: ActionAt): Promise<Edit> {
    return this.serial(async () => {
      const t = this.time;
      const stamped = { ...action, t } as Action;
      const before = this.scenarioNow.timeline;
      const mine = (a: Action) => this.recorded.has(a);
      const replaced = before.filter((a) => mine(a) && a.t > t);
      const timeline = before.filter((a) => !(mine(a) && (a.t > t || (a.t === t && sameTarget(this.kinds, a, stamped)))));
      timeline.push(stamped);
      this.recorded.add(stamped);
      // Replay from strictly before t, so the action goes before whatever else happened at t.
      await this.rewrite(timeline, t, t);
      return { t, replaced, before };
    });
  }

  /**
   * Put back a timeline (an undo): the run is replayed from before `from`, the earliest time
   * the two timelines differ, to the current time.
   */
  restoreTimeline(timeline: readonly Action[], from: number): Promise<void> {
    return this.serial(() => this.rewrite([...timeline], from, this.time));
  }

  /**
   * Apply `set` changes from t = 0 (a lesson's "switch the rule back on and replay"): they
   * join the timeline at 0, replacing any earlier set of the same path there, and the run
   * goes back to 0.
   */
  applyFromStart(changes: readonly { path: string; value: unknown }[]): Promise<void> {
    return this.serial(async () => {
      const paths = new Set(changes.map((c) => c.path));
      const kept = this.scenarioNow.timeline.filter((a) => !(a.t === 0 && isCore(a) && a.do === "set" && paths.has(a.path)));
      const sets: Action[] = changes.map((c) => ({ t: 0, do: "set", path: c.path, value: c.value }));
      for (const a of sets) this.recorded.add(a);
      await this.rewrite([...sets, ...kept], 0, 0);
    });
  }

  close(): void {
    this.live.close();
  }

  /**
   * Run on `timeline` instead: replay from the last snapshot strictly before `from` (the
   * earliest time the timelines differ) to `to`, and hand the result to the live run.
   */
  private async rewrite(timeline: Action[], from: number, to: number): Promise<void> {
    this.scenarioNow = { ...this.scenarioNow, timeline };
    this.snaps = this.snaps.filter((s) => s.t < from);
    const snap = this.snaps[this.snaps.length - 1]!;
    this.back(snap);
    this.seeker.restore(snap.run);
    this.seeker.engine.setTimeline(timeline);
    // The live run goes back to the snapshot first: only there do both timelines agree on
    // what has been applied, so the engine accepts the new one.
    await this.live.restore(snap.run);
    this.live.setTimeline(timeline);
    this.replayTo(to);
    await this.live.restore(this.seeker.snapshot());
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => {});
    return next;
  }

  private async forward(t: number): Promise<void> {
    let boundary = (Math.floor(Math.max(0, this.time) / SNAPSHOT_EVERY_MS) + 1) * SNAPSHOT_EVERY_MS;
    while (boundary <= t) {
      await this.live.advance(boundary);
      this.keep({ t: boundary, run: await this.live.snapshot(), ...this.markNow() });
      boundary += SNAPSHOT_EVERY_MS;
    }
    if (t > this.time) await this.live.advance(t);
    if (this.time > this.reached) this.reached = this.time;
  }

  private async jump(t: number): Promise<void> {
    if (t === this.time) return;
    let from: Snapshot;
    if (t > this.time) {
      // Forward: replay from where the live run stands. (Snapshots ahead of it hold node
      // states, but the trace events between them were cut when the learner went back.)
      from = { t: this.time, run: await this.live.snapshot(), ...this.markNow() };
    } else {
      from = this.snaps.filter((s) => s.t <= t).pop()!;
      this.back(from);
    }
    this.seeker.restore(from.run);
    this.replayTo(t);
    await this.live.restore(this.seeker.snapshot());
    if (this.time > this.reached) this.reached = this.time;
  }

  /**
   * Run the seek engine to t, keeping snapshots on the way: every 500 ms over the last 10 s
   * before t, every 5 s before that (what thinning would keep anyway, without the copies).
   */
  private replayTo(t: number): void {
    const near = t - 10_000;
    let b = this.seeker.engine.now;
    for (;;) {
      const every = b < near ? 5_000 : SNAPSHOT_EVERY_MS;
      b = (Math.floor(Math.max(0, b) / every) + 1) * every;
      if (b > t) break;
      this.seeker.runUntil(b);
      this.keep({ t: b, run: this.seeker.snapshot(), ...this.markNow() });
    }
    this.seeker.runUntil(t);
  }

  /** Where the trace stands, with the checks caught up to it (they must see events before they are forgotten). */
  private markNow(): { mark: TraceMark; watch: WatchState } {
    return { mark: this.trace.mark(), watch: this.checked().snapshot() };
  }

  /** Back to a snapshot's trace and what the checks knew there. */
  private back(s: Snapshot): void {
    this.trace.rewind(s.mark);
    this.watch.restore(s.watch);
  }

  /** Add a snapshot and thin the old ones: dense near the newest, sparse far back. */
  private keep(s: Snapshot): void {
    const i = this.snaps.findIndex((x) => x.t >= s.t);
    if (i === -1) this.snaps.push(s);
    else if (this.snaps[i]!.t === s.t) this.snaps[i] = s;
    else this.snaps.splice(i, 0, s);
    this.snaps = thin(this.snaps, this.snaps[this.snaps.length - 1]!.t);
    this.trace.forgetBefore(s.t - TRACE_WINDOW_MS, TRACE_WINDOW_MAX);
  }
}

/** What a learner's action did to the timeline: enough to say so, and to undo it. */
export interface Edit {
  t: number;
  /** The learner's own later actions it replaced (acting in the past). */
  replaced: Action[];
  /** The timeline before the action. */
  before: readonly Action[];
}

/** Two actions that do the same thing to the same target (the later one wins), as their kind says. */
function sameTarget(kinds: ReadonlyMap<string, ActionKind>, a: Action, b: Action): boolean {
  return a.do === b.do && (kinds.get(a.do)?.replaces?.(a, b) ?? false);
}

/**
 * Keep every snapshot in the last 10 s before `now`, one per 5 s back to a minute, one per
 * minute beyond: a one-hour run keeps about a hundred, and a seek replays at most a minute.
 */
export function thin<S extends { t: number }>(snaps: S[], now: number): S[] {
  const out: S[] = [];
  let last = "";
  for (const s of snaps) {
    const age = now - s.t;
    const width = s.t < 0 || age <= 10_000 ? 0 : age <= 60_000 ? 5_000 : 60_000;
    const bucket = width === 0 ? `t${s.t}` : `${width}:${Math.floor(s.t / width)}`;
    if (bucket !== last) out.push(s);
    last = bucket;
  }
  return out;
}
