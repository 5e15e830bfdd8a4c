// The one contract both hosts satisfy, and the messages between the worker host and its
// workers (like comlink's own examples: one types file both sides import).

import type { Engine, EngineState } from "../sim/engine.ts";
import type { NodeInput, NodeSlot, NodeSetup, Outcome } from "../sim/node.ts";
import type { ActionKind } from "../scenario/actions.ts";
import type { Action, Scenario } from "../scenario/types.ts";
import type { Trace } from "../sim/trace.ts";
import type { NodeView, Protocols } from "../sim/types.ts";

export type HostKind = "inprocess" | "worker";

/** What a host needs to start a run. `labId` lets a worker find the protocol in its own registry. */
export interface RunConfig {
  scenario: Scenario;
  labId: string;
  protocol: Protocols;
  /** The lab's params with defaults filled in. */
  params: Record<string, unknown>;
  /** Record into this trace instead of a new one (the page's player shares one between runs). */
  trace?: Trace;
  /** The lab's own timeline actions, if it has any (the engine applies them; nodes never see them). */
  actions?: readonly ActionKind[];
}

export interface RunSnapshot {
  engine: EngineState;
  slots: NodeSlot[];
}

/** A run in progress, whichever host computes it. */
export interface Run {
  readonly host: HostKind;
  /** The engine: its trace, clock, node status and positions. Read it; drive it only through the run. */
  readonly engine: Engine;
  /** How many workers hold the nodes (0 in-process). */
  readonly workerCount: number;
  /** Process every event with t <= until. */
  advance(until: number): Promise<void>;
  /** Replace the timeline's actions not yet applied (see Engine.setTimeline). */
  setTimeline(timeline: readonly Action[]): void;
  /** What the UI shows of each node, in scenario order. */
  views(): Promise<NodeView[]>;
  snapshot(): Promise<RunSnapshot>;
  restore(s: RunSnapshot): Promise<void>;
  close(): void;
}

/** A timeline of one worker's share of a lookahead window. */
export interface BatchItem {
  t: number;
  seq: number;
  node: number;
  input: NodeInput;
}

/** A timer set and fired inside the same window, run by the worker on its own. */
export interface LocalRecord {
  node: number;
  token: number;
  outcome: Outcome;
}

export interface WindowResult {
  /** One outcome per batch item, in the order given. */
  outcomes: Outcome[];
  local: LocalRecord[];
}

export interface WorkerSetup {
  labId: string;
  seed: number;
  /** Every node id of the scenario, in order (for peers). */
  ids: string[];
  /** Every node of the scenario with its role (for ctx.roles). */
  nodesAll: { id: string; role?: string | undefined }[];
  /** The nodes this worker holds, by scenario index. */
  nodes: (NodeSetup & { index: number })[];
  params: Record<string, unknown>;
}

/** The API a node worker exposes through comlink. */
export interface NodeWorkerApi {
  setup(s: WorkerSetup): void;
  /**
   * Run a batch: the items, plus every timer they set that fires before `endT` (exclusive)
   * and no later than `until`. New local events order after all items at equal times, as
   * their global sequence numbers will (they are handed out after every queued event's).
   */
  runWindow(items: BatchItem[], endT: number, until: number): WindowResult;
  crash(node: number, t: number): void;
  restart(node: number, t: number): Outcome;
  command(node: number, cmd: unknown, t: number): Outcome;
  setParams(params: Record<string, unknown>): void;
  setClock(node: number, field: string, value: unknown): void;
  /** The nodes in the run changed (one joined or left): every node still in it, with its role. */
  members(all: { id: string; role?: string | undefined }[]): void;
  /** A node this worker holds left the run. */
  remove(node: number): void;
  views(): { node: number; view: NodeView }[];
  snapshot(): { index: number; slot: NodeSlot }[];
  /** Replace the slots held, and run on under `params` (the engine's, as of the snapshot). */
  restore(slots: { index: number; slot: NodeSlot }[], params: Record<string, unknown>): void;
  /** For tests of the watchdog: never answers. */
  hang(): Promise<never>;
}
