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

import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { hash64, jump, keyName, placementOf, spread, STRATEGIES, type Strategy } from "../../src/labs/ring/placement.ts";

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
const plotted: { vnodes: number; dev: number; lo: number; hi: number }[] = [];
for (const vnodes of [1, 3, 10, 30, 100, 150, 300, 1000]) {
  const devs: number[] = [];
  const ratios: number[] = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    const xs = loads("ring", names(seed), vnodes);
    devs.push(spread(xs));
    for (const x of xs) ratios.push(x / (KEYS / SERVERS));
  }
  ratios.sort((a, b) => a - b);
  const dev = Math.sqrt(devs.reduce((a, d) => a + d * d, 0) / devs.length);
  plotted.push({ vnodes, dev, lo: quantile(ratios, 0.005), hi: quantile(ratios, 0.995) });
  if ([1, 10, 100, 150, 1000].includes(vnodes)) {
    console.log(`| ${vnodes} | ${pct(dev)} | ${quantile(ratios, 0.005).toFixed(2)}–${quantile(ratios, 0.995).toFixed(2)} | ${GRYSKI[vnodes] ?? "—"} |`);
  }
}

// docs/ring-spread.svg: our 99 % band and standard deviation against virtual nodes (log axis),
// Gryski's two published points beside them.
{
  const [x0, y0, w, h] = [60, 30, 560, 260];
  const sx = (v: number) => x0 + (w * Math.log10(v)) / 3;
  const sy = (r: number) => y0 + h - (h * Math.min(r, 2.2)) / 2.2;
  let out = `<svg xmlns="http://www.w3.org/2000/svg" width="680" height="350" font-family="sans-serif" style="background:#fff">`;
  out += `<text x="${x0}" y="20" font-size="13" font-weight="600">Load per server / mean, ${SERVERS} servers, ${KEYS.toLocaleString("en-US")} keys, ${SEEDS} name sets</text>`;
  out += `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#999"/>`;
  for (const v of [1, 10, 100, 1000]) out += `<text x="${sx(v)}" y="${y0 + h + 16}" font-size="11" text-anchor="middle">${v}</text>`;
  for (const r of [0, 0.5, 1, 1.5, 2]) out += `<text x="${x0 - 6}" y="${sy(r) + 4}" font-size="11" text-anchor="end">${r.toFixed(1)}</text><line x1="${x0}" x2="${x0 + w}" y1="${sy(r)}" y2="${sy(r)}" stroke="#eee"/>`;
  out += `<text x="${x0 + w / 2}" y="${y0 + h + 34}" font-size="11" text-anchor="middle">virtual nodes a server</text>`;
  const band = [...plotted.map((p) => `${sx(p.vnodes).toFixed(1)},${sy(p.hi).toFixed(1)}`), ...[...plotted].reverse().map((p) => `${sx(p.vnodes).toFixed(1)},${sy(p.lo).toFixed(1)}`)];
  out += `<polygon points="${band.join(" ")}" fill="#0072b2" fill-opacity="0.18" stroke="none"/>`;
  out += `<polyline fill="none" stroke="#0072b2" stroke-width="1.6" points="${plotted.map((p) => `${sx(p.vnodes).toFixed(1)},${sy(1 + p.dev).toFixed(1)}`).join(" ")}"/>`;
  out += `<polyline fill="none" stroke="#0072b2" stroke-width="1.6" points="${plotted.map((p) => `${sx(p.vnodes).toFixed(1)},${sy(1 - p.dev).toFixed(1)}`).join(" ")}"/>`;
  for (const [v, lo, hi] of [[100, 0.76, 1.28], [1000, 0.92, 1.09]] as const) {
    out += `<line x1="${sx(v)}" x2="${sx(v)}" y1="${sy(lo)}" y2="${sy(hi)}" stroke="#d55e00" stroke-width="3"/>`;
  }
  out += `<text x="${x0 + w - 8}" y="${y0 + 18}" font-size="11" text-anchor="end" fill="#0072b2">ours: 99 % interval (band), mean ± one standard deviation (lines)</text>`;
  out += `<text x="${x0 + w - 8}" y="${y0 + 34}" font-size="11" text-anchor="end" fill="#d55e00">Gryski 2018: 99 % interval at 100 and 1,000</text>`;
  out += `</svg>\n`;
  writeFileSync(new URL("../../docs/ring-spread.svg", import.meta.url), out);
  console.log("wrote docs/ring-spread.svg");
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
    devs.push(spread(loads(strategy, initial, 150)));
  }
  fractions.sort((a, b) => a - b);
  devs.sort((a, b) => a - b);
  const label = strategy === "ring" ? "ring (150 vnodes)" : strategy;
  console.log(`| ${label} | ${pct(fractions[Math.floor(fractions.length / 2)]!)} | ${pct(devs[Math.floor(devs.length / 2)]!)} |`);
}

const hashes = keys.map(hash64);
const jumped = hashes.filter((h) => jump(h, 10) !== jump(h, 12)).length / KEYS;
console.log(`\njump consistent hash, 10 → 12 buckets: ${pct(jumped, 2)} of keys moved (Lamping & Veach: 1/6 = ${pct(1 / 6, 2)})`);
