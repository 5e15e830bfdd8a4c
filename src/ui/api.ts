// `window.splitbrain`: the page's console and automation API (browser tests use it; so can a
// curious learner with devtools open). Reads return copies; the few verbs go through the same
// store actions as the buttons, so anything done here is recorded like a click.

import type { Scenario } from "../scenario/types.ts";
import type { TraceEvent } from "../sim/trace.ts";
import type { NodeView } from "../sim/types.ts";
import type { ActionAt } from "../store/player.ts";
import { act, currentPlayer, labs, pause, play, seek, setSpeed, shareLink, stepBack, stepForward } from "../store/controller.ts";
import { usePlayground } from "../store/state.ts";
import { liveWorkerCount } from "../store/spawn-web.ts";

/** One node as the page shows it: where it is drawn, its group, and what its lab's `view` returned. */
export interface NodeRow {
  id: string;
  status: string;
  x: number;
  y: number;
  group: number;
  label: string;
  view: NodeView;
}

export interface SplitbrainApi {
  /** Ids of every registered lab, in registry order. */
  labs(): string[];
  /** The scenario being played, with the learner's recorded actions. */
  scenario(): Scenario | null;
  /** Virtual ms shown (every event at or before it has happened). */
  time(): number;
  /** The hash of the trace up to the current time: equal hashes, equal runs. */
  traceHash(): string;
  /** Show time t; resolves once the page shows it. */
  seek(t: number): Promise<number>;
  /** The nodes, in scenario order. */
  nodes(): NodeRow[];
  play(): void;
  pause(): void;
  playing(): boolean;
  /** Playback speed in virtual ms per real ms; sets it when given. */
  speed(value?: number): number;
  stepForward(): Promise<number>;
  stepBack(): Promise<number>;
  /** Record an action at the current time, as the palette and drags do. */
  act(a: ActionAt): Promise<void>;
  /** Trace events still in memory (optionally of one kind). */
  events(kind?: string): TraceEvent[];
  /** The link that replays this run. */
  link(): string;
  /** Web Workers the page has started and not terminated. */
  workers(): number;
  host(): "worker";
  /** Why the run could not start or stopped, or null. */
  error(): string | null;
  /** Why the address could not be honoured (a bad link), or null. */
  notice(): string | null;
}

declare global {
  interface Window {
    splitbrain?: SplitbrainApi;
  }
}

/** Resolve after React has committed the latest state and the browser has painted it. */
function painted(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

export function installApi(): () => void {
  const s = usePlayground.getState;
  window.splitbrain = {
    labs: () => labs.map((l) => l.id),
    scenario: () => (currentPlayer()?.scenario ? structuredClone(currentPlayer()!.scenario) : null),
    time: () => s().time,
    traceHash: () => s().hash,
    async seek(t) {
      pause();
      await seek(t);
      await painted();
      return s().time;
    },
    nodes: () =>
      s().nodes.map((n, i) => ({
        id: n.id,
        status: n.status,
        x: n.x,
        y: n.y,
        group: n.group,
        label: n.label,
        view: structuredClone(s().rows[i]?.view ?? { status: n.status }),
      })),
    play,
    pause,
    playing: () => s().playing,
    speed(value) {
      if (value !== undefined && Number.isFinite(value) && value > 0) setSpeed(value);
      return s().speed;
    },
    async stepForward() {
      await stepForward();
      await painted();
      return s().time;
    },
    async stepBack() {
      await stepBack();
      await painted();
      return s().time;
    },
    async act(a) {
      await act(a);
      await painted();
    },
    events: (kind) => structuredClone((currentPlayer()?.trace.events ?? []).filter((e) => kind === undefined || e.kind === kind)),
    link: shareLink,
    workers: liveWorkerCount,
    host: () => "worker",
    error: () => s().error,
    notice: () => s().notice,
  };
  return () => {
    delete window.splitbrain;
  };
}
