// The ring lab's protocols: servers that store replicated keys, and clients that read and write
// them through the network, Dynamo-style (DeCandia et al. 2007).
//
// Placement (placement.ts) is a pure function of the params — the strategy, the shard map's
// history — and of which servers the run has, so every node computes the same preference list
// for a key: its first `replicas` servers. A client coordinates its own requests: a write goes
// to the key's replicas and is acknowledged after `w` of them stored it; a read asks them and
// returns the newest of the first `r` replies, mending stale replicas (read repair). When the
// quorum does not answer in time, a strict client gives up (a refused write: consistent, not
// available); with `sloppy` on it asks the next servers along, which keep the value with a hint
// and hand it back to its home once they can reach it (hinted handoff).
//
// When servers join or leave, every node sees the new placement at once (it is in the params),
// numbered by an epoch. A request made under an older epoch is turned away ("stale") and the
// client makes it again under the new placement, so no write lands where the new placement will
// not look. Every server streams the keys it held to the servers that have just become their
// replicas. Until a new replica has heard from enough old ones (replicas - w + 1, so it has
// seen every write the old placement acknowledged), it answers a read of such a key with the
// newest of its own copy and a quorum of the old replicas' (a read the old placement would have
// answered): the key is found at the old or the new place, never nowhere, and never stale.

import { step, type Ctx, type Effect, type Protocol } from "../../sim/types.ts";
import { hotRangeEnd, type RingParams } from "./params.ts";
import { hash32, keyName, membersAfter, placementOf, type Change, type Placement, type PlacementSpec } from "./placement.ts";

export type Version = { n: number; by: string };
export type Versioned = { value: string; v: Version };

/** Whether `a` is a later version than `b` (counter, then writer's id). */
export function newer(a: Version, b: Version | undefined): boolean {
  return b === undefined || a.n > b.n || (a.n === b.n && a.by > b.by);
}

export type RingMsg =
  /** Store `val`; as a fallback for `hint` when set. `id` -1: a read repair, no reply wanted. `epoch`: the placement it was sent under. */
  | { type: "put"; id: number; key: string; val: Versioned; epoch: number; hint?: string }
  | { type: "put-ok"; id: number; key: string; for: string }
  /** A read; `proxy` when a new replica asks an old one on a client's behalf. */
  | { type: "get"; id: number; key: string; epoch: number; proxy?: true }
  | { type: "got"; id: number; key: string; val: Versioned | null; for: string }
  /** The request was made under an older placement: make it again. */
  | { type: "stale"; id: number; for: string }
  /** Keys moving to a new replica, and the keys the sender is done with for it; `n` numbers the batch. */
  | { type: "migrate"; n: number; entries: Record<string, Versioned>; done: string[] }
  | { type: "migrate-ok"; n: number }
  | { type: "handoff"; entries: Record<string, Versioned> }
  | { type: "handoff-ok"; entries: Record<string, Version> };

const HANDOFF_MS = 500;

// ---------------------------------------------------------------------------------------------
// Placement as every node computes it.

function params(ctx: Ctx): RingParams {
  return ctx.params as RingParams;
}

/** The servers the run has now, in the order they joined. */
export function serversNow(ctx: Ctx): string[] {
  return Object.keys(ctx.roles).filter((id) => ctx.roles[id] === "server");
}

/**
 * The placement spec: the shard map's history from the params (written by add-server and
 * remove-server), reconciled with the servers the run has — a server added or removed by the
 * core actions joins or leaves at the end of the history.
 */
export function specOf(p: Pick<RingParams, "strategy" | "vnodes" | "keys" | "shard">, servers: readonly string[]): PlacementSpec {
  const base = p.shard ?? { initial: servers, changes: [] };
  const listed = membersAfter(base.initial, base.changes);
  const named = new Set([...base.initial, ...base.changes.map((c) => c.server)]);
  const changes: Change[] = [...base.changes];
  for (const s of listed) if (!servers.includes(s)) changes.push({ op: "leave", server: s });
  for (const s of servers) if (!named.has(s)) changes.push({ op: "join", server: s });
  return { strategy: p.strategy, vnodes: p.vnodes, keys: p.keys, initial: base.initial, changes };
}

function placementNow(ctx: Ctx): { spec: PlacementSpec; placement: Placement } {
  const spec = specOf(params(ctx), serversNow(ctx));
  return { spec, placement: placementOf(spec) };
}

const specKey = (s: PlacementSpec) => JSON.stringify(s);

/** The placement's number: every node derives the same one from the same spec. */
export const epochOf = (spec: PlacementSpec) => hash32(specKey(spec));

// ---------------------------------------------------------------------------------------------
// Servers.

export type ServerState = {
  store: Record<string, Versioned>;
  /** Values kept for an unreachable home server: home → key → value. */
  hints: Record<string, Record<string, Versioned>>;
  /** The placement this server last acted on (a changed one starts a move). */
  spec: string;
  /** Keys this server has just become a replica of: their old replicas, and those heard from so far. */
  pending: Record<string, { old: string[]; heard: string[] }>;
  /** Reads of such keys under way: asked of the old replicas on a client's behalf. */
  proxies: Record<string, Proxy>;
  nextProxy: number;
  /** Keys on their way to new replicas, sent again until each replica says it has them. */
  outbox: Record<string, Batch>;
  served: number;
};

type Batch = { n: number; entries: Record<string, Versioned>; done: string[] };

type Proxy = { client: string; id: number; key: string; replies: (Versioned | null)[]; from: string[] };

export type ServerView = { status: "up"; role: "server"; keys: number; hinted: number; served: number; moving: number };

type Out = Effect[];

function stored(s: ServerState, key: string, val: Versioned, out: Out, hint?: string): void {
  if (hint !== undefined) {
    if (!newer(val.v, s.hints[hint]?.[key]?.v)) return;
    s.hints[hint] = { ...(s.hints[hint] ?? {}), [key]: val };
    out.push({ type: "observe", kind: "stored", data: { key, n: val.v.n, by: val.v.by, hint } });
    return;
  }
  if (!newer(val.v, s.store[key]?.v)) return;
  s.store[key] = val;
  out.push({ type: "observe", kind: "stored", data: { key, n: val.v.n, by: val.v.by } });
}

/** The newest value this server has for a key, its own or one it keeps for another. */
function newestHeld(s: ServerState, key: string): Versioned | null {
  let best: Versioned | undefined = s.store[key];
  for (const home of Object.keys(s.hints).sort()) {
    const h = s.hints[home]![key];
    if (h !== undefined && newer(h.v, best?.v)) best = h;
  }
  return best ?? null;
}

/** A copy to edit: the maps one level down are copied as they are touched. */
function edit(s: ServerState): ServerState {
  return { ...s, store: { ...s.store }, hints: { ...s.hints }, pending: { ...s.pending }, proxies: { ...s.proxies }, outbox: { ...s.outbox } };
}

/**
 * Act on a new placement: stream what this server held to the servers that have just become
 * replicas of it, and note the keys this server has just become a replica of.
 */
function follow(s: ServerState, ctx: Ctx, out: Out): ServerState {
  const { spec, placement } = placementNow(ctx);
  const key = specKey(spec);
  if (key === s.spec) return s;
  const next = edit(s);
  next.spec = key;
  // A server that has just joined starts from the placement before its join: every key it is now
  // a replica of is still to come from the old replicas.
  let was: PlacementSpec;
  if (s.spec !== "") was = JSON.parse(s.spec) as PlacementSpec;
  else if (spec.changes.some((c) => c.op === "join" && c.server === ctx.self)) was = { ...spec, changes: spec.changes.filter((c) => c.server !== ctx.self) };
  else return next;
  const before = placementOf(was);
  const n = params(ctx).replicas;
  const batches: Record<string, { entries: Record<string, Versioned>; done: string[] }> = {};
  for (let i = 0; i < spec.keys; i++) {
    const k = keyName(i);
    const was = before.preference(k, n);
    const now = placement.preference(k, n);
    if (was.includes(ctx.self)) {
      for (const t of now) {
        if (t === ctx.self || was.includes(t)) continue;
        const b = (batches[t] ??= { entries: {}, done: [] });
        b.done.push(k);
        const val = newestHeld(s, k);
        if (val !== null) b.entries[k] = val;
      }
    }
    if (now.includes(ctx.self) && !was.includes(ctx.self)) {
      const old = was.filter((x) => x !== ctx.self);
      if (old.length > 0) next.pending[k] = { old, heard: [] };
    }
  }
  for (const t of Object.keys(batches).sort()) {
    // Joined to anything still unacknowledged for the same server, under a new number.
    const prev = next.outbox[t];
    const b = batches[t]!;
    const batch: Batch = prev === undefined ? { n: 1, ...b } : { n: prev.n + 1, entries: { ...prev.entries, ...b.entries }, done: [...new Set([...prev.done, ...b.done])] };
    next.outbox[t] = batch;
    out.push({ type: "send", to: t, msg: { type: "migrate", ...batch } });
  }
  const moving = Object.keys(next.pending).length;
  if (moving > 0) out.push({ type: "note", text: `${ctx.self} is now a replica of ${moving} more ${moving === 1 ? "key" : "keys"}; they stream in from their old replicas` });
  return next;
}

export const server: Protocol<ServerState, RingMsg, unknown, ServerView> = {
  init(ctx, persisted) {
    const kept = persisted as Pick<ServerState, "store" | "hints" | "spec" | "outbox"> | undefined;
    const s: ServerState = { store: kept?.store ?? {}, hints: kept?.hints ?? {}, spec: kept?.spec ?? "", pending: {}, proxies: {}, nextProxy: 0, outbox: kept?.outbox ?? {}, served: 0 };
    const out: Out = [{ type: "setTimer", name: "handoff", after: HANDOFF_MS }];
    return step(follow(s, ctx, out), out);
  },

  onMessage(state, from, msg, ctx) {
    const out: Out = [];
    const s = edit(follow(state, ctx, out));
    switch (msg.type) {
      case "put": {
        // A request made under an older placement: turned away, to be made again.
        if (msg.id >= 0 && msg.epoch !== epochOf(placementNow(ctx).spec)) {
          out.push({ type: "send", to: from, msg: { type: "stale", id: msg.id, for: ctx.self } });
          break;
        }
        stored(s, msg.key, msg.val, out, msg.hint);
        if (msg.id >= 0) {
          s.served++;
          out.push({ type: "send", to: from, msg: { type: "put-ok", id: msg.id, key: msg.key, for: ctx.self } });
        }
        break;
      }
      case "get": {
        if (msg.proxy === true) {
          // An old replica answers a new one: what it holds, whatever the placement now.
          out.push({ type: "send", to: from, msg: { type: "got", id: msg.id, key: msg.key, val: newestHeld(s, msg.key), for: ctx.self } });
          break;
        }
        if (msg.epoch !== epochOf(placementNow(ctx).spec)) {
          out.push({ type: "send", to: from, msg: { type: "stale", id: msg.id, for: ctx.self } });
          break;
        }
        s.served++;
        const moving = s.pending[msg.key];
        if (moving === undefined) {
          out.push({ type: "send", to: from, msg: { type: "got", id: msg.id, key: msg.key, val: newestHeld(s, msg.key), for: ctx.self } });
          break;
        }
        // Still moving in: answer with the newest of this copy and a read quorum of the old replicas'.
        const pid = String(s.nextProxy++);
        s.proxies[pid] = { client: from, id: msg.id, key: msg.key, replies: [newestHeld(s, msg.key)], from: [] };
        for (const old of moving.old) out.push({ type: "send", to: old, msg: { type: "get", id: Number(pid), key: msg.key, epoch: 0, proxy: true } });
        break;
      }
      case "got": {
        // An old replica's answer to a proxied read.
        const pid = String(msg.id);
        const px = s.proxies[pid];
        if (px === undefined || px.from.includes(from)) break;
        const next = { ...px, replies: [...px.replies, msg.val], from: [...px.from, from] };
        if (next.from.length < params(ctx).r) {
          s.proxies[pid] = next;
          break;
        }
        delete s.proxies[pid];
        let best: Versioned | null = null;
        for (const v of next.replies) if (v !== null && newer(v.v, best?.v)) best = v;
        out.push({ type: "send", to: px.client, msg: { type: "got", id: px.id, key: px.key, val: best, for: ctx.self } });
        break;
      }
      case "migrate-ok":
        if (s.outbox[from]?.n === msg.n) delete s.outbox[from];
        break;
      case "migrate": {
        for (const k of Object.keys(msg.entries).sort()) stored(s, k, msg.entries[k]!, out);
        out.push({ type: "send", to: from, msg: { type: "migrate-ok", n: msg.n } });
        // Once enough old replicas have handed over, this copy has every write they acknowledged.
        const p = params(ctx);
        for (const k of msg.done) {
          const moving = s.pending[k];
          if (moving === undefined || !moving.old.includes(from) || moving.heard.includes(from)) continue;
          const heard = [...moving.heard, from];
          if (heard.length >= Math.min(moving.old.length, p.replicas - p.w + 1)) delete s.pending[k];
          else s.pending[k] = { ...moving, heard };
        }
        break;
      }
      case "handoff": {
        const versions: Record<string, Version> = {};
        for (const k of Object.keys(msg.entries).sort()) {
          stored(s, k, msg.entries[k]!, out);
          versions[k] = msg.entries[k]!.v;
        }
        out.push({ type: "send", to: from, msg: { type: "handoff-ok", entries: versions } });
        break;
      }
      case "handoff-ok": {
        const box = { ...(s.hints[from] ?? {}) };
        for (const k of Object.keys(msg.entries)) {
          const v = msg.entries[k]!;
          if (box[k] !== undefined && box[k].v.n === v.n && box[k].v.by === v.by) delete box[k];
        }
        if (Object.keys(box).length === 0) delete s.hints[from];
        else s.hints[from] = box;
        break;
      }
      default:
        break;
    }
    return step(s, out);
  },

  onTimer(state, _name, ctx) {
    const out: Out = [{ type: "setTimer", name: "handoff", after: HANDOFF_MS }];
    const s = follow(state, ctx, out);
    // Keys still on their way to new replicas go again.
    for (const t of Object.keys(s.outbox).sort()) out.push({ type: "send", to: t, msg: { type: "migrate", ...s.outbox[t]! } });
    // Hand what this server keeps for others back to them (they answer when they can).
    const servers = serversNow(ctx);
    for (const home of Object.keys(s.hints).sort()) {
      if (home === ctx.self || !servers.includes(home)) continue;
      out.push({ type: "send", to: home, msg: { type: "handoff", entries: s.hints[home]! } });
    }
    return step(s, out);
  },

  onCommand(state, _cmd, ctx) {
    const out: Out = [];
    return step(follow(state, ctx, out), out);
  },

  persist: (s) => ({ store: s.store, hints: s.hints, spec: s.spec, outbox: s.outbox }),

  view: (s) => ({
    status: "up",
    role: "server",
    keys: Object.keys(s.store).length,
    hinted: Object.values(s.hints).reduce((a, h) => a + Object.keys(h).length, 0),
    served: s.served,
    moving: Object.keys(s.pending).length + Object.values(s.outbox).reduce((a, b) => a + b.done.length, 0),
  }),

  messageKind: (m) => m.type,
};

// ---------------------------------------------------------------------------------------------
// Clients.

type Req = {
  op: "get" | "put";
  key: string;
  val?: Versioned;
  /** The placement it was sent under. */
  epoch: number;
  asked: string[];
  /** Servers that acknowledged (put) or answered (get), by the server asked. */
  done: string[];
  replies: (Versioned | null)[];
  /** 1: the preference list; 2: fallbacks asked too (sloppy). */
  phase: 1 | 2;
};

export type ClientState = {
  clock: number;
  nextId: number;
  inflight: Record<string, Req>;
  writes: number;
  acked: number;
  reads: number;
  refused: number;
};

export type ClientView = { status: "up"; role: "client"; writes: number; acked: number; reads: number; refused: number; waiting: number };

function pickKey(ctx: Ctx): string {
  const p = params(ctx);
  if (p.hotKey > 0 && ctx.rng.next() < p.hotKey) return keyName(0);
  if (p.hotRange > 0 && ctx.rng.next() < p.hotRange) return keyName(ctx.rng.int(0, hotRangeEnd(p.keys) - 1));
  return keyName(ctx.rng.int(0, p.keys - 1));
}

/**
 * Send a request to its key's replicas under the placement as it stands, with a new id; `again`:
 * the id it had under an older placement, which turned it away.
 */
function issue(s: ClientState, r: Req, ctx: Ctx, out: Out, again?: string): void {
  const p = params(ctx);
  const { spec, placement } = placementNow(ctx);
  const id = String(s.nextId++);
  const epoch = epochOf(spec);
  const asked = placement.preference(r.key, p.replicas);
  s.inflight[id] = { ...r, epoch, asked, done: [], replies: [], phase: 1 };
  // A read's start in the run's time: the stale-read check compares it with acknowledgements.
  if (r.op === "get") out.push({ type: "observe", kind: "begin", data: again === undefined ? { id: Number(id), key: r.key } : { id: Number(id), key: r.key, again: Number(again) } });
  for (const to of asked) {
    const msg: RingMsg = r.op === "put" ? { type: "put", id: Number(id), key: r.key, val: r.val!, epoch } : { type: "get", id: Number(id), key: r.key, epoch };
    out.push({ type: "send", to, msg });
  }
  out.push({ type: "setTimer", name: `t${id}`, after: p.timeout });
}

function finish(s: ClientState, id: string, out: Out): void {
  delete s.inflight[id];
  out.push({ type: "cancelTimer", name: `t${id}` });
}

function refuse(s: ClientState, id: string, r: Req, out: Out, ctx: Ctx): void {
  s.refused++;
  out.push({ type: "observe", kind: "refused", data: { op: r.op, key: r.key, got: r.done.length } });
  out.push({ type: "note", text: `${ctx.self}'s ${r.op === "put" ? "write" : "read"} of ${r.key} found only ${r.done.length} of the replicas it needed: refused` });
  finish(s, id, out);
}

function readDone(s: ClientState, id: string, r: Req, out: Out): void {
  let best: Versioned | null = null;
  for (const v of r.replies) if (v !== null && newer(v.v, best?.v)) best = v;
  // Read repair: every replica that answered with an older value gets the newest.
  if (best !== null) {
    r.replies.forEach((v, i) => {
      if (v === null || newer(best!.v, v.v)) out.push({ type: "send", to: r.done[i]!, msg: { type: "put", id: -1, key: r.key, val: best!, epoch: r.epoch } });
    });
  }
  out.push({ type: "observe", kind: "read", data: best === null ? { id: Number(id), key: r.key } : { id: Number(id), key: r.key, n: best.v.n, by: best.v.by } });
  finish(s, id, out);
}

export const client: Protocol<ClientState, RingMsg, unknown, ClientView> = {
  init(ctx) {
    const p = params(ctx);
    return step({ clock: 0, nextId: 0, inflight: {}, writes: 0, acked: 0, reads: 0, refused: 0 }, [
      { type: "setTimer", name: "tick", after: ctx.rng.int(1, p.interval) },
    ]);
  },

  onTimer(state, name, ctx) {
    const p = params(ctx);
    const s: ClientState = { ...state, inflight: { ...state.inflight } };
    const out: Out = [];
    if (name === "tick") {
      out.push({ type: "setTimer", name: "tick", after: p.interval + ctx.rng.int(0, Math.floor(p.interval / 2)) });
      if (serversNow(ctx).length === 0) return step(s, out);
      const key = pickKey(ctx);
      const write = ctx.rng.next() < p.writes;
      const r: Req = { op: write ? "put" : "get", key, epoch: 0, asked: [], done: [], replies: [], phase: 1 };
      if (write) {
        s.writes++;
        s.clock++;
        r.val = { value: `${ctx.self}#${s.clock}`, v: { n: s.clock, by: ctx.self } };
      } else s.reads++;
      issue(s, r, ctx, out);
      return step(s, out);
    }
    // A request's time is up.
    const id = name.slice(1);
    const r = s.inflight[id];
    if (r === undefined) return step(s, out);
    const need = r.op === "put" ? p.w : p.r;
    if (r.done.length >= need) return step(s, out);
    if (p.sloppy && r.phase === 1) {
      // Ask the next servers along, one for each replica that did not answer.
      const missing = r.asked.filter((x) => !r.done.includes(x));
      const all = placementNow(ctx).placement.preference(r.key, serversNow(ctx).length);
      const fallbacks = all.filter((x) => !r.asked.includes(x)).slice(0, missing.length);
      if (fallbacks.length > 0) {
        const next: Req = { ...r, phase: 2, asked: [...r.asked, ...fallbacks] };
        s.inflight[id] = next;
        fallbacks.forEach((to, i) => {
          const msg: RingMsg =
            r.op === "put" ? { type: "put", id: Number(id), key: r.key, val: r.val!, epoch: r.epoch, hint: missing[i]! } : { type: "get", id: Number(id), key: r.key, epoch: r.epoch };
          out.push({ type: "send", to, msg });
        });
        out.push({ type: "setTimer", name: `t${id}`, after: p.timeout });
        return step(s, out);
      }
    }
    refuse(s, id, r, out, ctx);
    return step(s, out);
  },

  onMessage(state, _from, msg, ctx) {
    if (msg.type !== "put-ok" && msg.type !== "got" && msg.type !== "stale") return step(state);
    const id = String(msg.id);
    const r = state.inflight[id];
    if (r === undefined || r.done.includes(msg.for)) return step(state);
    const p = params(ctx);
    const s: ClientState = { ...state, inflight: { ...state.inflight } };
    const out: Out = [];
    if (msg.type === "stale") {
      // Made under a placement that has since changed: make it again under the new one.
      if (r.epoch === epochOf(placementNow(ctx).spec)) return step(state);
      finish(s, id, out);
      issue(s, r, ctx, out, id);
      return step(s, out);
    }
    const next: Req = { ...r, done: [...r.done, msg.for] };
    s.inflight[id] = next;
    if (msg.type === "put-ok" && r.op === "put") {
      if (next.done.length === p.w) {
        s.acked++;
        out.push({ type: "observe", kind: "ack", data: { key: r.key, n: r.val!.v.n, by: r.val!.v.by, servers: next.done } });
        finish(s, id, out);
      }
    } else if (msg.type === "got" && r.op === "get") {
      next.replies = [...r.replies, msg.val];
      if (msg.val !== null && msg.val.v.n > s.clock) s.clock = msg.val.v.n;
      if (next.done.length === p.r) readDone(s, id, next, out);
    }
    return step(s, out);
  },

  onCommand: (s) => step(s),

  view: (s) => ({
    status: "up",
    role: "client",
    writes: s.writes,
    acked: s.acked,
    reads: s.reads,
    refused: s.refused,
    waiting: Object.keys(s.inflight).length,
  }),

  messageKind: (m) => m.type,
};

/** Both roles, servers first (a node without a role is a server). */
export const ringProtocols = { roles: { server, client } };
