// The page's state (zustand): one store in slices — the session (which lab and scenario),
// playback (time, speed, playing), the frame (what the views draw at the current time) and
// the selection. Plain data only: the controller (controller.ts) changes it, the views read it
// through one selector per field, and what can be derived (the scrubber's marks, the reach) is
// derived where it is read (`marksOf`, `reachOf`), not stored twice.

import { create } from "zustand";
import type { Lab, Violation } from "../labs/types.ts";
import { actionKinds, actionLabel } from "../scenario/core-actions.ts";
import type { Action, NetworkSpec, Scenario } from "../scenario/types.ts";
import { DEFAULT_REACH } from "../scenario/types.ts";
import type { NodeView } from "../sim/types.ts";
import type { FlyingMessage, NetNode } from "./frame.ts";

/** Playback speeds, in virtual ms per real ms: from slow motion to fast-forward. */
export const SPEEDS = [0.02, 0.05, 0.1, 0.25, 1, 4, 20, 100] as const;
export const DEFAULT_SPEED = 0.1;

export interface Note {
  seq: number;
  t: number;
  /** The node that wrote it; empty for an action. */
  node: string;
  text: string;
  /** A timeline action (a fault, a join, a lab's own), not a node's note. */
  action?: true;
}

export interface Mark {
  t: number;
  label: string;
}

export interface NodeRow {
  id: string;
  view: NodeView;
}

interface SessionSlice {
  /** The home page (every lab as a card) instead of a lab. */
  home: boolean;
  lab: Lab | null;
  scenario: Scenario | null;
  /** Why the address could not be honoured (a bad link), shown above the lab. */
  notice: string | null;
  /** Why the run could not start or stopped. */
  error: string | null;
  /** Whether the current scenario was edited or came from a link (the URL then carries it). */
  shared: boolean;
}

interface PlaybackSlice {
  time: number;
  /** Where the scenario's script ends (its `until`); play goes on past it. */
  scriptEnd: number;
  /** How far the run goes: the script's end, or as far as the learner has played. */
  horizon: number;
  playing: boolean;
  speed: number;
}

/** The learner's last action replaced later ones: say so, and offer to put them back. */
export interface Undo {
  message: string;
  before: readonly Action[];
  from: number;
}

interface FrameSlice {
  nodes: NetNode[];
  rows: NodeRow[];
  messages: FlyingMessage[];
  notes: Note[];
  hash: string;
  events: number;
  workers: number;
  /** The lab's params as they stand at the current time. */
  params: Record<string, unknown>;
  /** The network as it stands at the current time (after any `set`), null before a run. */
  network: NetworkSpec | null;
  /** What the lab's checks found so far, live (checking.ts). */
  violations: readonly Violation[];
  /** The lab's reducers' states by id: what its stage draws. */
  series: Readonly<Record<string, unknown>>;
}

interface SelectionSlice {
  selected: string | null;
  undo: Undo | null;
}

export type PlaygroundState = SessionSlice & PlaybackSlice & FrameSlice & SelectionSlice;

export const initial: PlaygroundState = {
  home: false,
  lab: null,
  scenario: null,
  notice: null,
  error: null,
  shared: false,
  time: 0,
  scriptEnd: 0,
  horizon: 0,
  playing: false,
  speed: DEFAULT_SPEED,
  nodes: [],
  rows: [],
  messages: [],
  notes: [],
  hash: "",
  events: 0,
  workers: 0,
  params: {},
  network: null,
  violations: [],
  series: {},
  selected: null,
  undo: null,
};

export const usePlayground = create<PlaygroundState>(() => initial);

/** Two nodes within this distance can talk (the network's reach, after any `set`). */
export function reachOf(network: NetworkSpec | null): number {
  return network?.reach ?? DEFAULT_REACH;
}

/** The timeline's actions as marks on the scrubber, in each kind's words (derived from the scenario, never stored). */
export function marksOf(s: Scenario | null, lab: Lab | null): Mark[] {
  if (s === null) return [];
  const kinds = actionKinds(lab?.actions);
  return s.timeline.map((a) => ({ t: a.t, label: actionLabel(a, kinds) }));
}
