// Timeline actions as modules. Each kind of action — the core ones (core-actions.ts) and any a
// lab defines (`actions` in its definition) — is one `ActionKind`: the fields a link may carry,
// what the engine does when the action's time comes, and the words the timeline uses for it.
// The engine does it through `ActionRun`, the run's primitives, so a lab action is written in
// the same terms as a core one (`add-server` is an `addNode` with the role "server").

import type * as v from "valibot";

/** Any action: its time, its kind, and the kind's fields. */
export interface ActionBase {
  t: number;
  do: string;
}

export type RunNodeStatus = "up" | "down" | "failed" | "removed";

/**
 * What an action may do to a run. Each primitive records itself in the trace as the core action
 * of the same name does, and tells the host what to do to the nodes; all of it happens at the
 * action's time, in the order the action calls them.
 */
export interface ActionRun {
  /** The action's time. */
  readonly now: number;
  /** Every node the run has had, in order (a node that left keeps its place). */
  nodes(): readonly string[];
  /** A node's status now, or undefined for an id the run never had. */
  status(node: string): RunNodeStatus | undefined;
  /** A node's role, if the lab gives roles. */
  role(node: string): string | undefined;
  /** The lab's params as they stand (after any `set params.*` so far). */
  params(): Readonly<Record<string, unknown>>;
  /** Add an event of the lab's own to the trace (`kind` must not be a core trace kind). */
  record(kind: string, data: Record<string, unknown>): void;
  partition(groups: readonly (readonly string[])[]): void;
  heal(): void;
  move(node: string, x: number, y: number): void;
  crash(node: string): void;
  restart(node: string): void;
  set(path: string, value: unknown): void;
  command(node: string, cmd: unknown): void;
  addNode(node: string, at?: { role?: string; x?: number; y?: number }): void;
  removeNode(node: string): void;
}

/** One kind of timeline action. `A` is the action's shape, `do` and `t` included. */
export interface ActionKind<A extends ActionBase = ActionBase> {
  /** The `do` that names it in a scenario, e.g. "crash" or "add-server". */
  do: A["do"];
  /** Its fields besides `t` and `do`, as valibot entries (a link is checked against them). */
  fields: v.ObjectEntries;
  /** A check across fields, after each field passed: which field is wrong and why, or null. */
  refine?(a: A): { field: string; says: string } | null;
  /** Ids of nodes it acts on, which must be in the run (from the start, or joined before it). */
  names?(a: A): string[];
  /** A node it brings into the run: a new id, and the role it takes. */
  joins?(a: A): { node: string; role?: string } | null;
  /**
   * The trace kind the action is recorded under, when its `do` is already a trace event's own
   * name (the resilience lab's `fail`, whose name the issue gives, is recorded as `fault`: the
   * engine's `fail` is a node whose handler threw). Absent: its `do`.
   */
  traceAs?: string;
  /** What the engine does at the action's time. */
  apply(a: A, run: ActionRun): void;
  /** The timeline's and the narration's words for it ("crash n3", "s4 joins as server"). */
  label(a: A): string;
  /**
   * When a learner makes `b` while `a` is in the timeline after it, whether `b` takes `a`'s
   * place (a later `set` of the same path, a later move of the same node); undo brings `a` back.
   */
  replaces?(a: A, b: A): boolean;
}

/** Declare an action kind with its own type; the registry keeps it as a plain ActionKind. */
export function defineAction<A extends ActionBase>(kind: ActionKind<A>): ActionKind {
  return kind as unknown as ActionKind;
}

/** Kinds by name: the core ones, then a lab's (a lab cannot redefine a core action). */
export type ActionKinds = ReadonlyMap<string, ActionKind>;

/** A lab action's name: lower case, digits and dashes, like the core ones. */
export const ACTION_NAME = /^[a-z][a-z0-9-]{0,39}$/;
