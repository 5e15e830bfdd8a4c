// The contract between the engine and a lab's protocol.
//
// A protocol is a set of pure functions over plain data. It never sees the engine, the
// network or a worker: like a TigerBeetle replica, it receives time and randomness through
// `ctx` and answers with effects. That is what lets the same code run in-process, in a Web
// Worker, in the CLI and in a test, and give the same trace everywhere.

export type NodeId = string;

/** A node's view of randomness: one seeded stream per node (see prng.ts). */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number;
  /** A float in [lo, hi). */
  range(lo: number, hi: number): number;
}

/** What a handler may know about the world. */
export interface Ctx {
  /** This node's id. */
  readonly self: NodeId;
  /** Every other node of the scenario, in scenario order. */
  readonly peers: readonly NodeId[];
  /** Each node's role, in a lab with roles (a client finds its server here); empty otherwise. */
  readonly roles: Readonly<Record<NodeId, string>>;
  /** This node's local clock reading in ms: virtual time plus the node's skew (clock.ts). */
  readonly now: number;
  /** This node's own random stream. */
  readonly rng: Rng;
  /** The scenario's lab parameters, defaults filled in. */
  readonly params: Readonly<Record<string, unknown>>;
}

export type Effect =
  | { type: "send"; to: NodeId; msg: unknown }
  /** Fire `onTimer(name)` after `after` ms of virtual time; replaces a timer of the same name. */
  | { type: "setTimer"; name: string; after: number }
  | { type: "cancelTimer"; name: string }
  /** One line of narration for the learner. */
  | { type: "note"; text: string }
  /**
   * A lab-specific observation written to the trace as `{kind, node, ...data}`
   * (Raft's `role` and `apply`). Checkers read these.
   */
  | { type: "observe"; kind: string; data: Record<string, unknown> };

export interface Step<S> {
  state: S;
  effects: Effect[];
}

/** What the UI shows of one node: a status word and any lab-specific fields (any lab's, untyped). */
export interface NodeView {
  status: string;
  [field: string]: unknown;
}

/** A node that is not up shows only its status (and, when its handler threw, the error). */
export type DownView = {
  status: "down" | "failed" | "removed";
  error?: string;
};

/**
 * One lab's node view, typed: what its protocol's `view` returns (`status: "up"` and the lab's
 * fields) while the node is up, its status otherwise. Narrow on `status` to read the fields.
 */
export type NodeViewOf<V extends { status: "up" }> = V | DownView;

/** `V`: what `view` returns — `{ status: "up", ... }` with the lab's own fields. */
export interface Protocol<S = unknown, M = unknown, C = unknown, V extends { status: string } = NodeView> {
  /**
   * A fresh node, or a restarted one: `persisted` is what `persist` kept at the crash
   * (undefined on first boot). Returns the state and the first effects (timers, usually).
   */
  init(ctx: Ctx, persisted?: unknown): Step<S>;
  onMessage(state: S, from: NodeId, msg: M, ctx: Ctx): Step<S>;
  onTimer(state: S, name: string, ctx: Ctx): Step<S>;
  onCommand(state: S, cmd: C, ctx: Ctx): Step<S>;
  /** The state that survives a crash (Raft: currentTerm, votedFor, log), asked at the crash. Default: nothing. */
  persist?(state: S, ctx: Ctx): unknown;
  view(state: S): V;
  /** A short word for a message's kind, used to colour it in flight. */
  messageKind?(msg: M): string;
}

/**
 * What a lab's nodes run: one protocol for every node, or one per role (a scenario's node
 * names its `role`; a node without one runs the first role's protocol).
 */
export type Protocols<V extends { status: string } = NodeView> =
  | Protocol<any, any, any, V>
  | { readonly roles: Readonly<Record<string, Protocol<any, any, any, V>>> };

/** The protocol a node of this role runs. */
export function protocolFor(p: Protocols, role: string | undefined): Protocol<any, any, any> {
  if (!("roles" in p)) return p;
  const byRole = p.roles;
  if (role !== undefined && Object.hasOwn(byRole, role)) return byRole[role]!;
  const first = Object.keys(byRole)[0];
  if (first === undefined) throw new Error("a lab with roles needs at least one");
  return byRole[first]!;
}

/** The roles a lab's nodes can have, in the order the lab declares them (none: one protocol). */
export function rolesOf(p: Protocols): string[] {
  return "roles" in p ? Object.keys(p.roles) : [];
}

/** A message's kind, asked of every protocol the lab runs (the first that knows it says). */
export function messageKindOf(p: Protocols, msg: unknown): string | undefined {
  if (!("roles" in p)) return p.messageKind?.(msg);
  for (const role of Object.keys(p.roles)) {
    const k = p.roles[role]!.messageKind?.(msg);
    if (k !== undefined) return k;
  }
  return undefined;
}

export function step<S>(state: S, effects: Effect[] = []): Step<S> {
  return { state, effects };
}
