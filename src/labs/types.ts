// The lab contract: everything the engine, the CLI and the page need to know about one lab.
// A lab's view and lesson are paired with it in labs/views.ts, so Node and the workers never
// load React or D3.

import type { GenericSchema } from "valibot";
import type { ActionKind } from "../scenario/actions.ts";
import type { Scenario } from "../scenario/types.ts";
import type { NodeView, NodeViewOf, Protocols } from "../sim/types.ts";

/** A message kind and its colour (any CSS colour), per colour scheme. */
export interface KindColour {
  kind: string;
  light: string;
  dark: string;
}

/** A node tone's fill and stroke (any CSS colour), per colour scheme. */
export interface ToneColour {
  fill: string;
  stroke: string;
  darkFill: string;
  darkStroke: string;
}

export type { Check, CheckContext, IncrementalCheck, Reducer, Violation } from "./checking.ts";
import type { Check, Reducer } from "./checking.ts";

/** One step of a lab's guided lesson: a situation (a gallery scenario) and something to try. */
export interface LessonStep {
  title: string;
  /** What to look at and what to try, in a sentence or three. */
  text: string;
  /** The gallery scenario this step opens. */
  scenario: string;
  /** A change the step's "Try" asks for, which the page offers as one click: it is applied from t = 0 and the run replays. */
  fix?: { label: string; set: { path: string; value: unknown }[] };
}

/**
 * What a lab's folder writes: everything but what `defineLab` derives. `V` is its protocols'
 * node view (`{ status: "up", ... }`), so its label and tone read typed fields.
 */
export type LabDefinition<V extends { status: "up" } = { status: "up"; [field: string]: unknown }> = Omit<Lab, "roles" | "protocol" | "label" | "tone"> & {
  protocol: Protocols<V>;
  label(view: NodeViewOf<V>): string;
  tone?(view: NodeViewOf<V>): string | undefined;
};

export interface Lab {
  id: string;
  title: string;
  /** One sentence: what the lab teaches. */
  summary: string;
  /** One sentence: the systems and libraries that run this in production. */
  inProduction: string;
  /** One protocol for every node, or one per role (`{ roles: { client, server } }`, in the order the view shows them). */
  protocol: Protocols;
  /** The roles of `protocol`, in order (none for a lab with one protocol); defineLab fills it. */
  readonly roles: readonly string[];
  /** The lab's params: validated on every load; defaults fill what a scenario leaves out. */
  params: GenericSchema<unknown, Record<string, unknown>>;
  /** How many nodes the lab runs with, [min, max]; any number when absent. */
  nodeCount?: readonly [number, number];
  /** Every message kind its protocols send (Protocol.messageKind), with its colour, in legend order. */
  messageKinds: KindColour[];
  /** One line under a node in the network view, from its view. */
  label(view: NodeView): string;
  /** A colour key for a node that is up, one of `tones`. */
  tone?(view: NodeView): string | undefined;
  /** Colours of the node tones `tone` gives, if any. */
  tones?: Record<string, ToneColour>;
  /** The lab's own timeline actions, beside the core ones (scenario/actions.ts). */
  actions?: readonly ActionKind[];
  /** Run live in the page and at the end in the CLI (checking.ts). */
  checks: Check[];
  /** The lab's own figures of a finished run, from its reducers' states (by id): the CLI prints them. */
  summarize?(series: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /**
   * The run as a log for ShiViz (the vector-clock visualizer), from its reducers' states: for a
   * lab whose nodes keep vector clocks. The CLI writes it with `run --shiviz <file>`.
   */
  shiviz?(series: Readonly<Record<string, unknown>>): string;
  /** Fold the run into what the lab's stage draws, live and across seeks (checking.ts). */
  reducers?: Reducer[];
  /** Gallery scenarios; the first is the lab's default. Each has a unique `name`. */
  scenarios: Scenario[];
  lesson: LessonStep[];
}
