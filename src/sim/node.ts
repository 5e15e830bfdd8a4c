// One simulated node: its protocol state, its random stream, its timers and whether it is up.
//
// Both hosts run nodes through this same code — the in-process host directly, the worker host
// inside each Web Worker — so a handler sees exactly the same inputs wherever it runs.
// Everything here is plain data (NodeSlot) so a snapshot is a structured clone.

import type { ClockSkew } from "../scenario/types.ts";
import { localTime } from "./clock.ts";
import { rngOf, streamState, type RngState } from "./prng.ts";
import { protocolFor, type Ctx, type Effect, type NodeView, type Protocol, type Protocols, type Rng } from "./types.ts";

/** "removed": the node left the run (`remove-node`); it never comes back. */
export type NodeStatus = "up" | "down" | "failed" | "removed";

/** What the engine hands a node. */
export type NodeInput =
  | { kind: "init" }
  | { kind: "deliver"; from: string; msg: unknown }
  | { kind: "timer"; name: string; token: number }
  | { kind: "command"; cmd: unknown };


export interface Outcome {
  effects: Effect[];
  /** The token given to each `setTimer` effect, in order; the engine queues the timer with it. */
  tokens: number[];
  /** A stale timer (cancelled or replaced): nothing happened. */
  skipped?: boolean;
  /** The handler threw: the node is now failed, its effects discarded. */
  error?: string;
}

export interface NodeSlot {
  id: string;
  status: NodeStatus;
  state: unknown;
  /** What `persist` kept at the last crash; handed to `init` on restart. */
  persisted: unknown;
  rng: RngState;
  /**
   * Per name, the token of the timer last set: its queued event fires only while this still
   * holds its token (a newer setTimer replaces it, cancelTimer removes it). A timer that fired
   * keeps its entry: no queued event carries that token any more, and deleting a key on every
   * firing costs a slow property deletion per event.
   */
  timers: Record<string, number>;
  nextToken: number;
  clock: ClockSkew | undefined;
  /** The node's role, in a lab with several: it picks the protocol. */
  role?: string;
  error?: string;
}

export interface NodeSetup {
  id: string;
  clock?: ClockSkew | undefined;
  role?: string | undefined;
}

export function newSlot(seed: number, node: NodeSetup): NodeSlot {
  const slot: NodeSlot = {
    id: node.id,
    status: "up",
    state: undefined,
    persisted: undefined,
    rng: streamState(seed, "node:" + node.id),
    timers: {},
    nextToken: 1,
    clock: node.clock,
  };
  if (node.role !== undefined) slot.role = node.role;
  return slot;
}

/** The delay a `setTimer` effect asks for, made safe: both hosts schedule with this. */
export function timerDelay(after: unknown): number {
  return typeof after === "number" && Number.isFinite(after) && after > 0 ? after : 0;
}

const NO_TOKENS: number[] = [];
const NO_ROLES: Readonly<Record<string, string>> = Object.freeze({});
const NO_EFFECTS: Outcome = { effects: [], tokens: [], skipped: true };

/** Runs protocol handlers for a set of nodes. Holds no state of its own beyond the slots. */
/** The context object handed to handlers; one per slot, its clock reading updated per call. */
interface LiveCtx {
  self: string;
  peers: readonly string[];
  roles: Readonly<Record<string, string>>;
  now: number;
  rng: Rng;
  params: Readonly<Record<string, unknown>>;
}

export class NodeRunner {
  private readonly ctxs = new Map<NodeSlot, LiveCtx>();

  constructor(
    private readonly protocols: Protocols,
    private peersOf: (id: string) => readonly string[],
    private params: Readonly<Record<string, unknown>>,
    /** Each node's role (labs with roles only). */
    private roles: Readonly<Record<string, string>> = NO_ROLES,
  ) {}

  private protocolOf(slot: NodeSlot): Protocol {
    return protocolFor(this.protocols, slot.role);
  }

  setParams(params: Readonly<Record<string, unknown>>): void {
    this.params = params;
  }

  /** Feed one input to a node at virtual time t. The slot is updated in place. */
  handle(slot: NodeSlot, input: NodeInput, t: number): Outcome {
    if (slot.status !== "up") return NO_EFFECTS;
    if (input.kind === "timer") {
      if (slot.timers[input.name] !== input.token) return NO_EFFECTS;
    }
    const ctx = this.ctxOf(slot, t);
    const p = this.protocolOf(slot);
    let result;
    try {
      switch (input.kind) {
        case "init":
          result = p.init(ctx, slot.persisted);
          break;
        case "deliver":
          result = p.onMessage(slot.state, input.from, input.msg, ctx);
          break;
        case "timer":
          result = p.onTimer(slot.state, input.name, ctx);
          break;
        case "command":
          result = p.onCommand(slot.state, input.cmd, ctx);
          break;
      }
    } catch (err) {
      // Rule: a throwing node is marked failed and the run goes on.
      slot.status = "failed";
      slot.error = errorText(err);
      slot.state = undefined;
      slot.timers = {};
      return { effects: [], tokens: [], error: slot.error };
    }
    slot.state = result.state;
    let tokens = NO_TOKENS;
    for (const e of result.effects) {
      if (e.type === "setTimer") {
        const token = slot.nextToken++;
        slot.timers[e.name] = token;
        if (tokens === NO_TOKENS) tokens = [];
        tokens.push(token);
      } else if (e.type === "cancelTimer") {
        delete slot.timers[e.name];
      }
    }
    return { effects: result.effects, tokens };
  }

  /** The node stops; only what the protocol declares persistent survives. */
  crash(slot: NodeSlot, t: number): void {
    if (slot.status === "up") slot.persisted = this.protocolOf(slot).persist?.(slot.state, this.ctxOf(slot, t));
    slot.status = "down";
    slot.state = undefined;
    slot.timers = {};
  }

  /** The nodes in the run changed (one joined or left): peers and roles follow. */
  setMembers(peersOf: (id: string) => readonly string[], roles: Readonly<Record<string, string>>): void {
    this.peersOf = peersOf;
    this.roles = roles;
    this.ctxs.clear();
  }

  /** The node leaves the run for good: nothing of it stays. */
  remove(slot: NodeSlot): void {
    slot.status = "removed";
    slot.state = undefined;
    slot.persisted = undefined;
    slot.timers = {};
  }

  /** One field of the node's clock skew changes (a learner's slider, an NTP step). */
  setClock(slot: NodeSlot, field: string, value: unknown): void {
    slot.clock = { ...slot.clock, [field]: value };
  }

  /** Bring a crashed (or failed) node back: `init` with its persisted state. */
  restart(slot: NodeSlot, t: number): Outcome {
    slot.status = "up";
    delete slot.error;
    return this.handle(slot, { kind: "init" }, t);
  }

  view(slot: NodeSlot): NodeView {
    if (slot.status !== "up") return { status: slot.status, ...(slot.error ? { error: slot.error } : {}) };
    try {
      return this.protocolOf(slot).view(slot.state);
    } catch (err) {
      return { status: "failed", error: errorText(err) };
    }
  }

  private ctxOf(slot: NodeSlot, t: number): Ctx {
    let ctx = this.ctxs.get(slot);
    if (ctx === undefined) {
      ctx = { self: slot.id, peers: this.peersOf(slot.id), roles: this.roles, now: 0, rng: rngOf(slot.rng), params: this.params };
      this.ctxs.set(slot, ctx);
    }
    ctx.now = slot.clock === undefined ? t : localTime(t, slot.clock);
    ctx.params = this.params;
    return ctx;
  }

  /** Slots restored from a snapshot are new objects: forget the cached contexts. */
  forget(): void {
    this.ctxs.clear();
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
