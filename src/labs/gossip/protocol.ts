// Gossip of a grow-only counter (a G-counter CRDT).
//
// Each node counts its own increments; every `interval` ms it sends its whole vector of
// counts to one peer picked at random, and merges what it receives by taking the maximum
// per node. Merging by max is idempotent, commutative and associative, so lost, duplicated
// and reordered messages cannot make the counter wrong, only late: after the network heals,
// every node converges on the same total (eventual consistency, anti-entropy).
//
// A node's own count is persistent (it survives a crash); what it learnt from others is not
// and comes back through gossip.

import { step, type Ctx, type Protocol } from "../../sim/types.ts";

export interface GossipState {
  self: string;
  /** Increments seen per node id. */
  counts: Record<string, number>;
}

export interface GossipMsg {
  type: "gossip";
  counts: Record<string, number>;
}

/** `inc` adds one at this node; `{ inc: n }` adds n. */
export type GossipCmd = "inc" | { inc: number };

/** How much a command adds: "inc" is 1, `{ inc: n }` is n (a whole number, never below 0). */
export function incrementOf(cmd: unknown): number {
  if (cmd === "inc") return 1;
  if (typeof cmd === "object" && cmd !== null && "inc" in cmd) return Math.max(0, Math.floor(Number(cmd.inc) || 0));
  return 0;
}

export function total(counts: Record<string, number>): number {
  let sum = 0;
  for (const k in counts) sum += counts[k]!;
  return sum;
}

/** The gossip period: the lab's parsed params always carry it (index.ts holds the default). */
function interval(ctx: Ctx): number {
  return ctx.params.interval as number;
}

/** What a gossip node shows while it is up: the counts it has heard of, and their total. */
export type GossipView = {
  status: "up";
  total: number;
  counts: Record<string, number>;
};

export const gossip: Protocol<GossipState, GossipMsg, GossipCmd, GossipView> = {
  init(ctx, persisted) {
    const own = typeof persisted === "number" ? persisted : 0;
    const counts = { [ctx.self]: own };
    return step({ self: ctx.self, counts }, [
      { type: "observe", kind: "value", data: { total: own } },
      { type: "setTimer", name: "gossip", after: ctx.rng.range(0, interval(ctx)) },
    ]);
  },

  onCommand(state, cmd, ctx) {
    const by = incrementOf(cmd);
    const counts = { ...state.counts, [ctx.self]: (state.counts[ctx.self] ?? 0) + by };
    return step({ ...state, counts }, [
      { type: "observe", kind: "value", data: { total: total(counts) } },
      { type: "note", text: `${ctx.self} counted ${by}; it now sees ${total(counts)}` },
    ]);
  },

  onTimer(state, _name, ctx) {
    const effects: ReturnType<Protocol["onTimer"]>["effects"] = [
      { type: "setTimer", name: "gossip", after: interval(ctx) },
    ];
    if (ctx.peers.length > 0) {
      const to = ctx.peers[ctx.rng.int(0, ctx.peers.length - 1)]!;
      effects.push({ type: "send", to, msg: { type: "gossip", counts: state.counts } });
    }
    return step(state, effects);
  },

  onMessage(state, from, msg) {
    // Merge by max: the result does not depend on the order of keys or of messages.
    // Copy only when something is new: most rounds in a settled cluster change nothing.
    let counts: Record<string, number> | undefined;
    for (const k in msg.counts) {
      const v = msg.counts[k]!;
      if (v > (state.counts[k] ?? 0)) {
        counts ??= { ...state.counts };
        counts[k] = v;
      }
    }
    if (counts === undefined) return step(state);
    return step({ ...state, counts }, [
      { type: "observe", kind: "value", data: { total: total(counts) } },
      { type: "note", text: `${from}'s gossip raised the total to ${total(counts)}` },
    ]);
  },

  persist(state) {
    return state.counts[state.self] ?? 0;
  },

  view(state) {
    return { status: "up", total: total(state.counts), counts: state.counts };
  },

  messageKind() {
    return "gossip";
  },
};
