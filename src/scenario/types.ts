// The scenario: the public, versioned document a run is a pure function of.
// Links in the wild depend on these shapes; schema.ts validates them and migrate.ts keeps
// older versions loading. See DESIGN.md, "Scenario".

export const SCENARIO_VERSION = 1;

export interface ClockSkew {
  /** ms added to virtual time (positive: this node's clock runs ahead). */
  offset?: number;
  /** Fractional rate error: 0.001 gains 1 ms per virtual second. */
  drift?: number;
  /** A one-off step of the clock at virtual time `at` by `by` ms (negative: backward, as NTP may). */
  step?: { at: number; by: number };
}

export interface NodeSpec {
  id: string;
  /** Position in the unit square; the view scales it. Distance decides who can talk (network.reach). */
  x: number;
  y: number;
  clock?: ClockSkew;
  /** The node's role, in a lab whose nodes run different protocols (e.g. "client", "server"). */
  role?: string;
}

/** A pair's own latency, overriding network.latency for messages between a and b (both ways). */
export interface LinkSpec {
  a: string;
  b: string;
  latency: [number, number];
}

export interface NetworkSpec {
  /** [min, max] one-way delay in ms: base `min` plus jitter drawn uniformly up to `max`. */
  latency: [number, number];
  /** Probability that a message is lost. */
  loss: number;
  /** Probability that a message is delivered twice (same id, independent delays). */
  duplicate: number;
  /** false: each link is FIFO (a later message never overtakes). true: delays are independent. */
  reorder: boolean;
  /** Two nodes within this distance (unit square) are linked; default 0.35. */
  reach?: number;
  links?: LinkSpec[];
}

/** The actions every lab has (core-actions.ts says what each does). */
export type CoreAction =
  | { t: number; do: "partition"; groups: string[][] }
  | { t: number; do: "heal" }
  | { t: number; do: "crash"; node: string }
  | { t: number; do: "restart"; node: string }
  | { t: number; do: "set"; path: string; value: unknown }
  | { t: number; do: "command"; node: string; cmd: unknown }
  | { t: number; do: "move"; node: string; x: number; y: number }
  /** A node joins the run (its stream seeded by its id, like every node's), at x, y or near the middle. */
  | { t: number; do: "add-node"; node: string; role?: string; x?: number; y?: number }
  /** A node leaves the run for good. */
  | { t: number; do: "remove-node"; node: string };

/** An action a lab defines (its `actions`, e.g. the ring lab's `add-server`): its own fields, checked by its kind. */
export interface LabAction {
  t: number;
  do: string;
  [field: string]: unknown;
}

export type Action = CoreAction | LabAction;

const CORE_NAMES: ReadonlySet<string> = new Set(["partition", "heal", "crash", "restart", "set", "command", "move", "add-node", "remove-node"] satisfies CoreAction["do"][]);

/** Whether an action is one of the core ones (and so has their exact shape once parsed). */
export function isCore(a: Action): a is CoreAction {
  return CORE_NAMES.has(a.do);
}

/** A timeline action as a learner makes it, before the player stamps its time. */
export type ActionAt = Action extends infer A ? (A extends Action ? Omit<A, "t"> : never) : never;

export interface Scenario {
  v: typeof SCENARIO_VERSION;
  lab: string;
  /** Gallery scenarios carry a name and a title; a learner's edits keep them. */
  name?: string;
  title?: string;
  seed: number;
  /** Virtual ms the run lasts. */
  until: number;
  nodes: NodeSpec[];
  network: NetworkSpec;
  params: Record<string, unknown>;
  timeline: Action[];
}

export const DEFAULT_REACH = 0.35;
