// The Raft paper's Figure 16 experiment (§9.3), on our Raft lab: five nodes, broadcast time
// about 15 ms, the leader crashed at a uniformly random point of its heartbeat interval (half
// the minimum election timeout), 1,000 seeds a line; how long until a new leader is elected.
// Prints the distribution beside the paper's figures and writes docs/fig16.svg, the
// cumulative distribution like the paper's. Part of `npm run bench`; reports, never fails.

import * as v from "valibot";
import { raftParams } from "../../src/labs/raft/params.ts";
import { writeFileSync } from "node:fs";
import { raft } from "../../src/labs/raft/protocol.ts";
import { scenario } from "../../src/scenario/build.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { nextFloat, streamState } from "../../src/sim/prng.ts";
import { Simulation } from "../../src/sim/simulation.ts";

const TRIALS = Number(process.env.FIG16_TRIALS ?? 1000);
/** One-way delay 6–9 ms: an RPC and its reply to every peer take about 15 ms. */
const LATENCY: [number, number] = [6, 9];
const WARMUP_MS = 3_000;

interface Line {
  range: [number, number];
  paper?: string;
}

const LINES: Line[] = [
  { range: [150, 150] },
  { range: [150, 151] },
  { range: [150, 155] },
  { range: [150, 175] },
  { range: [150, 200], paper: "worst case 513 ms" },
  { range: [150, 300] },
  { range: [12, 24], paper: "mean 35 ms, longest trial 152 ms" },
  { range: [25, 50] },
  { range: [50, 100] },
  { range: [100, 200] },
];

function base(seed: number, range: [number, number]): Scenario {
  return scenario({
    lab: "raft",
    seed,
    until: WARMUP_MS + 20_000,
    nodes: 5,
    network: { latency: LATENCY },
    params: { electionTimeout: range, heartbeat: range[0] / 2 },
  });
}

function sim(s: Scenario): Simulation {
  // Figure 16's timeouts may be below the lab's own slider range; the schema allows 1 ms on.
  return new Simulation(s, raft as never, v.parse(raftParams, s.params));
}

/** ms from the leader's crash to the next leader, for one seed; null if none was elected in 20 s. */
function trial(seed: number, range: [number, number]): number | null {
  const s = base(seed, range);
  const warm = sim(s);
  warm.runUntil(WARMUP_MS);
  const views = warm.views();
  const leader = views.findIndex((v) => v.role === "leader");
  if (leader < 0) return null;
  const id = s.nodes[leader]!.id;
  const beats = warm.engine.trace.events.filter((e) => e.kind === "timer" && e.node === id && e.name === "heartbeat");
  const lastBeat = beats.at(-1)?.t ?? WARMUP_MS;
  const heartbeat = range[0] / 2;
  // The crash falls uniformly within the leader's heartbeat interval (a stream of its own).
  const crashAt = lastBeat + nextFloat(streamState(seed, "fig16")) * heartbeat;
  const run = sim({ ...s, timeline: [{ t: crashAt, do: "crash", node: id }] });
  run.runUntil(s.until);
  const next = run.engine.trace.events.find((e) => e.kind === "role" && e.role === "leader" && e.t > crashAt);
  return next === undefined ? null : next.t - crashAt;
}

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const results: { line: Line; times: number[]; failed: number }[] = [];
const started = performance.now();
console.log(`Figure 16 (§9.3): 5 nodes, one-way delay ${LATENCY[0]}–${LATENCY[1]} ms, heartbeat = half the minimum timeout, ${TRIALS} seeds a line`);
console.log("timeouts (ms)   mean  median   p90    p99    max   (ms to elect a new leader)   paper");
for (const line of LINES) {
  const times: number[] = [];
  let failed = 0;
  for (let seed = 1; seed <= TRIALS; seed++) {
    const t = trial(seed, line.range);
    if (t === null) failed++;
    else times.push(t);
  }
  times.sort((a, b) => a - b);
  results.push({ line, times, failed });
  const mean = times.length === 0 ? NaN : times.reduce((a, b) => a + b, 0) / times.length;
  const f = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "—" : x.toFixed(0)).padStart(6);
  console.log(
    `${`${line.range[0]}–${line.range[1]}`.padEnd(14)}${f(mean)}${f(quantile(times, 0.5))}${f(quantile(times, 0.9))}${f(quantile(times, 0.99))}${f(times.at(-1))}` +
      `${failed > 0 ? `   (${failed} of ${TRIALS} without a leader)` : ""}${line.paper ? `   ${line.paper}` : ""}`,
  );
}
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);

// The cumulative distribution, drawn like the paper's: the 150 ms family on a log time axis
// (its slow lines run to seconds), the scaled ranges on a linear one.
interface Axis {
  at(ms: number): number; // 0..1 along the axis
  ticks: number[];
  max: number;
}
const linear = (max: number): Axis => ({ at: (ms) => ms / max, ticks: [0, max / 4, max / 2, (3 * max) / 4, max], max });
const log = (min: number, max: number): Axis => ({
  at: (ms) => (Math.log10(Math.max(ms, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)),
  ticks: [100, 1_000, 10_000].filter((t) => t >= min && t <= max),
  max,
});

function panel(lines: typeof results, x0: number, y0: number, w: number, h: number, axis: Axis, title: string, legendUp: boolean): string {
  const colours = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9"];
  const sx = (ms: number) => x0 + w * axis.at(ms);
  const sy = (p: number) => y0 + h - h * p;
  let out = `<text x="${x0}" y="${y0 - 8}" font-size="13" font-weight="600">${title}</text>`;
  out += `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#999"/>`;
  for (const ms of axis.ticks) out += `<text x="${sx(ms)}" y="${y0 + h + 16}" font-size="11" text-anchor="middle">${ms.toFixed(0)}</text>`;
  for (let k = 0; k <= 4; k++) out += `<text x="${x0 - 6}" y="${sy(k / 4) + 4}" font-size="11" text-anchor="end">${k * 25}%</text>`;
  out += `<text x="${x0 + w / 2}" y="${y0 + h + 32}" font-size="11" text-anchor="middle">time without leader (ms)</text>`;
  let legend = 0;
  lines.forEach((r, i) => {
    const c = colours[i % colours.length]!;
    const total = r.times.length + r.failed;
    // Points past the axis are left out (not piled on its edge); the line runs on flat to it.
    const inside = r.times.filter((t) => t <= axis.max);
    const pts = inside.map((t, j) => `${sx(t).toFixed(1)},${sy((j + 1) / total).toFixed(1)}`);
    const reached = inside.length / total;
    if (inside.length > 0) {
      out += `<polyline fill="none" stroke="${c}" stroke-width="1.6" points="${sx(inside[0]!)},${sy(0)} ${pts.join(" ")} ${sx(axis.max)},${sy(reached)}"/>`;
    }
    const label = `${r.line.range[0]}–${r.line.range[1]} ms${inside.length === 0 ? " (no leader)" : ""}`;
    out += legendUp
      ? `<text x="${x0 + 8}" y="${y0 + 18 + 14 * legend++}" font-size="11" fill="${c}">${label}</text>`
      : `<text x="${x0 + w - 8}" y="${y0 + h - 10 - 14 * (lines.length - 1 - legend++)}" font-size="11" text-anchor="end" fill="${c}">${label}</text>`;
  });
  return out;
}

const top = results.filter((r) => r.line.range[0] === 150);
const bottom = results.filter((r) => r.line.range[0] !== 150 || r.line.range[1] === 300);
const svg =
  `<svg xmlns="http://www.w3.org/2000/svg" width="780" height="330" font-family="sans-serif" style="background:#fff">` +
  panel(top, 50, 30, 300, 240, log(100, 20_000), "150 ms minimum, varying randomness (log time)", false) +
  panel(bottom, 450, 30, 300, 240, linear(400), "scaled timeouts", false) +
  `</svg>\n`;
writeFileSync(new URL("../../docs/fig16.svg", import.meta.url), svg);
console.log("wrote docs/fig16.svg");
