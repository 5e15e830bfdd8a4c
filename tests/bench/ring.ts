// The ring lab's published figures, reproduced on our placement code (src/labs/ring/placement.ts):
//
// (1) Load spread against virtual nodes — Damian Gryski, "Consistent Hashing: Algorithmic
//     Tradeoffs" (2018): with 100 vnodes a server the standard deviation of load is about 10 %
//     of the mean and the 99 % interval of a server's load 0.76–1.28 of the mean; with 1,000,
//     about 3.2 % and 0.92–1.09. Ten servers, 100,000 keys, many server-name sets ("seeds").
// (2) Keys moved by a join, each strategy against the ideal 1/(N+1); and jump consistent hash
//     from 10 to 12 buckets moving 1/6 of the keys (Lamping & Veach 2014).
//
// Part of `npm run bench`; reports, never fails. RING_SEEDS overrides the number of name sets.

import { cpus } from "node:os";
import { hash64, jump, keyName, placementOf, STRATEGIES, type Strategy } from "../../src/labs/ring/placement.ts";

const SEEDS = Number(process.env.RING_SEEDS ?? 20);
const SERVERS = 10;
const KEYS = 100_000;
const keys = Array.from({ length: KEYS }, (_, i) => keyName(i));
const names = (seed: number) => Array.from({ length: SERVERS }, (_, i) => `server-${seed}-${i + 1}`);
const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)} %`;

function loads(strategy: Strategy, initial: string[], vnodes: number): number[] {
  const p = placementOf({ strategy, vnodes, keys: KEYS, initial, changes: [] });
  const count = new Map(initial.map((s) => [s, 0]));
  for (const k of keys) {
    const o = p.owner(k);
    count.set(o, count.get(o)! + 1);
  }
  return [...count.values()];
}

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo]! + (sorted[Math.ceil(i)]! - sorted[lo]!) * (i - lo);
}

console.log(`ring bench — ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`);
console.log(`\n(1) load spread, ring, ${SERVERS} servers, ${KEYS.toLocaleString("en-US")} keys, ${SEEDS} server-name sets`);
console.log("| vnodes | std dev of load (% of mean) | 99 % interval of load / mean | Gryski 2018 |");
console.log("| --- | --- | --- | --- |");
const GRYSKI: Record<number, string> = { 100: "≈ 10 %, 0.76–1.28", 1000: "≈ 3.2 %, 0.92–1.09" };
for (const vnodes of [1, 10, 100, 150, 1000]) {
  const devs: number[] = [];
  const ratios: number[] = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    const xs = loads("ring", names(seed), vnodes);
    const mean = KEYS / SERVERS;
    devs.push(Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length) / mean);
    for (const x of xs) ratios.push(x / mean);
  }
  ratios.sort((a, b) => a - b);
  const dev = Math.sqrt(devs.reduce((a, d) => a + d * d, 0) / devs.length);
  console.log(`| ${vnodes} | ${pct(dev)} | ${quantile(ratios, 0.005).toFixed(2)}–${quantile(ratios, 0.995).toFixed(2)} | ${GRYSKI[vnodes] ?? "—"} |`);
}

console.log(`\n(2) keys moved when an 11th server joins 10 (ideal 1/11 = ${pct(1 / 11)}), median of ${Math.min(SEEDS, 5)} name sets; and load spread at 10`);
console.log("| strategy | keys moved | std dev of load |");
console.log("| --- | --- | --- |");
for (const strategy of STRATEGIES) {
  const fractions: number[] = [];
  const devs: number[] = [];
  for (let seed = 0; seed < Math.min(SEEDS, 5); seed++) {
    const initial = names(seed);
    const spec = { strategy, vnodes: 150, keys: KEYS, initial };
    const before = placementOf({ ...spec, changes: [] });
    const after = placementOf({ ...spec, changes: [{ op: "join" as const, server: `server-${seed}-new` }] });
    let moved = 0;
    for (const k of keys) if (before.owner(k) !== after.owner(k)) moved++;
    fractions.push(moved / KEYS);
    const xs = loads(strategy, initial, 150);
    const mean = KEYS / SERVERS;
    devs.push(Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length) / mean);
  }
  fractions.sort((a, b) => a - b);
  devs.sort((a, b) => a - b);
  const label = strategy === "ring" ? "ring (150 vnodes)" : strategy;
  console.log(`| ${label} | ${pct(fractions[Math.floor(fractions.length / 2)]!)} | ${pct(devs[Math.floor(devs.length / 2)]!)} |`);
}

const hashes = keys.map(hash64);
const jumped = hashes.filter((h) => jump(h, 10) !== jump(h, 12)).length / KEYS;
console.log(`\njump consistent hash, 10 → 12 buckets: ${pct(jumped, 2)} of keys moved (Lamping & Veach: 1/6 = ${pct(1 / 6, 2)})`);
