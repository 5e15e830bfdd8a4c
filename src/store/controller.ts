// The controller: the run behind the page. It opens what the address asks for (a lab's run or
// the home page), drives the player (player.ts) with an animation loop, and turns the
// learner's controls into player calls, then writes what the views draw into the store
// (state.ts). Browser effects — the title, the address — go through browser.ts.

import { labs } from "../labs/index.ts";
import type { Violation } from "../labs/types.ts";
import type { Run, RunConfig } from "../runtime/types.ts";
import type { ActionKind } from "../scenario/actions.ts";
import type { TraceEvent } from "../sim/trace.ts";
import { messageKindOf, rolesOf } from "../sim/types.ts";
import { setAddress, setTitle, pageAddress } from "./browser.ts";
import type { NetNode, NodeShape } from "./frame.ts";
import { messagesAt } from "./messages.ts";
import { Player, type ActionAt } from "./player.ts";
import { openHash, type Opened } from "./route.ts";
import { initial, usePlayground, type NodeRow, type Note, type PlaygroundState } from "./state.ts";
import { encodeScenario } from "../scenario/codec.ts";

/** How roles are told apart in the network view, in the order a lab declares its roles. */
const SHAPES: readonly NodeShape[] = ["circle", "square", "diamond", "hexagon"];
/** Narration lines kept for the log. */
const NOTES_KEPT = 300;

// ---------------------------------------------------------------------------------------------
// The controller: the player and the animation loop. One player at a time; `generation` lets
// late answers from a closed player be ignored.

let player: Player | null = null;
let generation = 0;
let startLive: (cfg: RunConfig) => Promise<Run> = () => Promise.reject(new Error("no host configured"));

export function configure(start: (cfg: RunConfig) => Promise<Run>): void {
  startLive = start;
}

export function currentPlayer(): Player | null {
  return player;
}

const set = usePlayground.setState;
const get = usePlayground.getState;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Open whatever the address asks for (bad links fall back to the lab's default, with a notice). */
export function openAddress(hash: string): Promise<void> {
  const opened = openHash(hash);
  if (opened === "home") {
    closeRun();
    set({ ...initial, speed: get().speed, home: true });
    setTitle("splitbrain — learn distributed systems by breaking them");
    return Promise.resolve();
  }
  return open(opened, hash.startsWith("#s=") && opened.notice === null);
}

/** Stop playing and close the run, if any: nothing of it may reach the page afterwards. */
function closeRun(): void {
  ++generation;
  stopLoop();
  player?.close();
  player = null;
}

export async function open(o: Opened, shared: boolean): Promise<void> {
  closeRun();
  const gen = generation;
  set({
    ...initial,
    speed: get().speed,
    lab: o.lab,
    scenario: o.scenario,
    notice: o.notice,
    shared,
    scriptEnd: o.scenario.until,
    horizon: o.scenario.until,
    // Parsed, defaults filled: a lab's panel reads them before the run's first frame.
    params: o.params,
  });
  setTitle(`${o.lab.title} — splitbrain`);
  try {
    const p = await Player.start(o.lab, o.scenario, o.params, { startLive });
    if (gen !== generation) {
      p.close();
      return;
    }
    player = p;
    await refresh();
    play();
  } catch (err) {
    if (gen === generation) set({ error: `Could not start the run: ${describe(err)}` });
  }
}

/** Recompute what the views draw from the player's current state. */
export async function refresh(): Promise<void> {
  const p = player;
  if (p === null) return;
  const gen = generation;
  const views = await p.views();
  if (gen !== generation) return;
  const e = p.engine;
  const kindOf = (msg: unknown) => messageKindOf(p.lab.protocol, msg) ?? "message";
  const roles = rolesOf(p.lab.protocol);
  const events = p.trace.events;
  const time = p.time;
  const watch = p.checked();
  const found = watch.violations;
  const before = get();
  const rows: NodeRow[] = [];
  const nodes: NetNode[] = [];
  e.ids.forEach((id, i) => {
    const status = e.status[i]!;
    // A node that left the run is no longer drawn or listed.
    if (status === "removed") return;
    const view = views[i] ?? { status };
    rows.push({ id, view });
    const n: NetNode = {
      id,
      x: e.pos[i]!.x,
      y: e.pos[i]!.y,
      status,
      group: e.groups[i]!,
      label: status === "up" ? p.lab.label(view) : status,
    };
    const tone = status === "up" ? p.lab.tone?.(view) : undefined;
    if (tone !== undefined) n.tone = tone;
    if (roles.length > 0) {
      const role = e.roles[i] ?? roles[0]!;
      n.role = role;
      n.shape = SHAPES[Math.max(0, roles.indexOf(role)) % SHAPES.length]!;
    }
    nodes.push(n);
  });
  // Reducers may update their state in place: the same series only while no event came in.
  const series = traceMoved(p) ? watch.allSeries() : before.series;
  const messages = messagesAt(events, time, kindOf);
  // What did not change is handed on as the same objects (the worker host keeps the views of
  // nodes that ran nothing), so a view that reads it re-renders only when it did change.
  set({
    // A new list only when something new was found: the panel re-renders on change alone.
    violations: sameList(found, before.violations) ? before.violations : [...found],
    series,
    time,
    horizon: p.horizon,
    hash: hashNow(p),
    events: p.trace.length,
    workers: p.workerCount,
    params: e.params,
    network: e.net.spec,
    rows: reuse(rows, before.rows, (a, b) => a.id === b.id && a.view === b.view),
    nodes: reuse(nodes, before.nodes, shallowEqual),
    messages: messages.length === 0 && before.messages.length === 0 ? before.messages : messages,
    notes: notesNow(events, p.kinds),
  });
}

/** `next`, with each item equal to the one at its place in `prev` replaced by it; `prev` itself when all are. */
function reuse<T>(next: T[], prev: T[], same: (a: T, b: T) => boolean): T[] {
  let all = next.length === prev.length;
  for (let k = 0; k < next.length; k++) {
    const old = prev[k];
    if (old !== undefined && same(next[k]!, old)) next[k] = old;
    else all = false;
  }
  return all ? prev : next;
}

/** The same keys with the same values (compared by identity). */
function shallowEqual<T extends object>(a: T, b: T): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.hasOwn(b, k) || (a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}

/** The trace's end as the last frame saw it: most frames add no event, and then nothing read from the trace changed. */
let traceEnd: { trace: unknown; last: TraceEvent | undefined; length: number } = { trace: null, last: undefined, length: -1 };
let hashAt = traceEnd;
let hashWas = "";

/** Whether the trace has changed since the last call (a new run, new events, a rewind). */
function traceMoved(p: Player): boolean {
  const tr = p.trace;
  const last = tr.events[tr.events.length - 1];
  if (traceEnd.trace === tr && traceEnd.last === last && traceEnd.length === tr.length) return false;
  traceEnd = { trace: tr, last, length: tr.length };
  return true;
}

/** The trace hash, digested again only when the trace changed. */
function hashNow(p: Player): string {
  if (hashAt !== traceEnd) {
    hashAt = traceEnd;
    hashWas = p.trace.hash();
  }
  return hashWas;
}

/** The trace's end the notes were last read at: the same end, the same notes (no rescan per frame). */
let notesAt: { last: TraceEvent | undefined; length: number } = { last: undefined, length: -1 };

function notesNow(events: readonly TraceEvent[], kinds: ReadonlyMap<string, ActionKind>): Note[] {
  const last = events[events.length - 1];
  if (last === notesAt.last && events.length === notesAt.length) return get().notes;
  notesAt = { last, length: events.length };
  return notesOf(events, kinds);
}

/** The same violations (a restored watch holds new objects, so a rewind counts as a change). */
function sameList(a: readonly Violation[], b: readonly Violation[]): boolean {
  return a.length === b.length && a[a.length - 1] === b[b.length - 1];
}

/**
 * The narration: the nodes' notes, and the timeline's actions in their kinds' words as they
 * happen (a partition a move caused included). Commands are left to the node that handles them.
 */
function notesOf(events: readonly TraceEvent[], kinds: ReadonlyMap<string, ActionKind>): Note[] {
  const out: Note[] = [];
  // An action is recorded under its kind's trace name (its `do`, unless it says otherwise).
  const traced = new Map([...kinds.values()].map((k) => [k.traceAs ?? k.do, k]));
  for (let k = events.length - 1; k >= 0 && out.length < NOTES_KEPT; k--) {
    const e = events[k]!;
    if (e.kind === "note") out.push({ seq: e.seq, t: e.t, node: String(e.node), text: String(e.text) });
    else if (e.kind !== "command" && traced.has(e.kind)) {
      const { t, seq, kind, noop, ...fields } = e;
      const actionKind = traced.get(kind)!;
      const text = actionKind.label({ ...fields, t, do: actionKind.do });
      out.push({ seq, t, node: "", text: noop === true ? `${text} (no change)` : text, action: true });
    }
  }
  return out.reverse();
}

// ---------------------------------------------------------------------------------------------
// Playback. The loop plays whichever player is current; a frame still working for a player
// that has since been closed (the learner opened another lab) neither holds up the new run's
// frames nor stops them when it fails.

let frame: number | null = null;
let lastTick: number | null = null;
/** The player a frame is advancing right now, if any. */
let busy: Player | null = null;

export function play(): void {
  if (player === null) return;
  set({ playing: true });
  if (frame === null) frame = requestAnimationFrame(tick);
}

export function pause(): void {
  stopLoop();
  set({ playing: false });
  // The address follows the run: having played past the script's end is part of it.
  const p = player;
  if (p !== null && get().shared) setAddress("#s=" + encodeScenario(p.linkScenario));
}

export function togglePlay(): void {
  if (get().playing) pause();
  else play();
}

function stopLoop(): void {
  if (frame !== null) cancelAnimationFrame(frame);
  frame = null;
  lastTick = null;
}

async function tick(now: number): Promise<void> {
  frame = requestAnimationFrame(tick);
  const p = player;
  if (p === null || busy === p) return;
  // Cap a frame's step: a tab in the background must not come back with a leap.
  const dt = lastTick === null ? 0 : Math.min(now - lastTick, 100);
  lastTick = now;
  busy = p;
  try {
    await p.advanceTo(p.time + dt * get().speed);
    await refresh();
  } catch (err) {
    if (p === player) {
      pause();
      set({ error: `The run stopped: ${describe(err)}` });
    }
  } finally {
    if (busy === p) busy = null;
  }
}

export function setSpeed(speed: number): void {
  set({ speed });
}

/** Run `f` on the player, then show the result; playback continues afterwards if it was on. */
async function withPlayer(f: (p: Player) => Promise<void>): Promise<void> {
  const p = player;
  if (p === null) return;
  try {
    await f(p);
    if (p !== player) return;
    await refresh();
  } catch (err) {
    if (p !== player) return;
    pause();
    set({ error: `The run stopped: ${describe(err)}` });
  }
}

export function seek(t: number): Promise<void> {
  return withPlayer((p) => p.seek(t));
}

export function stepForward(): Promise<void> {
  pause();
  return withPlayer((p) => p.stepForward());
}

export function stepBack(): Promise<void> {
  pause();
  return withPlayer((p) => p.stepBack());
}

/** Record a learner's action at the current time; the address then carries the edited run. */
export function act(a: ActionAt): Promise<void> {
  return withPlayer(async (p) => {
    const edit = await p.act(a);
    const n = edit.replaced.length;
    const undo = n === 0 ? null : { message: `${n} later action${n === 1 ? "" : "s"} replaced`, before: edit.before, from: edit.t };
    edited(p, { undo });
  });
}

/** Put back the actions the learner's last action replaced. */
export function undoReplace(): Promise<void> {
  const u = get().undo;
  if (u === null) return Promise.resolve();
  return withPlayer(async (p) => {
    await p.restoreTimeline(u.before, u.from);
    edited(p, { undo: null });
  });
}

/** Apply changes from t = 0 and replay from there (a lesson's "switch it back and replay"). */
export function applyFromStart(changes: readonly { path: string; value: unknown }[]): Promise<void> {
  return withPlayer(async (p) => {
    await p.applyFromStart(changes);
    edited(p, { undo: null });
    play();
  });
}

function edited(p: Player, extra: Partial<PlaygroundState>): void {
  set({ scenario: p.scenario, shared: true, ...extra });
  setAddress("#s=" + encodeScenario(p.linkScenario));
}

export function dismissUndo(): void {
  set({ undo: null });
}

export function select(id: string | null): void {
  set({ selected: id });
}

export function shareLink(): string {
  const s = player?.linkScenario ?? get().scenario;
  const here = pageAddress();
  return s === null ? here : `${here}#s=${encodeScenario(s)}`;
}

export { labs };
