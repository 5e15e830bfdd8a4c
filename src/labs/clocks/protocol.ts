// The clocks lab's nodes: every node keeps a Lamport clock, a vector clock and a hybrid logical
// clock side by side, and reads its own physical clock (the engine's skew for this node: an
// offset, a drift and any step, seen through `ctx.now`, floored to the clock's resolution).
//
// Every `interval` ms (plus up to half again, drawn) a node has an event of its own: a chat
// message to one peer, a write of the replicated last-writer-wins register (sent to every
// peer), or a local event. Every event — local, send, receive — updates all three clocks by
// their rules (clocks.ts) and is written to the trace as `{kind: "clock", node, event, ...}`
// with the clocks after it and the physical reading `pt`; a send and its deliveries share the
// message `id` ("n1.4": the sender and its count).
//
// The register keeps the write with the latest stamp, by the writer's physical clock or by its
// HLC (`order`, switchable mid-run: each write carries both). The clocks survive a crash, as a
// real node keeps them on disk, so that a node's own entry never repeats.

import { step, type Ctx, type Effect, type Protocol } from "../../sim/types.ts";
import { hlcLocal, hlcReceive, readClock, stampCompare, vcReceive, vcTick, type Hlc, type VC } from "./clocks.ts";
import type { ClocksParams } from "./params.ts";

/** One write of the register: its value and the stamps it was written with. */
export type Write = { value: string; by: string; pt: number; hlc: Hlc };

export type ClocksState = {
  lamport: number;
  vc: VC;
  hlc: Hlc;
  /** Messages sent so far (their ids count up). */
  sent: number;
  /** Writes made so far. */
  written: number;
  register: Write | null;
  /** The last physical reading (for the view). */
  pt: number;
};

export type ClocksMsg = {
  type: "chat" | "write";
  id: string;
  lamport: number;
  vc: VC;
  hlc: Hlc;
  /** The sender's physical reading at the send. */
  pt: number;
  write?: Write;
};

/** What the learner can ask a node to do now (the panel's buttons). */
export type ClocksCmd = "local" | "write" | { send: string };

export type ClocksView = { status: "up"; lamport: number; vc: VC; hlc: Hlc; pt: number; register: Write | null };

const params = (ctx: Ctx) => ctx.params as ClocksParams;

/** Which write the register keeps: the later by the ordering in force; ties by writer. */
export function later(a: Write, b: Write, order: ClocksParams["order"]): Write {
  return stampCompare(a, b, order) >= 0 ? a : b;
}

function observe(s: ClocksState, event: "local" | "send" | "deliver", extra: Record<string, unknown>): Effect {
  return { type: "observe", kind: "clock", data: { event, ...extra, lamport: s.lamport, vc: s.vc, hlc: s.hlc, pt: s.pt } };
}

/** A local or send event: every clock ticks. */
function tick(s: ClocksState, ctx: Ctx): ClocksState {
  const p = params(ctx);
  const pt = readClock(ctx.now, p.resolution);
  return { ...s, lamport: s.lamport + 1, vc: vcTick(s.vc, ctx.self), hlc: hlcLocal(s.hlc, pt, p.hlc, p.resolution), pt };
}

function schedule(ctx: Ctx): Effect {
  const every = params(ctx).interval;
  return { type: "setTimer", name: "event", after: every + ctx.rng.int(0, Math.floor(every / 2)) };
}

// Before its first event a node's HLC is below every time: l = −∞, so the first event takes its
// clock's reading even when the clock reads below zero (l = 0 would put it ahead of that clock).
const fresh = (): ClocksState => ({ lamport: 0, vc: {}, hlc: { l: -Infinity, c: 0 }, sent: 0, written: 0, register: null, pt: 0 });

/** One event of a node's own: a local event, a chat message to one peer, or a write sent to every peer. */
type Act = "local" | "write" | { send: string };

function act(state: ClocksState, what: Act, ctx: Ctx): { state: ClocksState; effects: Effect[] } {
  let s = tick(state, ctx);
  if (what === "local") return step(s, [observe(s, "local", {})]);
  const id = `${ctx.self}.${s.sent + 1}`;
  s = { ...s, sent: s.sent + 1 };
  const msg: ClocksMsg = { type: "chat", id, lamport: s.lamport, vc: s.vc, hlc: s.hlc, pt: s.pt };
  const effects: Effect[] = [];
  let to: string[];
  if (what === "write") {
    const w: Write = { value: `${ctx.self}:${s.written + 1}`, by: ctx.self, pt: s.pt, hlc: s.hlc };
    s = { ...s, written: s.written + 1, register: s.register === null ? w : later(w, s.register, params(ctx).order) };
    msg.type = "write";
    msg.write = w;
    to = [...ctx.peers];
    effects.push(observe(s, "send", { id, to, write: w.value }));
  } else {
    to = [what.send];
    effects.push(observe(s, "send", { id, to }));
  }
  for (const peer of to) effects.push({ type: "send", to: peer, msg });
  return step(s, effects);
}

export const clocks: Protocol<ClocksState, ClocksMsg, ClocksCmd, ClocksView> = {
  init(ctx, persisted) {
    const kept = persisted as ClocksState | undefined;
    const s = kept === undefined ? fresh() : { ...kept };
    // The first event comes at a drawn moment within one interval, so nodes do not march in step.
    return step(s, [{ type: "setTimer", name: "event", after: ctx.rng.int(1, params(ctx).interval) }]);
  },

  onTimer(state, _name, ctx) {
    const p = params(ctx);
    const draw = ctx.rng.next();
    const what: Act = ctx.peers.length === 0 || draw >= p.sends + p.writes ? "local" : draw < p.sends ? { send: ctx.peers[ctx.rng.int(0, ctx.peers.length - 1)]! } : "write";
    const out = act(state, what, ctx);
    out.effects.push(schedule(ctx));
    return out;
  },

  onMessage(state, from, msg, ctx) {
    const p = params(ctx);
    const pt = readClock(ctx.now, p.resolution);
    let s: ClocksState = {
      ...state,
      lamport: Math.max(state.lamport, msg.lamport) + 1,
      vc: vcReceive(state.vc, msg.vc, ctx.self),
      hlc: hlcReceive(state.hlc, msg.hlc, pt, p.hlc, p.resolution),
      pt,
    };
    if (msg.write !== undefined) s = { ...s, register: s.register === null ? msg.write : later(msg.write, s.register, p.order) };
    return step(s, [observe(s, "deliver", { id: msg.id, from })]);
  },

  /** The learner's own events: `"local"`, `"write"`, or `{ send: "<peer>" }`. */
  onCommand(state, cmd, ctx) {
    if (cmd === "local" || cmd === "write") return act(state, cmd, ctx);
    if (typeof cmd === "object" && cmd !== null && "send" in cmd && ctx.peers.includes(String(cmd.send))) return act(state, { send: String(cmd.send) }, ctx);
    return step(state, [{ type: "note", text: `${ctx.self} does not know the command ${JSON.stringify(cmd)}` }]);
  },

  persist(state) {
    return state;
  },

  view(s) {
    return { status: "up", lamport: s.lamport, vc: s.vc, hlc: s.hlc, pt: s.pt, register: s.register };
  },

  messageKind(msg) {
    return msg.type;
  },
};
