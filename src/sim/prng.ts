// Seeded randomness for the simulation.
//
// Why it is ours: the trace must be identical on every machine, in every browser and in
// Node, today and in five years. The platform's random source is unseeded, and a library's generator may
// change its algorithm between versions; a shared link must not. So the generator is fixed
// here, in a few lines, and pinned by exact-value tests (prng.test.ts).
//
// Algorithm: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state,
// passes PractRand), seeded through splitmix32.
//
// Streams: one seed drives a run, and every consumer gets its own child stream derived from
// (seed, stream name): "node:n1", "node:n2", "network". Adding a node adds a stream and
// leaves the draws of every other stream untouched, so a learner who adds a sixth node does
// not reshuffle the first five.
//
// The state is a plain array of four uint32, so it snapshots and crosses to a worker as data.

import type { Rng } from "./types.ts";

export type RngState = [number, number, number, number];

/** FNV-1a over the UTF-16 code units of a stream name; only used to derive stream seeds. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** The initial state of stream `name` under `seed`. */
export function streamState(seed: number, name: string): RngState {
  const sm = { s: (seed >>> 0) ^ fnv1a(name) };
  const st: RngState = [splitmix32(sm), splitmix32(sm), splitmix32(sm), splitmix32(sm)];
  // sfc32 wants a warm-up so that nearby seeds decorrelate.
  for (let i = 0; i < 12; i++) nextUint32(st);
  return st;
}

/** Advance `st` in place and return the next uint32. */
export function nextUint32(st: RngState): number {
  const a = st[0];
  const b = st[1];
  const c = st[2];
  const d = st[3];
  const t = (((a + b) >>> 0) + d) >>> 0;
  st[3] = (d + 1) >>> 0;
  st[0] = b ^ (b >>> 9);
  st[1] = (c + (c << 3)) >>> 0;
  const r = ((c << 21) | (c >>> 11)) >>> 0;
  st[2] = (r + t) >>> 0;
  return t;
}

/** A float in [0, 1) with 32 bits of randomness. */
export function nextFloat(st: RngState): number {
  return nextUint32(st) / 4294967296;
}

/** An `Rng` that draws from (and advances) the given state array. */
export function rngOf(st: RngState): Rng {
  return {
    next: () => nextFloat(st),
    int: (lo, hi) => lo + Math.floor(nextFloat(st) * (hi - lo + 1)),
    range: (lo, hi) => lo + nextFloat(st) * (hi - lo),
  };
}
