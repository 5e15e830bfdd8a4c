// The deterministic engine: virtual time, the event queue, the network, faults and the trace.
//
// The engine never runs protocol code itself. It decides which node input comes next
// (by (t, seq)), whether it reaches the node (crashed? partitioned?), and what the node's
// answer — an Outcome, computed by a NodeRunner in-process or in a worker — does to the world.
// Keeping "who computes" apart from "what it means" is what lets both hosts share this file
// and produce identical traces.

import type { Action, Scenario } from "../scenario/types.ts";
import { DEFAULT_REACH } from "../scenario/types.ts";
import { CLOCK_PATH } from "../scenario/leaves.ts";
import { setIn } from "../scenario/paths.ts";
import type { ActionKind, ActionRun } from "../scenario/actions.ts";
import { actionKinds, CORE_KINDS } from "../scenario/core-actions.ts";
import { growNetwork, newNetwork, route, type DropReason, type NetworkState } from "./network.ts";
import { timerDelay, type NodeInput, type NodeSetup, type NodeStatus, type Outcome } from "./node.ts";
import { streamState } from "./prng.ts";
import { EventQueue, type Keyed } from "./queue.ts";
import {
  circleLayout,
  clusterLayout,
  componentsOf,
  groupCount,
  groupsAsIds,
  normalizeGroups,
  type Point,
} from "../geometry/topology.ts";
import { Shape } from "./jsonl.ts";
import { Trace } from "./trace.ts";

/** A queued input for one node. `id` is the message id of a delivery. */
export interface NodeEvent extends Keyed {
  node: number;
  input: NodeInput;
  /**
   * A delivery's message id and sender index; -1 for other inputs. Every event carries both
   * so that all queued objects share one shape: the heap's comparisons stay monomorphic.
   */
  id: number;
  src: number;
}


/** What a host must do to nodes after the engine applied an action. */
export type FollowUp =
  | { op: "crash"; node: number }
  | { op: "restart"; node: number }
  | { op: "command"; node: number; cmd: unknown }
  | { op: "params"; params: Record<string, unknown> }
  /** One field of one node's clock skew (`nodes.<id>.clock.<field>`). */
  | { op: "clock"; node: number; field: string; value: unknown }
  /** A node joined: the host gives it a slot (and, on the worker host, its own worker). */
  | { op: "add"; node: number; setup: NodeSetup }
  /** A node left the run. */
  | { op: "remove"; node: number };

/** The engine's own state as plain data, for snapshots (nodes are snapshotted by their host). */
export interface EngineState {
  now: number;
  seq: number;
  msgId: number;
  queue: NodeEvent[];
  cursor: number;
  status: NodeStatus[];
  net: NetworkState;
  groups: number[];
  pos: Point[];
  params: Record<string, unknown>;
  traceLength: number;
  started: boolean;
  /** The nodes so far (joins add to the scenario's), their roles and home positions. */
  ids: string[];
  roles: (string | undefined)[];
  home: Point[];
}

/** `Engine.nextAt`'s answers. */
export const NEXT_NONE = 0;
export const NEXT_NODE = 1;
export const NEXT_ACTION = 2;

export class Engine {
  /** Every node the run has had, in order: the scenario's, then each that joined (a removed one keeps its place). */
  readonly ids: string[];
  /** Each node's role, by index (labs with roles). */
  readonly roles: (string | undefined)[];
  readonly index = new Map<string, number>();
  readonly trace: Trace;
  private actions: Action[] = [];
  private home: Point[];
  private readonly arrivals: number[] = [0, 0];
  private cursor = 0;
  private queue = new EventQueue<NodeEvent>();
  private seq = 0;
  private msgId = 0;
  now = 0;
  status: NodeStatus[];
  net: NetworkState;
  groups: number[];
  pos: Point[];
  params: Record<string, unknown>;
  /** Whether the first event has happened (the start writes the initial partition, if any). */
  private started = false;
  /** Node inputs handed to nodes so far (including stale timers): the work done. */
  processed = 0;
  /** While a worker batch is merged, timers that already ran inside the batch are claimed here. */
  claimTimer: ((e: NodeEvent) => boolean) | undefined;

  /** `trace`: where to record; the page's player shares one between its live and seek runs. */
  /** The action kinds this run knows: the core ones and the lab's. */
  private readonly kinds: ReadonlyMap<string, ActionKind>;

  /**
   * `trace`: where to record; the page's player shares one between its live and seek runs.
   * `actions`: the lab's own action kinds, if it has any.
   */
  constructor(readonly scenario: Scenario, params: Record<string, unknown>, trace = new Trace(), actions: readonly ActionKind[] = []) {
    this.trace = trace;
    this.kinds = actionKinds(actions);
    this.ids = scenario.nodes.map((n) => n.id);
    this.roles = scenario.nodes.map((n) => n.role);
    this.ids.forEach((id, i) => this.index.set(id, i));
    this.status = this.ids.map(() => "up");
    this.params = { ...params };
    this.net = newNetwork(scenario.network, streamState(scenario.seed, "network"), this.ids.length);
    this.pos = scenario.nodes.map((n) => ({ x: n.x, y: n.y }));
    this.home = this.pos.map((p) => ({ ...p }));
    this.groups = componentsOf(this.pos, this.reach);
    this.ids.forEach((_, i) => this.queue.push({ t: 0, seq: this.seq++, node: i, input: { kind: "init" }, id: -1, src: -1 }));
    this.actions = sortTimeline(scenario.timeline);
  }

  /**
   * Replace the actions not yet applied (the player records a learner's action, or drops the
   * ones after a point in time when the learner acts in the past). Actions already applied
   * must stay as they were: the new timeline has to start with them.
   */
  setTimeline(timeline: readonly Action[]): void {
    const sorted = sortTimeline(timeline);
    for (let k = 0; k < this.cursor; k++) {
      if (JSON.stringify(sorted[k]) !== JSON.stringify(this.actions[k])) {
        throw new Error("setTimeline: the new timeline rewrites actions already applied; restore an earlier snapshot first");
      }
    }
    this.actions = sorted;
  }

  get reach(): number {
    return this.net.spec.reach ?? DEFAULT_REACH;
  }

  /** The next thing to happen at or before `until`, without taking it. */
  peek(until: number): { node: NodeEvent } | { action: Action } | null {
    const e = this.queue.peek();
    const a = this.actions[this.cursor];
    const eOk = e !== undefined && e.t <= until;
    const aOk = a !== undefined && a.t <= until;
    if (eOk && (!aOk || nodeFirst(e, a))) return { node: e };
    if (aOk) return { action: a };
    return null;
  }

  /**
   * What `peek` would say, without making an object for it (the in-process run loop asks
   * once an event): NEXT_NODE, NEXT_ACTION or NEXT_NONE.
   */
  nextAt(until: number): number {
    const e = this.queue.peek();
    const a = this.actions[this.cursor];
    const eOk = e !== undefined && e.t <= until;
    const aOk = a !== undefined && a.t <= until;
    if (eOk && (!aOk || nodeFirst(e, a))) return NEXT_NODE;
    return aOk ? NEXT_ACTION : NEXT_NONE;
  }

  popNode(): NodeEvent {
    return this.queue.pop()!;
  }

  popAction(): Action {
    return this.actions[this.cursor++]!;
  }

  /** The next action not yet applied (the worker host's windows end at it). */
  nextAction(): Action | undefined {
    return this.actions[this.cursor];
  }

  /** Move the clock forward when nothing happens before `t`. */
  advanceTo(t: number): void {
    if (t > this.now) this.now = t;
  }

  /**
   * Why an input cannot reach its node now, or null. Timers of a node that is not up are
   * silently void ("skip"); deliveries to it are dropped in the trace.
   */
  refusal(e: NodeEvent): DropReason | "skip" | null {
    const st = this.status[e.node]!;
    if (e.input.kind === "deliver") {
      if (st !== "up") return st === "down" ? "crashed" : st;
      if (this.groups[e.src] !== this.groups[e.node]) return "partition";
      return null;
    }
    return st === "up" ? null : "skip";
  }

  /** Nodes placed out of reach of each other start partitioned; say so before anything else. */
  private start(): void {
    this.started = true;
    if (groupCount(this.groups) > 1) this.trace.add(0, "partition", { groups: groupsAsIds(this.groups, this.ids) });
  }

  /** Hand one node event to its node (through `outcomeOf`) and apply what comes back. */
  process(e: NodeEvent, outcomeOf: (e: NodeEvent) => Outcome): void {
    if (!this.started) this.start();
    this.now = e.t;
    this.processed++;
    const id = this.ids[e.node]!;
    const input = e.input;
    const refused = this.refusal(e);
    if (refused !== null) {
      if (input.kind === "deliver") {
        this.trace.push({ t: e.t, seq: this.trace.nextSeq, kind: "drop", from: input.from, to: id, id: e.id, reason: refused }, Shape.DROP);
      }
      return;
    }
    const o = outcomeOf(e);
    if (o.skipped) return;
    if (input.kind === "deliver") this.trace.push({ t: e.t, seq: this.trace.nextSeq, kind: "deliver", from: input.from, to: id, id: e.id }, Shape.DELIVER);
    else if (input.kind === "timer") this.trace.push({ t: e.t, seq: this.trace.nextSeq, kind: "timer", node: id, name: input.name }, Shape.TIMER);
    this.applyOutcome(e.node, o);
  }

  /** Apply a node's effects, in the order it listed them. */
  applyOutcome(node: number, o: Outcome): void {
    const id = this.ids[node]!;
    if (o.error !== undefined) {
      this.status[node] = "failed";
      this.trace.add(this.now, "fail", { node: id, error: o.error });
      return;
    }
    let k = 0;
    for (const eff of o.effects) {
      switch (eff.type) {
        case "send":
          this.send(node, String(eff.to), eff.msg);
          break;
        case "setTimer": {
          const ev: NodeEvent = {
            t: this.now + timerDelay(eff.after),
            seq: this.seq++,
            node,
            input: { kind: "timer", name: eff.name, token: o.tokens[k++]! },
            id: -1,
            src: -1,
          };
          if (this.claimTimer === undefined || !this.claimTimer(ev)) this.queue.push(ev);
          break;
        }
        case "cancelTimer":
          break; // the node's own timer table already forgot it (node.ts)
        case "note":
          this.trace.push({ t: this.now, seq: this.trace.nextSeq, kind: "note", node: id, text: String(eff.text) }, Shape.NOTE);
          break;
        case "observe": {
          const e = this.trace.add(this.now, String(eff.kind), { node: id, ...eff.data });
          e.node = id; // a lab's data cannot overwrite who observed it
          break;
        }
      }
    }
  }

  private send(from: number, to: string, msg: unknown): void {
    const fromId = this.ids[from]!;
    const id = this.msgId++;
    const j = this.index.get(to);
    let reason: DropReason | null = null;
    let copies = 0;
    if (j === undefined) reason = "unknown-node";
    else if (this.groups[from] !== this.groups[j]) reason = "partition";
    else {
      copies = route(this.net, from, j, this.ids, this.now, this.arrivals);
      if (copies === 0) reason = "loss";
    }
    if (copies === 0) {
      this.trace.push({ t: this.now, seq: this.trace.nextSeq, kind: "send", from: fromId, to, id, msg }, Shape.SEND);
      this.trace.push({ t: this.now, seq: this.trace.nextSeq, kind: "drop", from: fromId, to, id, reason }, Shape.DROP);
      return;
    }
    // The network decides each copy's arrival when the message leaves (it may still be dropped
    // on arrival, if the link is cut or the node is down by then); the view draws messages in
    // flight from these times.
    const arrive = copies === 1 ? [this.arrivals[0]!] : [this.arrivals[0]!, this.arrivals[1]!];
    this.trace.push({ t: this.now, seq: this.trace.nextSeq, kind: "send", from: fromId, to, id, msg, arrive }, Shape.SEND);
    const input: NodeInput = { kind: "deliver", from: fromId, msg };
    for (let c = 0; c < copies; c++) this.queue.push({ t: arrive[c]!, seq: this.seq++, node: j!, input, id, src: from });
  }

  /**
   * Apply a timeline action through its kind (the core ones, or the lab's own); returns what the
   * host must then do to its nodes, in order. A lab action is recorded under its own name, with
   * its fields, before the primitives it uses record theirs.
   */
  applyAction(a: Action): FollowUp[] {
    if (!this.started) this.start();
    this.now = a.t;
    const kind = this.kinds.get(a.do);
    if (kind === undefined) throw new Error(`unknown action "${a.do}" (not a core action, nor one of the lab's)`);
    const followUps: FollowUp[] = [];
    this.followUps = followUps;
    if (!CORE_KINDS.has(a.do)) {
      const { t, do: name, ...fields } = a;
      this.trace.add(t, kind.traceAs ?? name, fields);
    }
    kind.apply(a, this.run);
    this.followUps = null;
    return followUps;
  }

  /** The primitives an action kind works through (scenario/actions.ts), each recording itself. */
  private readonly run: ActionRun = (() => {
    const engine = this;
    return {
      get now() {
        return engine.now;
      },
      nodes: () => engine.ids,
    status: (id) => {
      const i = this.index.get(id);
      return i === undefined ? undefined : this.status[i];
    },
    role: (id) => {
      const i = this.index.get(id);
      return i === undefined ? undefined : this.roles[i];
    },
    params: () => this.params,
    record: (kind, data) => {
      this.trace.add(this.now, kind, data);
    },
    partition: (groups) => this.partition(groups),
    heal: () => this.heal(),
    move: (id, x, y) => this.move(id, x, y),
    crash: (id) => this.crash(id),
    restart: (id) => this.restart(id),
    set: (path, value) => this.follow(this.set(this.now, path, value)),
    command: (id, cmd) => this.command(id, cmd),
    addNode: (id, at) => this.follow(this.addNode(id, at ?? {})),
    removeNode: (id) => this.removeNode(id),
    };
  })();

  /** Where the primitives put what the host must do, while an action is being applied. */
  private followUps: FollowUp[] | null = null;

  private follow(f: FollowUp | null): void {
    if (f === null) return;
    if (this.followUps === null) throw new Error("a run primitive was called outside an action");
    this.followUps.push(f);
  }

  private partition(named: readonly (readonly string[])[]): void {
    const listed = new Map<string, number>();
    named.forEach((g, k) => g.forEach((id) => listed.has(id) || listed.set(id, k)));
    // Nodes the action does not name form one more group together.
    const rest = named.length;
    const groups = normalizeGroups(this.ids.map((id) => listed.get(id) ?? rest));
    this.trace.add(this.now, "partition", { groups: groupsAsIds(groups, this.ids) });
    this.setGroups(groups, false);
    this.pos = clusterLayout(groups, this.reach);
  }

  private heal(): void {
    this.trace.add(this.now, "heal", {});
    const homeGroups = componentsOf(this.home, this.reach);
    this.pos = groupCount(homeGroups) === 1 ? this.home.map((p) => ({ ...p })) : circleLayout(this.ids.length);
    this.setGroups(this.ids.map(() => 0), false);
  }

  private move(id: string, x: number, y: number): void {
    const i = this.index.get(id)!;
    if (this.status[i] === "removed") return this.gone("move", id);
    this.trace.add(this.now, "move", { node: id, x, y });
    this.pos[i] = { x, y };
    this.setGroups(componentsOf(this.pos, this.reach), true);
  }

  private crash(id: string): void {
    const i = this.index.get(id)!;
    const was = this.status[i]!;
    if (was === "removed") return this.gone("crash", id);
    this.trace.add(this.now, "crash", was === "down" ? { node: id, noop: true } : { node: id });
    if (was === "down") return;
    this.status[i] = "down";
    this.follow({ op: "crash", node: i });
  }

  private restart(id: string): void {
    const i = this.index.get(id)!;
    const was = this.status[i]!;
    if (was === "removed") return this.gone("restart", id);
    this.trace.add(this.now, "restart", was === "up" ? { node: id, noop: true } : { node: id });
    if (was === "up") return;
    this.status[i] = "up";
    this.follow({ op: "restart", node: i });
  }

  private removeNode(id: string): void {
    const i = this.index.get(id)!;
    const was = this.status[i]!;
    this.trace.add(this.now, "remove-node", was === "removed" ? { node: id, noop: true } : { node: id });
    if (was === "removed") return;
    this.status[i] = "removed";
    this.follow({ op: "remove", node: i });
  }

  private command(id: string, cmd: unknown): void {
    // A client request (or a learner's poke) reaches the node at once; a node that is not
    // up refuses it, and the trace says so.
    const i = this.index.get(id)!;
    const st = this.status[i]!;
    this.trace.add(this.now, "command", st === "up" ? { node: id, cmd } : { node: id, cmd, refused: st });
    if (st === "up") this.follow({ op: "command", node: i, cmd });
  }

  private set(t: number, path: string, value: unknown): FollowUp | null {
    this.trace.add(t, "set", { path, value });
    const [head, key] = splitPath(path);
    if (head === "params") {
      // `params.breaker.threshold` reaches one field of a param object; the rest is kept.
      this.params = setIn(this.params, key.split("."), value);
      return { op: "params", params: this.params };
    }
    if (head === "nodes") {
      // `nodes.<id>.clock.<field>`: one node's clock offset, drift or step, from now on.
      const m = CLOCK_PATH.exec(path);
      const i = m === null ? undefined : this.index.get(m[1]!);
      return i === undefined ? null : { op: "clock", node: i, field: m![2]!, value };
    }
    // A new object, not an edit: whoever read the spec before (the page's frame) keeps a
    // consistent value, and a changed spec is a changed reference.
    this.net.spec = { ...this.net.spec, [key]: value };
    if (key === "reach") this.setGroups(componentsOf(this.pos, this.reach), true);
    return null;
  }

  /**
   * A node joins: it gets the next index, boots now (its `init` queued at this time, after the
   * action, like any input), and is linked to the nodes within reach of where it stands.
   */
  private addNode(id: string, at: { role?: string; x?: number; y?: number }): FollowUp | null {
    const t = this.now;
    if (this.index.has(id)) {
      this.trace.add(t, "add-node", { node: id, noop: true });
      return null;
    }
    const i = this.ids.length;
    this.ids.push(id);
    this.roles.push(at.role);
    this.index.set(id, i);
    this.status.push("up");
    const where = { x: at.x ?? 0.5, y: at.y ?? 0.5 };
    this.pos.push(where);
    this.home.push({ ...where });
    growNetwork(this.net, this.ids.length);
    this.trace.add(t, "add-node", at.role === undefined ? { node: id } : { node: id, role: at.role });
    // Joining inside one group is no news; joining out of reach of everyone is a partition.
    const before = groupCount(this.groups);
    this.groups = normalizeGroups(componentsOf(this.pos, this.reach));
    const after = groupCount(this.groups);
    if (after !== before) {
      if (after === 1) this.trace.add(t, "heal", {});
      else this.trace.add(t, "partition", { groups: groupsAsIds(this.groups, this.ids) });
    }
    this.queue.push({ t, seq: this.seq++, node: i, input: { kind: "init" }, id: -1, src: -1 });
    const setup: NodeSetup = { id };
    if (at.role !== undefined) setup.role = at.role;
    return { op: "add", node: i, setup };
  }

  /** An action on a node that left the run: recorded, and nothing happens. */
  private gone(kind: string, node: string): void {
    this.trace.add(this.now, kind, { node, noop: true });
  }

  /** The nodes still in the run, in order, with their roles: what each node's `ctx` lists. */
  members(): { ids: string[]; roles: (string | undefined)[] } {
    const ids: string[] = [];
    const roles: (string | undefined)[] = [];
    this.ids.forEach((id, i) => {
      if (this.status[i] === "removed") return;
      ids.push(id);
      roles.push(this.roles[i]);
    });
    return { ids, roles };
  }

  /** Change the partition; when `trace` is set, record the change as partition or heal. */
  private setGroups(groups: number[], trace: boolean): void {
    const next = normalizeGroups(groups);
    const changed = next.some((g, i) => g !== this.groups[i]);
    this.groups = next;
    if (!trace || !changed) return;
    if (groupCount(next) === 1) this.trace.add(this.now, "heal", {});
    else this.trace.add(this.now, "partition", { groups: groupsAsIds(next, this.ids) });
  }

  snapshot(): EngineState {
    // With thousands of messages in flight the queue is nearly all of a snapshot, and a deep
    // copy of it held the page up for tens of milliseconds every half second of play. Nothing
    // edits a queued event or what it carries (a message is never changed on its way; the
    // engine pops events and makes new ones), so each event is copied and its input shared.
    // restore() copies everything deeply, so a snapshot restored twice starts the same twice.
    const queue = this.queue.items().map((e) => ({ ...e })) as NodeEvent[];
    const rest = structuredClone({
      now: this.now,
      seq: this.seq,
      msgId: this.msgId,
      cursor: this.cursor,
      status: this.status,
      net: this.net,
      groups: this.groups,
      pos: this.pos,
      params: this.params,
      traceLength: this.trace.length,
      started: this.started,
      ids: this.ids,
      roles: this.roles,
      home: this.home,
    });
    return { ...rest, queue };
  }

  restore(s: EngineState): void {
    const c = structuredClone(s);
    this.now = c.now;
    this.seq = c.seq;
    this.msgId = c.msgId;
    this.queue = EventQueue.from(c.queue);
    this.cursor = c.cursor;
    this.status = c.status;
    this.net = c.net;
    this.groups = c.groups;
    this.pos = c.pos;
    this.params = c.params;
    this.started = c.started;
    // Joins after the snapshot are undone: the lists go back to the snapshot's nodes.
    this.ids.length = 0;
    this.ids.push(...c.ids);
    this.roles.length = 0;
    this.roles.push(...c.roles);
    this.index.clear();
    this.ids.forEach((id, i) => this.index.set(id, i));
    this.home = c.home;
    this.trace.truncate(c.traceLength);
  }
}

/** Stable sort by time: actions at equal times keep the order they were written in. */
function sortTimeline(timeline: readonly Action[]): Action[] {
  return timeline
    .map((a, k) => ({ a, k }))
    .sort((p, q) => p.a.t - q.a.t || p.k - q.k)
    .map((p) => p.a);
}

/**
 * Does node event `e` go before action `a`? Timeline actions are kept apart from the queue,
 * sorted by time (stable: written order at equal times). At equal times an action goes before
 * any node event except the boot at t=0: a node is up before a script touches it, and a
 * learner's action stamped at t takes effect before whatever else happens at t. The rule
 * depends on nothing but the timeline, so the player can add actions during a run and still
 * match a fresh run of the edited scenario.
 */
export function nodeFirst(e: NodeEvent, a: Action): boolean {
  return e.t < a.t || (e.t === a.t && e.input.kind === "init");
}

export function splitPath(path: string): [string, string] {
  const dot = path.indexOf(".");
  return [path.slice(0, dot), path.slice(dot + 1)];
}
