// The resilience lab's nodes: a fleet of clients → a front service → a downstream dependency,
// all on the simulated network, so partitions, loss and crashes reach them like any node.
//
// - A client starts an operation every `interval` ms (drawn from half to one and a half times
//   it), sends it to the front and waits `timeout` ms. A 2xx ends the operation; a 4xx ends it
//   too (a retry cannot fix a malformed request); a 5xx, a 429 or a timeout is retried after a backoff
//   (backoff.ts) until `retries` attempts have been made. With `idempotencyKeys` the operation's
//   id goes with every attempt as its key. An answer to an attempt given up is ignored — but the
//   downstream may have done the work.
// - The front takes a request through a token bucket (429 when empty), a bounded queue (503
//   when full; with `priority`, batch work is shed once it is half full), and, as calls leave
//   the queue, a circuit breaker (503 at once while open; trials while half-open) and a
//   concurrency limit (fixed, AIMD or Vegas), then calls the downstream and waits `callTimeout`.
// - The downstream works on `capacity` calls at once (more wait), each taking a drawn service
//   time, and answers 200, or 500 under an "errors" fault; under "down" it answers nothing;
//   "slow" adds latency; "recovering" ramps its capacity back up over a while. A keyed call whose key it has executed before is answered without
//   executing again.
//
// Every random draw (arrivals, priorities, service times, failures, jitter) comes from the
// node's seeded stream. The trace records each breaker transition `{kind: "breaker", node,
// from, to, reason}`, each call to the downstream (`call`, with `trial`), each operation's
// outcome, each execution, and the front's queue depth, limit and tokens when they change.

import { step, type Ctx, type Effect, type Protocol } from "../../sim/types.ts";
import { backoffDelay } from "./backoff.ts";
import { admit, newBreaker, record, type Breaker, type Transition } from "./breaker.ts";
import { aimdOnDrop, aimdOnSuccess, newBucket, permits, takeToken, vegasOnSample, type Bucket } from "./limits.ts";
import type { ResilienceParams } from "./params.ts";

const params = (ctx: Ctx) => ctx.params as ResilienceParams;

export type Prio = "interactive" | "batch";

export type ResilienceMsg =
  | { type: "req"; req: string; op: string; key?: string; prio: Prio; bad?: true }
  | { type: "res"; req: string; status: number }
  | { type: "call"; call: number; op: string; key?: string; bad?: true }
  | { type: "done"; call: number; status: number };

/** The first of the roles, as the scenario names it. */
const firstOf = (ctx: Ctx, role: string) => [...ctx.peers].find((p) => ctx.roles[p] === role);

// ---------------------------------------------------------------------------------------------
// Clients.

type Op = { attempt: number; started: number; sleep: number; prio: Prio; bad: boolean; key?: string; last: number };

export type ClientState = { next: number; ops: Record<string, Op>; ok: number; failed: number };

export type ClientView = { status: "up"; role: "client"; pending: number; ok: number; failed: number };

function sendAttempt(s: ClientState, id: string, ctx: Ctx, out: Effect[]): void {
  const op = s.ops[id]!;
  const front = firstOf(ctx, "front");
  const req = `${id}#${op.attempt}`;
  if (front !== undefined) {
    const msg: ResilienceMsg = { type: "req", req, op: id, prio: op.prio };
    if (op.key !== undefined) msg.key = op.key;
    if (op.bad) msg.bad = true;
    out.push({ type: "send", to: front, msg });
  }
  out.push({ type: "observe", kind: "attempt", data: { op: id, attempt: op.attempt } });
  out.push({ type: "setTimer", name: `timeout ${req}`, after: params(ctx).timeout });
}

function finish(s: ClientState, id: string, status: number | "timeout", ctx: Ctx, out: Effect[]): void {
  const op = s.ops[id]!;
  delete s.ops[id];
  const ok = typeof status === "number" && status < 300;
  if (ok) s.ok++;
  else s.failed++;
  out.push({ type: "observe", kind: "outcome", data: { op: id, status, attempts: op.attempt, latency: ctx.now - op.started, prio: op.prio } });
}

/** The attempt failed (5xx, 429 or a timeout): retry after a backoff, or give the operation up. */
function failed(s: ClientState, id: string, status: number | "timeout", ctx: Ctx, out: Effect[]): void {
  const p = params(ctx);
  const op = s.ops[id]!;
  out.push({ type: "cancelTimer", name: `timeout ${id}#${op.attempt}` });
  if (op.attempt >= p.retries || (typeof status === "number" && status >= 400 && status < 500 && status !== 429)) return finish(s, id, status, ctx, out);
  const sleep = backoffDelay(p.backoff, op.attempt, op.sleep, p.base, Math.max(p.base, p.cap), ctx.rng);
  s.ops[id] = { ...op, sleep: Math.max(p.base, sleep), last: typeof status === "number" ? status : 504 };
  out.push({ type: "setTimer", name: `retry ${id}`, after: sleep });
}

/** A new operation: interactive or batch, well-formed or not (drawn), with its key when keys are on. */
function startOp(s: ClientState, ctx: Ctx, out: Effect[]): void {
  const p = params(ctx);
  const id = `${ctx.self}.${s.next++}`;
  const prio: Prio = ctx.rng.next() < p.batch ? "batch" : "interactive";
  const bad = ctx.rng.next() < p.badRequests;
  const op: Op = { attempt: 1, started: ctx.now, sleep: p.base, prio, bad, last: 0 };
  if (p.idempotencyKeys) op.key = id;
  s.ops[id] = op;
  sendAttempt(s, id, ctx, out);
}

export const client: Protocol<ClientState, ResilienceMsg, unknown, ClientView> = {
  init(ctx) {
    return step({ next: 1, ops: {}, ok: 0, failed: 0 }, [{ type: "setTimer", name: "op", after: ctx.rng.int(1, params(ctx).interval) }]);
  },
  onTimer(state, name, ctx) {
    const p = params(ctx);
    const s: ClientState = { ...state, ops: { ...state.ops } };
    const out: Effect[] = [];
    if (name === "op") {
      startOp(s, ctx, out);
      out.push({ type: "setTimer", name: "op", after: Math.round(p.interval * (0.5 + ctx.rng.next())) });
    } else if (name.startsWith("retry ")) {
      const id = name.slice("retry ".length);
      const op = s.ops[id];
      if (op !== undefined) {
        s.ops[id] = { ...op, attempt: op.attempt + 1 };
        // The key follows the switch as it stands at each attempt.
        if (p.idempotencyKeys) s.ops[id].key = id;
        else delete s.ops[id].key;
        sendAttempt(s, id, ctx, out);
      }
    } else if (name.startsWith("timeout ")) {
      const req = name.slice("timeout ".length);
      const id = req.slice(0, req.lastIndexOf("#"));
      const op = s.ops[id];
      if (op !== undefined && `${id}#${op.attempt}` === req) failed(s, id, "timeout", ctx, out);
    }
    return step(s, out);
  },
  onMessage(state, _from, msg, ctx) {
    if (msg.type !== "res") return step(state);
    const id = msg.req.slice(0, msg.req.lastIndexOf("#"));
    const op = state.ops[id];
    // An answer to an attempt already given up (or to an operation finished): too late.
    if (op === undefined || `${id}#${op.attempt}` !== msg.req) return step(state, [{ type: "observe", kind: "late", data: { op: id, req: msg.req, status: msg.status } }]);
    const s: ClientState = { ...state, ops: { ...state.ops } };
    const out: Effect[] = [{ type: "cancelTimer", name: `timeout ${msg.req}` }];
    if (msg.status < 300 || (msg.status >= 400 && msg.status < 500 && msg.status !== 429)) finish(s, id, msg.status, ctx, out);
    else failed(s, id, msg.status, ctx, out);
    return step(s, out);
  },
  /** `"op"`: one operation now, besides the client's own. */
  onCommand(state, cmd, ctx) {
    if (cmd !== "op") return step(state, [{ type: "note", text: `${ctx.self} does not know the command ${JSON.stringify(cmd)}` }]);
    const s: ClientState = { ...state, ops: { ...state.ops } };
    const out: Effect[] = [];
    startOp(s, ctx, out);
    return step(s, out);
  },
  view(s) {
    return { status: "up", role: "client", pending: Object.keys(s.ops).length, ok: s.ok, failed: s.failed };
  },
  messageKind: (m) => m.type,
};

// ---------------------------------------------------------------------------------------------
// The front service.

type Waiting = { req: string; op: string; key?: string; prio: Prio; bad?: true; from: string; at: number };
type InFlight = Waiting & { trial: boolean; sent: number; inflight: number };

export type FrontState = {
  queue: Waiting[];
  inflight: Record<string, InFlight>;
  nextCall: number;
  breaker: Breaker;
  bucket: Bucket | null;
  /** The concurrency limit (a number with a fraction under AIMD), and Vegas's no-load latency. */
  limit: number;
  rttNoLoad: number;
  /** The limit's mode it was last adapted under: a change of mode starts it afresh. */
  mode: string;
};

export type FrontView = { status: "up"; role: "front"; queue: number; inflight: number; limit: number; breaker: Breaker; tokens: number | null };

function reply(w: Waiting, status: number, out: Effect[]): void {
  out.push({ type: "send", to: w.from, msg: { type: "res", req: w.req, status } });
}

function transition(t: Transition | undefined, out: Effect[]): void {
  if (t !== undefined) out.push({ type: "observe", kind: "breaker", data: { from: t.from, to: t.to, reason: t.reason } });
}

function frontGauge(s: FrontState, out: Effect[]): void {
  out.push({ type: "observe", kind: "front", data: { queue: s.queue.length, inflight: Object.keys(s.inflight).length, limit: Math.round(s.limit * 100) / 100, tokens: s.bucket === null ? null : Math.floor(s.bucket.tokens) } });
}

/** The limit under the mode in force; a new mode (or a new fixed limit) starts from the params. */
function limitNow(s: FrontState, p: ResilienceParams): void {
  const mode = `${p.concurrency.mode}:${p.concurrency.limit}`;
  if (s.mode !== mode) {
    s.mode = mode;
    s.limit = p.concurrency.limit;
    s.rttNoLoad = 0;
  }
}

/** A bound lowered below the queue's length: the newest requests over it are refused. */
function trim(s: FrontState, p: ResilienceParams, out: Effect[]): void {
  while (s.queue.length > p.queue) {
    const w = s.queue[s.queue.length - 1]!;
    s.queue = s.queue.slice(0, -1);
    out.push({ type: "observe", kind: "reject", data: { op: w.op, reason: "queue" } });
    reply(w, 503, out);
  }
}

/** A breaker switched off is no breaker: it closes, and says so, whatever state it was in. */
function breakerNow(s: FrontState, p: ResilienceParams, out: Effect[]): void {
  if (p.breaker.enabled || s.breaker.state === "closed") return;
  transition({ from: s.breaker.state, to: "closed", reason: "breaker switched off" }, out);
  s.breaker = newBreaker();
}

/** Move requests from the queue to the downstream while the limit allows. */
function pump(s: FrontState, ctx: Ctx, out: Effect[]): void {
  const p = params(ctx);
  limitNow(s, p);
  breakerNow(s, p, out);
  const down = firstOf(ctx, "downstream");
  while (s.queue.length > 0 && Object.keys(s.inflight).length < permits({ limit: s.limit })) {
    // With priority on, interactive work leaves the queue first.
    let k = 0;
    if (p.priority) {
      const i = s.queue.findIndex((w) => w.prio === "interactive");
      if (i >= 0) k = i;
    }
    const w = s.queue[k]!;
    s.queue = [...s.queue.slice(0, k), ...s.queue.slice(k + 1)];
    const a = admit(s.breaker, p.breaker, ctx.now);
    s.breaker = a.breaker;
    transition(a.transition, out);
    if (!a.allowed || down === undefined) {
      out.push({ type: "observe", kind: "reject", data: { op: w.op, reason: "breaker" } });
      reply(w, 503, out);
      continue;
    }
    const call = s.nextCall++;
    const inflight = Object.keys(s.inflight).length + 1;
    s.inflight[String(call)] = { ...w, trial: a.trial, sent: ctx.now, inflight };
    const msg: ResilienceMsg = { type: "call", call, op: w.op };
    if (w.key !== undefined) msg.key = w.key;
    if (w.bad) msg.bad = true;
    out.push({ type: "send", to: down, msg });
    out.push({ type: "observe", kind: "call", data: { call, op: w.op, trial: a.trial } });
    out.push({ type: "setTimer", name: `call ${call}`, after: p.callTimeout });
  }
}

/** A call to the downstream ended: its answer, or its timeout (`status` 504). */
function callEnded(s: FrontState, call: string, status: number, ctx: Ctx, out: Effect[]): void {
  const p = params(ctx);
  const f = s.inflight[call]!;
  delete s.inflight[call];
  breakerNow(s, p, out);
  // A 4xx is the caller's fault, not the downstream's: it counts as a success for the breaker.
  const ok = status < 500;
  const r = record(s.breaker, p.breaker, ctx.now, ok, f.trial);
  s.breaker = r.breaker;
  transition(r.transition, out);
  limitNow(s, p);
  const cfg = { initialLimit: p.concurrency.limit, minLimit: 1, maxLimit: 1_000, backoffRatio: 0.9 };
  if (p.concurrency.mode === "aimd") s.limit = ok ? aimdOnSuccess({ limit: s.limit }, cfg, f.inflight).limit : aimdOnDrop({ limit: s.limit }, cfg).limit;
  else if (p.concurrency.mode === "vegas") {
    const v = vegasOnSample({ limit: s.limit, rttNoLoad: s.rttNoLoad }, cfg, Math.max(1, ctx.now - f.sent), f.inflight, !ok);
    s.limit = v.limit;
    s.rttNoLoad = v.rttNoLoad;
  }
  reply(f, status, out);
}

const copyFront = (s: FrontState): FrontState => ({ ...s, queue: [...s.queue], inflight: { ...s.inflight } });

export const front: Protocol<FrontState, ResilienceMsg, unknown, FrontView> = {
  init(ctx) {
    const p = params(ctx);
    return step({ queue: [], inflight: {}, nextCall: 1, breaker: newBreaker(), bucket: null, limit: p.concurrency.limit, rttNoLoad: 0, mode: `${p.concurrency.mode}:${p.concurrency.limit}` });
  },
  onMessage(state, from, msg, ctx) {
    const p = params(ctx);
    const s = copyFront(state);
    const out: Effect[] = [];
    trim(s, p, out);
    if (msg.type === "req") {
      const w: Waiting = { req: msg.req, op: msg.op, prio: msg.prio, from, at: ctx.now };
      if (msg.key !== undefined) w.key = msg.key;
      if (msg.bad) w.bad = true;
      if (p.limiter.enabled) {
        const t = takeToken(s.bucket ?? newBucket(p.limiter.burst, ctx.now), p.limiter.rate, p.limiter.burst, ctx.now);
        s.bucket = t.bucket;
        if (!t.ok) {
          out.push({ type: "observe", kind: "reject", data: { op: w.op, reason: "rate" } });
          reply(w, 429, out);
          frontGauge(s, out);
          return step(s, out);
        }
      } else s.bucket = null;
      if (p.priority && w.prio === "batch" && s.queue.length * 2 >= p.queue) {
        out.push({ type: "observe", kind: "shed", data: { op: w.op } });
        reply(w, 503, out);
      } else if (s.queue.length >= p.queue) {
        out.push({ type: "observe", kind: "reject", data: { op: w.op, reason: "queue" } });
        reply(w, 503, out);
      } else {
        s.queue.push(w);
        pump(s, ctx, out);
      }
    } else if (msg.type === "done") {
      const call = String(msg.call);
      // A late answer, after the call timed out, finds nothing to do.
      if (s.inflight[call] === undefined) return out.length === 0 ? step(state) : (frontGauge(s, out), step(s, out));
      out.push({ type: "cancelTimer", name: `call ${call}` });
      callEnded(s, call, msg.status, ctx, out);
      pump(s, ctx, out);
    } else if (out.length === 0) return step(state);
    frontGauge(s, out);
    return step(s, out);
  },
  onTimer(state, name, ctx) {
    if (!name.startsWith("call ")) return step(state);
    const call = name.slice("call ".length);
    if (state.inflight[call] === undefined) return step(state);
    const s = copyFront(state);
    const out: Effect[] = [];
    trim(s, params(ctx), out);
    callEnded(s, call, 504, ctx, out);
    pump(s, ctx, out);
    frontGauge(s, out);
    return step(s, out);
  },
  onCommand(state) {
    return step(state);
  },
  view(s) {
    return { status: "up", role: "front", queue: s.queue.length, inflight: Object.keys(s.inflight).length, limit: s.limit, breaker: s.breaker, tokens: s.bucket === null ? null : Math.floor(s.bucket.tokens) };
  },
  messageKind: (m) => m.type,
};

// ---------------------------------------------------------------------------------------------
// The downstream.

type Call = { call: number; op: string; key?: string; bad?: true; from: string };

export type DownstreamState = { busy: Record<string, Call>; waiting: Call[]; executed: Record<string, true>; done: number };

export type DownstreamView = { status: "up"; role: "downstream"; busy: number; waiting: number; done: number };

function startCalls(s: DownstreamState, ctx: Ctx, out: Effect[]): void {
  const p = params(ctx);
  const fault = p.faults[ctx.self];
  // Recovering slowly, it takes on a growing share of its capacity (at least one call).
  const capacity = fault?.mode === "recovering" && fault.over > 0 ? Math.max(1, Math.ceil(p.capacity * Math.min(1, (ctx.now - fault.since) / fault.over))) : p.capacity;
  while (s.waiting.length > 0 && Object.keys(s.busy).length < capacity) {
    const c = s.waiting[0]!;
    s.waiting = s.waiting.slice(1);
    s.busy[String(c.call)] = c;
    const took = ctx.rng.int(p.service[0], p.service[1]) + (fault?.mode === "slow" ? fault.latency : 0);
    out.push({ type: "setTimer", name: `work ${c.call}`, after: took });
  }
}

export const downstream: Protocol<DownstreamState, ResilienceMsg, unknown, DownstreamView> = {
  /** The keys it has executed are on disk: a restart forgets the work in hand, not them. */
  init(_ctx, persisted) {
    const executed = (persisted as { executed?: Record<string, true> } | undefined)?.executed ?? {};
    return step({ busy: {}, waiting: [], executed, done: 0 });
  },
  persist(s) {
    return { executed: s.executed };
  },
  onMessage(state, from, msg, ctx) {
    if (msg.type !== "call") return step(state);
    // Hard down: the call is taken and never answered, as a hung process would.
    if (params(ctx).faults[ctx.self]?.mode === "down") return step(state, [{ type: "observe", kind: "swallowed", data: { call: msg.call, op: msg.op } }]);
    const s: DownstreamState = { ...state, busy: { ...state.busy }, waiting: [...state.waiting] };
    const c: Call = { call: msg.call, op: msg.op, from };
    if (msg.key !== undefined) c.key = msg.key;
    if (msg.bad) c.bad = true;
    s.waiting.push(c);
    const out: Effect[] = [];
    startCalls(s, ctx, out);
    return step(s, out);
  },
  onTimer(state, name, ctx) {
    if (!name.startsWith("work ")) return step(state);
    const c = state.busy[name.slice("work ".length)];
    if (c === undefined) return step(state);
    const p = params(ctx);
    const fault = p.faults[ctx.self];
    const s: DownstreamState = { ...state, busy: { ...state.busy }, waiting: [...state.waiting], executed: state.executed };
    delete s.busy[String(c.call)];
    s.done++;
    const out: Effect[] = [];
    let status = 200;
    if (c.bad) status = 400;
    else if (fault?.mode === "errors" && ctx.rng.next() < fault.errorRate) status = 500;
    else if (c.key !== undefined && s.executed[c.key] === true) out.push({ type: "observe", kind: "deduplicated", data: { op: c.op } });
    else {
      // The work itself: charging a card, writing a row. A keyed call's key is remembered.
      if (c.key !== undefined) s.executed = { ...s.executed, [c.key]: true };
      out.push({ type: "observe", kind: "execute", data: { op: c.op, keyed: c.key !== undefined } });
    }
    out.push({ type: "send", to: c.from, msg: { type: "done", call: c.call, status } });
    startCalls(s, ctx, out);
    return step(s, out);
  },
  onCommand(state) {
    return step(state);
  },
  view(s) {
    return { status: "up", role: "downstream", busy: Object.keys(s.busy).length, waiting: s.waiting.length, done: s.done };
  },
  messageKind: (m) => m.type,
};

export const resilienceProtocols = { roles: { client, front, downstream } };

export type ResilienceNodeView = ClientView | FrontView | DownstreamView;
