// What a lab's page half receives: its panel's and its stage's props. Apart from the registry
// (views.ts), so that each lab's view imports these types without importing the registry that
// imports it.

import type { ComponentType } from "react";
import type { ActionAt } from "../scenario/types.ts";
import type { TraceEvent } from "../sim/trace.ts";
import type { DownView, NodeView } from "../sim/types.ts";

/** `V`: the lab's node view while a node is up (its protocols' `view`); a node that is not shows a DownView. */
export interface LabViewProps<V extends { status: string } = NodeView> {
  nodes: { id: string; view: V | DownView }[];
  time: number;
  /** The lab's params as they stand now (after any `set params.*` so far). */
  params: Record<string, unknown>;
  /** Record an action at the current time (a client command, a rule switch). */
  act(a: ActionAt): void;
  /** Trace events in memory, for panels that show history (violations, seeks). */
  events: readonly TraceEvent[];
  /** The lab's reducers' states by id (labs/checking.ts), as the stage gets them. */
  series: Readonly<Record<string, unknown>>;
  /** Seek the playground to a time. */
  seek(t: number): void;
}

/** What a lab's stage draws from: its reducers' series over the whole run, and the time. */
export interface LabStageProps<V extends { status: string } = NodeView> {
  /** The lab's reducers' states by id (labs/checking.ts). */
  series: Readonly<Record<string, unknown>>;
  time: number;
  nodes: { id: string; view: V | DownView }[];
  params: Record<string, unknown>;
  act(a: ActionAt): void;
  seek(t: number): void;
}

export interface LabUi<V extends { status: string } = NodeView> {
  View: ComponentType<LabViewProps<V>>;
  /** The lab's own stage (a ring, a space-time diagram), shown beside the network view or instead of it. */
  stage?: {
    title: string;
    Stage: ComponentType<LabStageProps<V>>;
    /** What the lab opens with: its own stage alone, or beside the network (default: the network). */
    opens?: "stage" | "both";
  };
}

/** A lab's page half, written against its own node view; the registry holds every lab's alike. */
export function labUi<V extends { status: "up" }>(ui: LabUi<V>): LabUi {
  return ui as unknown as LabUi;
}
