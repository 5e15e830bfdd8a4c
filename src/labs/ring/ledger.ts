// What the ring lab's checks, its stage and the CLI summary all read from a run: the newest
// acknowledged write of each key, what each server holds, which reads came back stale, which
// requests were refused, and how many keys each membership change moved. Folded event by event
// (labs/checking.ts), plain data throughout, so the page snapshots it with the run.

import * as v from "valibot";
import { own, put } from "../checking.ts";
import type { TraceEvent } from "../../sim/trace.ts";
import type { Scenario } from "../../scenario/types.ts";
import { ringParams, type RingParams } from "./params.ts";
import { keyName, placementOf, spread } from "./placement.ts";
import { newer, specOf, type Version } from "./protocol.ts";

type Stamp = Version & { t: number; seq: number };

export interface Ledger {
  params: RingParams;
  /** Servers in the run (not removed), in the order they came. */
  servers: string[];
  /** Servers the shard map says have left the ring. */
  left: Record<string, true>;
  /** The newest acknowledged version of each key. */
  acked: Record<string, Stamp>;
  /** Each key's acknowledgements that raised its newest version, in time order. */
  ackLog: Record<string, Stamp[]>;
  /** What each server holds (its own keys and those it keeps for others): server → key → version. */
  held: Record<string, Record<string, Version>>;
  /** Reads under way: "client:id" → when they began and whether the quorum was strict then. */
  begun: Record<string, { t: number; strict: boolean }>;
  writes: number;
  acks: number;
  reads: number;
  refusedWrites: number;
  refusedReads: number;
  staleReads: number;
  /** Requests each server was sent (puts and gets, fallbacks and repairs included). */
  requests: Record<string, number>;
  /** Each membership change: the keys whose owner it changed, and the ideal (keys / servers the change touched). */
  moves: { t: number; change: string; movedKeys: number; totalKeys: number; ideal: number }[];
}

export function parsedParams(raw: Readonly<Record<string, unknown>>): RingParams {
  return v.parse(ringParams, raw);
}

export function newLedger(scenario: Scenario, params: Readonly<Record<string, unknown>>): Ledger {
  return {
    params: parsedParams(params),
    servers: scenario.nodes.filter((n) => (n.role ?? "server") === "server").map((n) => n.id),
    left: {},
    acked: {},
    ackLog: {},
    held: {},
    begun: {},
    writes: 0,
    acks: 0,
    reads: 0,
    refusedWrites: 0,
    refusedReads: 0,
    staleReads: 0,
    requests: {},
    moves: [],
  };
}

export const strictQuorum = (p: RingParams) => p.r + p.w > p.replicas && !p.sloppy;

/** A read that came back older than a write acknowledged before it began. */
export interface StaleRead {
  read: TraceEvent;
  ack: Stamp;
  strict: boolean;
}

/** Fold one event in; returns a stale read when this event is one. */
export function ledgerStep(l: Ledger, e: TraceEvent): StaleRead | undefined {
  switch (e.kind) {
    case "set": {
      const path = String(e.path);
      if (!path.startsWith("params.")) return;
      const before = l.params;
      const keys = path.slice("params.".length).split(".");
      const raw: Record<string, unknown> = structuredClone(before) as unknown as Record<string, unknown>;
      let at = raw;
      for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
      at[keys.at(-1)!] = e.value;
      const parsed = v.safeParse(ringParams, raw);
      if (!parsed.success) return;
      l.params = parsed.output;
      if (keys[0] === "shard") {
        const changes = l.params.shard?.changes ?? [];
        const last = changes.at(-1);
        l.left = {};
        for (const c of changes) {
          if (c.op === "leave") put(l.left, c.server, true);
          else delete l.left[c.server];
        }
        if (last !== undefined && changes.length > (before.shard?.changes.length ?? 0)) {
          // Ideal: a joiner takes its share of the servers after the join; a leaver's share is of those before.
          const after = ringServers(l).length;
          const ideal = Math.round(l.params.keys / Math.max(1, last.op === "join" ? after : after + 1));
          l.moves.push({ t: e.t, change: `${last.server} ${last.op === "join" ? "joins" : "leaves"}`, ...moved(l.params, l.servers), ideal });
        }
      }
      return;
    }
    case "add-node":
      if (e.noop !== true && (e.role ?? "server") === "server") l.servers = [...l.servers, String(e.node)];
      return;
    case "remove-node":
      l.servers = l.servers.filter((s) => s !== e.node);
      return;
    case "send": {
      const m = e.msg as { type?: string } | undefined;
      if (m?.type === "put" || m?.type === "get") put(l.requests, String(e.to), (own(l.requests, String(e.to)) ?? 0) + 1);
      return;
    }
    case "stored": {
      const node = String(e.node);
      const key = String(e.key);
      const box = own(l.held, node) ?? {};
      const ver = { n: Number(e.n), by: String(e.by) };
      if (newer(ver, own(box, key))) {
        put(box, key, ver);
        put(l.held, node, box);
      }
      return;
    }
    case "ack": {
      l.writes++;
      l.acks++;
      const key = String(e.key);
      const stamp: Stamp = { n: Number(e.n), by: String(e.by), t: e.t, seq: e.seq };
      if (newer(stamp, own(l.acked, key))) {
        put(l.acked, key, stamp);
        const log = own(l.ackLog, key) ?? [];
        log.push(stamp);
        put(l.ackLog, key, log);
      }
      return;
    }
    case "refused":
      if (e.op === "put") {
        l.writes++;
        l.refusedWrites++;
      } else l.refusedReads++;
      return;
    case "begin": {
      // A read made again under a new placement began when it was first made.
      const earlier = e.again === undefined ? undefined : own(l.begun, `${String(e.node)}:${String(e.again)}`);
      if (earlier !== undefined) delete l.begun[`${String(e.node)}:${String(e.again)}`];
      put(l.begun, `${String(e.node)}:${String(e.id)}`, earlier ?? { t: e.t, strict: strictQuorum(l.params) });
      return;
    }
    case "read": {
      l.reads++;
      const id = `${String(e.node)}:${String(e.id)}`;
      const b = own(l.begun, id);
      delete l.begun[id];
      if (b === undefined) return;
      // The newest write acknowledged before the read began.
      const log = own(l.ackLog, String(e.key)) ?? [];
      let floor: Stamp | undefined;
      for (let i = log.length - 1; i >= 0; i--) {
        if (log[i]!.t < b.t) {
          floor = log[i];
          break;
        }
      }
      if (floor === undefined) return;
      const got = e.n === undefined ? undefined : { n: Number(e.n), by: String(e.by) };
      if (got !== undefined && !newer(floor, got)) return;
      l.staleReads++;
      return { read: e, ack: floor, strict: b.strict };
    }
    default:
      return;
  }
}

/** Keys whose owner the shard map's last change moved. */
function moved(after: RingParams, servers: readonly string[]): { movedKeys: number; totalKeys: number } {
  const spec = specOf(after, servers);
  const last = after.shard!.changes.at(-1)!;
  const b = placementOf(spec);
  const a = placementOf({ ...spec, changes: spec.changes.filter((c) => c !== last) });
  let n = 0;
  for (let i = 0; i < after.keys; i++) if (a.owner(keyName(i)) !== b.owner(keyName(i))) n++;
  return { movedKeys: n, totalKeys: after.keys };
}

/** The servers in the ring now: in the run and not drained out of the map. */
export function ringServers(l: Ledger): string[] {
  return l.servers.filter((s) => own(l.left, s) === undefined);
}

/** Acknowledged writes no server in the ring holds (nor a later version of). */
export function lostWrites(l: Ledger): { key: string; ack: Stamp }[] {
  const ring = ringServers(l);
  const out: { key: string; ack: Stamp }[] = [];
  for (const key of Object.keys(l.acked).sort()) {
    const ack = l.acked[key]!;
    const kept = ring.some((s) => {
      const h = own(own(l.held, s) ?? {}, key);
      return h !== undefined && !newer(ack, h);
    });
    if (!kept) out.push({ key, ack });
  }
  return out;
}

/** Keys each server in the ring owns under the current placement, and their spread. */
/** Keys each server owns now; `vnodes`: as if the ring had that many virtual nodes a server (the slider's preview). */
export function keysPerServer(l: Ledger, vnodes = l.params.vnodes): { perServer: Record<string, number>; stdDevPct: number } {
  const p = placementOf(specOf({ ...l.params, vnodes }, l.servers));
  const perServer: Record<string, number> = {};
  for (const s of p.servers) perServer[s] = 0;
  for (let i = 0; i < l.params.keys; i++) {
    const o = p.owner(keyName(i));
    perServer[o] = (perServer[o] ?? 0) + 1;
  }
  return { perServer, stdDevPct: Math.round(spread(Object.values(perServer)) * 1000) / 10 };
}
