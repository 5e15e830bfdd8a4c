// The worker host: each node's state lives in its own worker (one node a worker; past 16
// nodes, several share one), called through comlink. Web Workers in the page,
// worker_threads in Node — the host only sees a comlink Endpoint.
//
// Speed without giving up determinism: conservative lookahead, as in parallel discrete-event
// simulation. A message takes at least the minimum link latency L to arrive, so events at
// different nodes less than L apart cannot affect one another. From the earliest pending
// event at T, everything before T + L (and before the next scripted action) is one window:
// each worker gets its share in one call and runs it, including timers its nodes set and
// fire inside the window. The engine then merges all outcomes in (t, seq) order, exactly the
// order the in-process host would have produced them, so the trace — and its hash — match.
//
// Wall-clock timers appear here only as a watchdog: a worker that dies or hangs is reported,
// never waited on forever. They never influence the run.

import * as Comlink from "comlink";
import { Engine, nodeFirst, type FollowUp, type NodeEvent } from "../sim/engine.ts";
import { minLatency } from "../sim/network.ts";
import type { NodeSetup, NodeSlot, Outcome } from "../sim/node.ts";
import { EventQueue } from "../sim/queue.ts";
import type { NodeView } from "../sim/types.ts";
import type { BatchItem, NodeWorkerApi, Run, RunConfig, RunSnapshot } from "./types.ts";

/** A started worker, whichever platform made it. */
export interface WorkerHandle {
  endpoint: Comlink.Endpoint;
  terminate(): void;
  /** Call `cb` if the worker dies (an uncaught error, an exit). */
  onDeath(cb: (why: string) => void): void;
}

export interface WorkerHostOptions {
  spawn: () => WorkerHandle;
  /** How long one call may take before the worker counts as hung (wall-clock ms). */
  timeoutMs?: number;
  /**
   * How long a worker's first call (its setup) may take: it waits on the worker loading its
   * code, which on a busy machine starting many workers at once takes far longer than any call
   * of a running node (wall-clock ms; default three times `timeoutMs`).
   */
  setupTimeoutMs?: number;
  /** Nodes get a worker each up to this many; past it they share. */
  maxWorkers?: number;
}

export class WorkerHostError extends Error {
  override name = "WorkerHostError";
}

interface Merged extends NodeEvent {
  outcome?: Outcome;
}

interface Worker {
  api: Comlink.Remote<NodeWorkerApi>;
  handle: WorkerHandle;
  nodes: number[];
  /** Why the worker died, once it has. */
  dead: WorkerHostError | null;
  /** Calls waiting for an answer: a death rejects them all. */
  pending: Set<(err: Error) => void>;
  /** Bumped as any call that may change its nodes starts and ends: views read at one epoch hold until the next. */
  epoch: number;
  /** Its nodes' views as last read, and at which epoch. */
  views: { epoch: number; part: { node: number; view: NodeView }[] } | null;
}

/** Calls that only read a worker's nodes: they leave its views as they were. */
const READS = new Set(["views", "snapshot"]);

export async function startInWorkers(cfg: RunConfig, opts: WorkerHostOptions): Promise<Run> {
  const { scenario } = cfg;
  const engine = new Engine(scenario, cfg.params, cfg.trace, cfg.actions);
  const n = engine.ids.length;
  const count = Math.min(n, opts.maxWorkers ?? 16);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const setupTimeoutMs = opts.setupTimeoutMs ?? 3 * timeoutMs;
  const workers: Worker[] = [];
  /** Which worker holds each node: the scenario's share `count` workers; a joining node gets its own. */
  const owner: number[] = [];
  const ownerOf = (node: number) => owner[node]!;

  function spawnWorker(): number {
    const k = workers.length;
    const handle = opts.spawn();
    const w: Worker = { api: Comlink.wrap<NodeWorkerApi>(handle.endpoint), handle, nodes: [], dead: null, pending: new Set(), epoch: 0, views: null };
    handle.onDeath((why) => {
      w.dead ??= new WorkerHostError(`the worker holding ${nodesText(k)} died: ${why}`);
      for (const reject of w.pending) reject(w.dead);
      w.pending.clear();
    });
    workers.push(w);
    return k;
  }
  for (let k = 0; k < count; k++) spawnWorker();
  for (let i = 0; i < n; i++) {
    owner[i] = i % count;
    workers[owner[i]!]!.nodes.push(i);
  }

  function nodesText(k: number): string {
    return workers[k]!.nodes.map((i) => engine.ids[i]!).join(", ");
  }

  /** Every node still in the run, with its role: what each worker's nodes see as peers. */
  function membersNow(): { id: string; role?: string | undefined }[] {
    const m = engine.members();
    return m.ids.map((id, k) => ({ id, role: m.roles[k] }));
  }

  /** Set up a worker for nodes that joined (after the scenario's own). */
  async function setupJoined(k: number, nodes: NodeSetup[]): Promise<void> {
    await call(k, "setup", (api) =>
      api.setup({
        labId: cfg.labId,
        seed: scenario.seed,
        ids: engine.members().ids,
        nodesAll: membersNow(),
        nodes: workers[k]!.nodes.map((i, j) => ({ index: i, ...nodes[j]! })),
        params: engine.params,
      }),
    );
  }

  async function tellMembers(): Promise<void> {
    const all = membersNow();
    await Promise.all(workers.map((w, k) => (w.nodes.length === 0 ? undefined : call(k, "members", (api) => api.members(all)))));
  }

  /**
   * One call to a worker, watched: it fails if the worker dies or does not answer in time.
   * (Not a Promise.race against a long-lived "death" promise: every race would leave a
   * reaction on it, and a run makes millions of calls.)
   */
  function call<T>(k: number, what: string, f: (api: Comlink.Remote<NodeWorkerApi>) => Promise<T>): Promise<T> {
    const w = workers[k]!;
    if (w.dead !== null) return Promise.reject(w.dead);
    const writes = !READS.has(what);
    if (writes) w.epoch++;
    const allowed = what === "setup" ? setupTimeoutMs : timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        settle();
        reject(new WorkerHostError(`the worker holding ${nodesText(k)} did not answer ${what} within ${allowed / 1000} s`));
      }, allowed);
      const settle = () => {
        clearTimeout(timer);
        w.pending.delete(fail);
        if (writes) w.epoch++;
      };
      const fail = (err: Error) => {
        settle();
        reject(err);
      };
      w.pending.add(fail);
      f(w.api).then(
        (v) => {
          settle();
          resolve(v);
        },
        (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))),
      );
    });
  }

  // A closed run answers nothing more: calls still waiting fail at once (a terminated worker
  // never replies, and a caller left waiting would hold up whoever comes next).
  const closeAll = () => {
    for (const w of workers) {
      w.dead ??= new WorkerHostError("the run was closed");
      for (const reject of w.pending) reject(w.dead);
      w.pending.clear();
      w.api[Comlink.releaseProxy]();
      w.handle.terminate();
    }
  };
  try {
    await Promise.all(
      workers.map((w, k) =>
        call(k, "setup", (api) =>
          api.setup({
            labId: cfg.labId,
            seed: scenario.seed,
            ids: engine.ids,
            nodesAll: scenario.nodes.map((x) => ({ id: x.id, role: x.role })),
            nodes: w.nodes.map((i) => ({ index: i, id: engine.ids[i]!, clock: scenario.nodes[i]!.clock, role: scenario.nodes[i]!.role })),
            params: cfg.params,
          }),
        ),
      ),
    );
  } catch (err) {
    closeAll(); // the caller has no Run to close: don't leave workers behind
    throw err;
  }

  async function follow(f: FollowUp): Promise<void> {
    if (f.op === "crash") await call(ownerOf(f.node), "crash", (api) => api.crash(f.node, engine.now));
    else if (f.op === "restart") {
      const o = await call(ownerOf(f.node), "restart", (api) => api.restart(f.node, engine.now));
      engine.applyOutcome(f.node, o);
    } else if (f.op === "command") {
      const o = await call(ownerOf(f.node), "a command", (api) => api.command(f.node, f.cmd, engine.now));
      engine.applyOutcome(f.node, o);
    } else if (f.op === "clock") await call(ownerOf(f.node), "setClock", (api) => api.setClock(f.node, f.field, f.value));
    else if (f.op === "add") {
      // A joining node gets a worker of its own.
      const k = spawnWorker();
      owner[f.node] = k;
      workers[k]!.nodes.push(f.node);
      await setupJoined(k, [f.setup]);
      await tellMembers();
    } else if (f.op === "remove") {
      await call(ownerOf(f.node), "remove", (api) => api.remove(f.node));
      await tellMembers();
    } else await Promise.all(workers.map((_, k) => call(k, "setParams", (api) => api.setParams(f.params))));
  }


  async function runWindow(until: number): Promise<void> {
    const first = engine.peek(until);
    if (first === null || !("node" in first)) return;
    const action = engine.nextAction();
    const horizon = first.node.t + minLatency(engine.net.spec);
    const endT = action !== undefined && action.t < horizon ? action.t : horizon;
    const batch: Merged[] = [];
    const perWorker: { items: BatchItem[]; events: Merged[] }[] = workers.map(() => ({ items: [], events: [] }));
    for (;;) {
      const next = engine.peek(until);
      if (next === null || !("node" in next) || next.node.t >= horizon) break;
      if (action !== undefined && !nodeFirst(next.node, action)) break;
      const e: Merged = engine.popNode();
      batch.push(e);
      if (engine.refusal(e) === null) {
        const share = perWorker[ownerOf(e.node)]!;
        share.items.push({ t: e.t, seq: e.seq, node: e.node, input: e.input });
        share.events.push(e);
      }
    }
    const local = new Map<string, Outcome>();
    await Promise.all(
      perWorker.map(async (share, k) => {
        if (share.items.length === 0) return;
        const r = await call(k, "a batch", (api) => api.runWindow(share.items, endT, until));
        r.outcomes.forEach((o, j) => (share.events[j]!.outcome = o));
        for (const rec of r.local) local.set(rec.node + ":" + rec.token, rec.outcome);
      }),
    );
    const merge = EventQueue.from(batch);
    engine.claimTimer = (ev) => {
      if (ev.input.kind !== "timer") return false;
      const key = ev.node + ":" + ev.input.token;
      const o = local.get(key);
      if (o === undefined) return false;
      local.delete(key);
      merge.push({ ...ev, outcome: o });
      return true;
    };
    try {
      for (let m = merge.pop(); m !== undefined; m = merge.pop()) engine.process(m, outcomeOf);
    } finally {
      engine.claimTimer = undefined;
    }
    if (local.size > 0) throw new WorkerHostError(`internal: ${local.size} timers ran in a worker but were never scheduled`);
  }

  function outcomeOf(e: NodeEvent): Outcome {
    const o = (e as Merged).outcome;
    if (o === undefined) throw new WorkerHostError(`internal: no outcome for ${e.input.kind} at ${e.t} on ${engine.ids[e.node]}`);
    return o;
  }

  return {
    host: "worker",
    engine,
    get workerCount() {
      return workers.length;
    },
    async advance(until) {
      for (;;) {
        const next = engine.peek(until);
        if (next === null) break;
        if ("action" in next) for (const f of engine.applyAction(engine.popAction())) await follow(f);
        else await runWindow(until);
      }
      engine.advanceTo(until);
    },
    setTimeline(timeline) {
      engine.setTimeline(timeline);
    },
    // The page asks every frame; most frames most workers ran nothing since it last asked
    // (a Raft follower between heartbeats), and those are not asked again: their views, the
    // same objects as before, stand. That spares the messages both ways and lets the page see
    // at a glance, by identity, which nodes changed.
    async views() {
      const out: NodeView[] = new Array(engine.ids.length);
      const parts = await Promise.all(
        workers.map(async (w, k) => {
          if (w.views !== null && w.views.epoch === w.epoch) return w.views.part;
          const epoch = w.epoch;
          const part = await call(k, "views", (api) => api.views());
          // A call that may change the nodes ran meanwhile: what came back may already be old.
          w.views = epoch === w.epoch ? { epoch, part } : null;
          return part;
        }),
      );
      for (const part of parts) for (const { node, view } of part) out[node] = view;
      return out;
    },
    async snapshot(): Promise<RunSnapshot> {
      const slots: NodeSlot[] = new Array(engine.ids.length);
      const parts = await Promise.all(workers.map((_, k) => call(k, "snapshot", (api) => api.snapshot())));
      for (const part of parts) for (const { index, slot } of part) slots[index] = slot;
      return { engine: engine.snapshot(), slots };
    },
    async restore(s: RunSnapshot) {
      engine.restore(s.engine);
      const total = s.slots.length;
      // Joins after the snapshot are undone; joins it has that this run has not get a worker each.
      for (const w of workers) w.nodes = w.nodes.filter((i) => i < total);
      owner.length = Math.min(owner.length, total);
      const fresh: number[] = [];
      for (let i = owner.length; i < total; i++) {
        const k = spawnWorker();
        owner[i] = k;
        workers[k]!.nodes.push(i);
        fresh.push(k);
      }
      await Promise.all(fresh.map((k) => setupJoined(k, workers[k]!.nodes.map((i) => ({ id: s.slots[i]!.id, role: s.slots[i]!.role, clock: s.slots[i]!.clock })))));
      // The params travel with the slots: a snapshot taken after a `set params.*` (by the seek
      // twin, replaying a learner's rule switch) must run on with the params it was taken under.
      await Promise.all(
        workers.map((w, k) =>
          call(k, "restore", (api) => api.restore(w.nodes.map((i) => ({ index: i, slot: s.slots[i]! })), s.engine.params)),
        ),
      );
      await tellMembers();
    },
    close: closeAll,
  };
}
