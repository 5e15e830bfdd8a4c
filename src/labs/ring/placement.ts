// Where keys live: the six placement strategies the ring lab compares on the same keys. Pure
// functions of plain data — the strategy, its settings and the servers in the order they joined
// (and, for the range and table strategies, the history of joins and leaves that shaped them) —
// so every node, the CLI and the bench compute the same owner for a key.
//
// The hash is xxHash32 (js-xxhash): well distributed (it passes SMHasher), pure JavaScript, so
// it gives the same numbers in the browser, in workers and in Node.

import { xxHash32 } from "js-xxhash";

export type Strategy = "ring" | "modulo" | "range" | "table" | "jump" | "rendezvous";
export const STRATEGIES: readonly Strategy[] = ["ring", "modulo", "range", "table", "jump", "rendezvous"];

/** An unsigned 32-bit hash of a string. */
export function hash32(s: string, seed = 0): number {
  return xxHash32(s, seed) >>> 0;
}

/** The i-th key of a population: zero-padded, so that name order is number order (range sharding). */
export function keyName(i: number): string {
  return `k${String(i).padStart(6, "0")}`;
}

export function keyIndex(key: string): number {
  return Number(key.slice(1));
}

/** The standard deviation of counts (keys per server) as a fraction of their mean; 0 for none. */
export function spread(counts: readonly number[]): number {
  if (counts.length === 0) return 0;
  const mean = counts.reduce((a, x) => a + x, 0) / counts.length;
  return mean === 0 ? 0 : Math.sqrt(counts.reduce((a, x) => a + (x - mean) ** 2, 0) / counts.length) / mean;
}

/** A membership change, in the order it happened. */
export type Change = { op: "join" | "leave"; server: string };

/** What decides placement: the strategy, its settings, the initial servers and every change since. */
export interface PlacementSpec {
  strategy: Strategy;
  /** Virtual nodes per server (ring). */
  vnodes: number;
  /** How many keys the population has (range and table split it). */
  keys: number;
  initial: readonly string[];
  changes: readonly Change[];
}

export interface Placement {
  /** The servers, in the order the strategy numbers them. */
  readonly servers: readonly string[];
  /** The server that owns a key. */
  owner(key: string): string;
  /** The first `n` distinct servers for a key, its owner first (its replicas). */
  preference(key: string, n: number): string[];
}

/** The servers after the changes, in join order (a leaver's place closes up). */
export function membersAfter(initial: readonly string[], changes: readonly Change[]): string[] {
  const out = [...initial];
  for (const c of changes) {
    const i = out.indexOf(c.server);
    if (c.op === "join" && i < 0) out.push(c.server);
    else if (c.op === "leave" && i >= 0) out.splice(i, 1);
  }
  return out;
}

// Placement is derived data: the same spec gives the same placement, so one is kept per spec
// (a run asks for it on every request). A bounded cache, cleared whole when full.
const cache = new Map<string, Placement>();
const CACHE_MAX = 64;

export function placementOf(spec: PlacementSpec): Placement {
  const key = JSON.stringify([spec.strategy, spec.strategy === "ring" ? spec.vnodes : 0, spec.keys, spec.initial, spec.changes]);
  let p = cache.get(key);
  if (p === undefined) {
    if (cache.size >= CACHE_MAX) cache.clear();
    p = build(spec);
    cache.set(key, p);
  }
  return p;
}

function build(spec: PlacementSpec): Placement {
  const servers = membersAfter(spec.initial, spec.changes);
  switch (spec.strategy) {
    case "ring":
      return ring(servers, spec.vnodes);
    case "modulo":
      return byIndex(servers, (key) => hash32(key) % servers.length);
    case "jump":
      return byIndex(servers, (key) => jump(hash64(key), servers.length));
    case "rendezvous":
      return rendezvous(servers);
    case "range":
      return range(spec);
    case "table":
      return table(spec);
  }
}

/** The owner by an index into the servers; replicas are the next servers along. */
function byIndex(servers: readonly string[], index: (key: string) => number): Placement {
  return {
    servers,
    owner: (key) => servers[index(key)]!,
    preference(key, n) {
      const first = index(key);
      const out: string[] = [];
      for (let k = 0; k < Math.min(n, servers.length); k++) out.push(servers[(first + k) % servers.length]!);
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The ring (Karger et al. 1997; Dynamo's preference list): each server at `vnodes` points of a
// 32-bit circle; a key belongs to the first point clockwise from its hash, and its replicas to
// the next distinct servers along.

export interface RingPoint {
  at: number;
  server: string;
}

/** Every virtual node's point, in circle order (ties broken by server name, then vnode number). */
export function ringPoints(servers: readonly string[], vnodes: number): RingPoint[] {
  const points: (RingPoint & { v: number })[] = [];
  for (const server of servers) for (let v = 0; v < vnodes; v++) points.push({ at: hash32(`${server}#${v}`), server, v });
  points.sort((a, b) => a.at - b.at || (a.server < b.server ? -1 : a.server > b.server ? 1 : a.v - b.v));
  return points.map(({ at, server }) => ({ at, server }));
}

/** The index of the first point at or after `h`, wrapping to 0. */
function successor(points: readonly RingPoint[], h: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.at < h) lo = mid + 1;
    else hi = mid;
  }
  return lo === points.length ? 0 : lo;
}

function ring(servers: readonly string[], vnodes: number): Placement {
  const points = ringPoints(servers, vnodes);
  return {
    servers,
    owner: (key) => points[successor(points, hash32(key))]!.server,
    preference(key, n) {
      const out: string[] = [];
      const want = Math.min(n, servers.length);
      for (let k = successor(points, hash32(key)), seen = 0; out.length < want && seen < points.length; k = (k + 1) % points.length, seen++) {
        const s = points[k]!.server;
        if (!out.includes(s)) out.push(s);
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Jump consistent hash (Lamping & Veach 2014): buckets 0..n-1, a key moves only to a new last
// bucket when n grows. Its 64-bit linear congruential step needs BigInt.

const MASK64 = (1n << 64n) - 1n;
const LCG = 2862933555777941757n;

/** A 64-bit key hash from two 32-bit ones. */
export function hash64(key: string): bigint {
  return (BigInt(hash32(key, 0x9e3779b9)) << 32n) | BigInt(hash32(key, 0));
}

export function jump(key: bigint, buckets: number): number {
  let b = -1;
  let j = 0;
  let k = key;
  while (j < buckets) {
    b = j;
    k = (k * LCG + 1n) & MASK64;
    j = Math.floor(((b + 1) * 2 ** 31) / (Number(k >> 33n) + 1));
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Rendezvous (highest random weight; Thaler & Ravishankar 1996): every server scores every key;
// the highest score owns it, the next highest hold its replicas.

function rendezvous(servers: readonly string[]): Placement {
  const seeds = servers.map((s) => hash32(s));
  const ranked = (key: string) =>
    servers
      .map((s, i) => ({ s, score: hash32(key, seeds[i]!) }))
      .sort((a, b) => b.score - a.score || (a.s < b.s ? -1 : 1))
      .map((x) => x.s);
  return {
    servers,
    owner(key) {
      let best = "";
      let top = -1;
      for (let i = 0; i < servers.length; i++) {
        const score = hash32(key, seeds[i]!);
        if (score > top || (score === top && servers[i]! < best)) [best, top] = [servers[i]!, score];
      }
      return best;
    },
    preference: (key, n) => ranked(key).slice(0, n),
  };
}

// ---------------------------------------------------------------------------------------------
// Range sharding (Bigtable, HBase): each server holds a contiguous run of key names. The initial
// servers split the key space evenly; a joining server takes the upper half of the largest
// range; a leaver's range goes to its neighbour below (above, for the first).

interface Range {
  from: number; // first key index
  server: string;
}

function range(spec: PlacementSpec): Placement {
  const n0 = spec.initial.length;
  let ranges: Range[] = spec.initial.map((server, i) => ({ from: Math.floor((i * spec.keys) / n0), server }));
  const size = (i: number) => (i + 1 < ranges.length ? ranges[i + 1]!.from : spec.keys) - ranges[i]!.from;
  for (const c of spec.changes) {
    if (c.op === "join" && !ranges.some((r) => r.server === c.server)) {
      let big = 0;
      for (let i = 1; i < ranges.length; i++) if (size(i) > size(big)) big = i;
      const mid = ranges[big]!.from + Math.ceil(size(big) / 2);
      ranges = [...ranges.slice(0, big + 1), { from: mid, server: c.server }, ...ranges.slice(big + 1)];
    } else if (c.op === "leave" && ranges.length > 1) {
      const i = ranges.findIndex((r) => r.server === c.server);
      if (i < 0) continue;
      // The range below absorbs it; the first range's upper neighbour takes it over from 0.
      if (i === 0) ranges = [{ from: 0, server: ranges[1]!.server }, ...ranges.slice(2)];
      else ranges = ranges.filter((_, k) => k !== i);
    }
  }
  const servers = membersAfter(spec.initial, spec.changes);
  const at = (key: string) => {
    const x = keyIndex(key);
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (ranges[mid]!.from <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    servers,
    owner: (key) => ranges[at(key)]!.server,
    preference(key, n) {
      const out: string[] = [];
      for (let k = at(key); out.length < Math.min(n, ranges.length); k = (k + 1) % ranges.length) out.push(ranges[k]!.server);
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A lookup table (a directory, as in HDFS's NameNode or a shard map): any key anywhere. The
// initial assignment deals keys out in hash order; a joining server takes an equal share, one
// key at a time from whichever server has most; a leaver's keys go one at a time to whichever
// has fewest. It moves the fewest keys possible, at the price of a table as big as the keys.

function table(spec: PlacementSpec): Placement {
  const order = Array.from({ length: spec.keys }, (_, i) => i).sort((a, b) => hash32(keyName(a)) - hash32(keyName(b)) || a - b);
  const servers = [...spec.initial];
  const owner = new Int32Array(spec.keys);
  const held: number[][] = servers.map(() => []);
  order.forEach((key, k) => {
    owner[key] = k % servers.length;
    held[k % servers.length]!.push(key);
  });
  const most = () => held.reduce((best, h, i) => (h.length > held[best]!.length ? i : best), 0);
  const dead = new Set<number>();
  for (const c of spec.changes) {
    const idx = servers.indexOf(c.server);
    if (c.op === "join" && (idx < 0 || dead.has(idx))) {
      const me = idx < 0 ? servers.push(c.server) - 1 : idx;
      if (idx < 0) held.push([]);
      dead.delete(me);
      const live = servers.length - dead.size;
      const share = Math.floor(spec.keys / live);
      while (held[me]!.length < share) {
        const from = most();
        const key = held[from]!.pop()!;
        owner[key] = me;
        held[me]!.push(key);
      }
    } else if (c.op === "leave" && idx >= 0 && !dead.has(idx) && servers.length - dead.size > 1) {
      dead.add(idx);
      const keys = held[idx]!;
      held[idx] = [];
      for (const key of keys) {
        let to = -1;
        held.forEach((h, i) => {
          if (!dead.has(i) && (to < 0 || h.length < held[to]!.length)) to = i;
        });
        owner[key] = to;
        held[to]!.push(key);
      }
    }
  }
  const live = servers.filter((_, i) => !dead.has(i));
  return {
    servers: membersAfter(spec.initial, spec.changes),
    owner: (key) => servers[owner[keyIndex(key)]!]!,
    preference(key, n) {
      const first = live.indexOf(servers[owner[keyIndex(key)]!]!);
      const out: string[] = [];
      for (let k = 0; k < Math.min(n, live.length); k++) out.push(live[(first + k) % live.length]!);
      return out;
    },
  };
}
