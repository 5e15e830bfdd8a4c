// Marc Brooker's "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015), reproduced on
// the resilience lab's backoff formulas (src/labs/resilience/backoff.ts).
//
// The experiment, as Brooker's published simulator runs it (aws-samples/aws-arch-backoff-
// simulator): one row with a version number on a remote store, and N clients that all start at
// time 0 and each update the row once under optimistic concurrency. A client reads the version
// (a request and a reply), then writes conditionally on it (a request and a reply); the write
// succeeds only if nobody has written since the read. On failure the client sleeps
// backoffDelay(...) and starts again from the read. Every message takes |Normal(10 ms, 2 ms)|;
// base 5 ms, cap 2,000 ms; N = 10, 20, …, 190, 100 runs each. A call is a conditional write
// (what the simulator counts: the work done by the contended store; reads are not counted);
// the time to complete is when the last client receives its write's success, as in the
// simulator. Prints the means beside the blog's four findings at N = 100 and writes
// docs/backoff-calls.svg and docs/backoff-time.svg, like the blog's figures.
//
// A small discrete-event simulation of its own (not the engine): every client has exactly one
// message in flight until it succeeds, so the event queue is a binary heap of clients keyed by
// when their message arrives. Seeded from our PRNG (src/sim/prng.ts), so every run is the same
// on every machine: run r at N clients draws network delays from stream "network:N:r" and
// sleeps from "backoff:N:r" of BACKOFF_SEED, the same streams for every strategy.
//
// Part of `npm run bench`; reports, never fails. BACKOFF_RUNS and BACKOFF_SEED override the
// runs per point (100) and the seed (1).

import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { scaleLinear, scaleLog } from "d3-scale";
import { line } from "d3-shape";
import { BACKOFFS, backoffDelay, type Backoff } from "../../src/labs/resilience/backoff.ts";
import { nextFloat, streamState, type RngState } from "../../src/sim/prng.ts";

const RUNS = Number(process.env.BACKOFF_RUNS ?? 100);
const SEED = Number(process.env.BACKOFF_SEED ?? 1);
const BASE = 5;
const CAP = 2_000;
const DELAY_MEAN = 10;
const DELAY_SD = 2;
const CLIENTS = Array.from({ length: 19 }, (_, i) => 10 * (i + 1));

/** |Normal(mean, sd)| by Box–Muller from one stream; each pair of uniforms gives two delays. */
function network(st: RngState): () => number {
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = NaN;
      return Math.abs(DELAY_MEAN + DELAY_SD * z);
    }
    const r = Math.sqrt(-2 * Math.log(1 - nextFloat(st))); // 1 − u is in (0, 1]: no log(0)
    const a = 2 * Math.PI * nextFloat(st);
    spare = r * Math.sin(a);
    return Math.abs(DELAY_MEAN + DELAY_SD * r * Math.cos(a));
  };
}

/** What a client's one message in flight is. */
const READ = 0; // the read request, arriving at the store
const READ_REPLY = 1; // the version, arriving back at the client
const WRITE = 2; // the conditional write, arriving at the store
const WRITE_REPLY = 3; // success or failure, arriving back at the client

interface Outcome {
  calls: number;
  ms: number;
}

/** One run: N clients each updating the row once; the writes made and when the last one finished. */
function run(n: number, kind: Backoff, r: number): Outcome {
  const delay = network(streamState(SEED, `network:${n}:${r}`));
  const jitterState = streamState(SEED, `backoff:${n}:${r}`);
  const jitter = { next: () => nextFloat(jitterState) };
  const at = new Float64Array(n); // when client c's message arrives
  const phase = new Uint8Array(n);
  const seen = new Int32Array(n); // the version client c read
  const won = new Uint8Array(n); // its write's reply: 1 = success
  const attempt = new Int32Array(n); // failed writes so far
  const slept = new Float64Array(n).fill(BASE); // its previous sleep (decorrelated), base before the first
  // The heap: client ids ordered by (arrival time, id), the id breaking ties the same way every run.
  const heap = new Int32Array(n);
  let size = n;
  const earlier = (a: number, b: number) => at[a]! < at[b]! || (at[a] === at[b] && a < b);
  const siftDown = (i: number) => {
    const c = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const rr = l + 1;
      const m = rr < size && earlier(heap[rr]!, heap[l]!) ? rr : l;
      if (!earlier(heap[m]!, c)) break;
      heap[i] = heap[m]!;
      i = m;
    }
    heap[i] = c;
  };
  for (let c = 0; c < n; c++) {
    at[c] = delay();
    heap[c] = c;
  }
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(i);

  let version = 0;
  let calls = 0;
  let now = 0;
  while (size > 0) {
    const c = heap[0]!;
    now = at[c]!;
    switch (phase[c]) {
      case READ:
        seen[c] = version;
        phase[c] = READ_REPLY;
        at[c] = now + delay();
        break;
      case READ_REPLY:
        phase[c] = WRITE;
        at[c] = now + delay();
        break;
      case WRITE:
        calls++;
        won[c] = seen[c] === version ? 1 : 0;
        if (won[c]) version++;
        phase[c] = WRITE_REPLY;
        at[c] = now + delay();
        break;
      default:
        if (won[c]) {
          // Done: the last client in the heap takes its place.
          heap[0] = heap[--size]!;
          if (size > 0) siftDown(0);
          continue;
        }
        attempt[c] = attempt[c]! + 1;
        slept[c] = backoffDelay(kind, attempt[c]!, slept[c]!, BASE, CAP, jitter);
        phase[c] = READ;
        at[c] = now + slept[c]! + delay();
    }
    siftDown(0);
  }
  // Every client wrote exactly once: the row's version counts them.
  if (version !== n) throw new Error(`${kind}, ${n} clients, run ${r}: the row ended at version ${version}, not ${n}`);
  return { calls, ms: now };
}

const LABEL: Record<Backoff, string> = {
  none: "no backoff",
  exponential: "exponential",
  "full-jitter": "full jitter",
  "equal-jitter": "equal jitter",
  decorrelated: "decorrelated",
};

console.log(`backoff bench — ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`);
console.log(
  `Brooker 2015: N clients update one row once under OCC, every message |Normal(${DELAY_MEAN}, ${DELAY_SD})| ms, base ${BASE} ms, cap ${CAP.toLocaleString("en-US")} ms, ${RUNS} runs a point, seed ${SEED}`,
);
const started = performance.now();
const mean: Record<Backoff, Outcome[]> = { none: [], exponential: [], "full-jitter": [], "equal-jitter": [], decorrelated: [] };
for (const kind of BACKOFFS) {
  for (const n of CLIENTS) {
    let calls = 0;
    let ms = 0;
    for (let r = 0; r < RUNS; r++) {
      const o = run(n, kind, r);
      calls += o.calls;
      ms += o.ms;
    }
    mean[kind].push({ calls: calls / RUNS, ms: ms / RUNS });
  }
}
const seconds = (performance.now() - started) / 1000;

const num = (x: number) => Math.round(x).toLocaleString("en-US");
const at = (kind: Backoff, n: number) => mean[kind][CLIENTS.indexOf(n)]!;
console.log(`\nmean calls (conditional writes) and mean time to complete (ms), ${RUNS} runs a point`);
console.log(`| N | ${BACKOFFS.map((k) => `${LABEL[k]}: calls | ms`).join(" | ")} |`);
console.log(`| --- | ${BACKOFFS.map(() => "--- | ---").join(" | ")} |`);
for (const n of [10, 50, 100, 150, 190]) {
  console.log(`| ${n} | ${BACKOFFS.map((k) => `${num(at(k, n).calls)} | ${num(at(k, n).ms)}`).join(" | ")} |`);
}

// The blog's findings at 100 contending clients. "Slightly" and "much" are the blog's words; we
// read "slightly" as under 25 % and "much" as over 25 %, and print the ratios to judge by.
const N = 100;
const [, expo, full, equal, decorr] = BACKOFFS.map((k) => at(k, N)) as [Outcome, Outcome, Outcome, Outcome, Outcome];
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)} ×`;
const jittered = [full, equal, decorr];
const findings: [string, boolean, string][] = [
  [
    "full jitter cuts the calls by more than half against exponential without jitter",
    full.calls < expo.calls / 2,
    `${num(full.calls)} against ${num(expo.calls)} calls (${ratio(full.calls, expo.calls)})`,
  ],
  [
    "no-jitter exponential is the clear loser: more calls and more time than every jittered kind",
    jittered.every((j) => expo.calls > j.calls && expo.ms > j.ms),
    `${num(expo.calls)} calls, ${num(expo.ms)} ms; jittered ${jittered.map((j) => num(j.calls)).join(", ")} calls, ${jittered.map((j) => num(j.ms)).join(", ")} ms`,
  ],
  [
    "equal jitter does slightly more work than full jitter and takes much longer",
    equal.calls > full.calls && equal.calls < 1.25 * full.calls && equal.ms > 1.25 * full.ms,
    `${num(equal.calls)} against ${num(full.calls)} calls (${ratio(equal.calls, full.calls)}), ${num(equal.ms)} against ${num(full.ms)} ms (${ratio(equal.ms, full.ms)})`,
  ],
  [
    "full jitter does less work than decorrelated but takes slightly longer",
    full.calls < decorr.calls && full.ms > decorr.ms && full.ms < 1.25 * decorr.ms,
    `${num(full.calls)} against ${num(decorr.calls)} calls (${ratio(full.calls, decorr.calls)}), ${num(full.ms)} against ${num(decorr.ms)} ms (${ratio(full.ms, decorr.ms)})`,
  ],
];
console.log(`\nthe blog's findings at N = ${N} ("slightly" read as under 25 %, "much" as over 25 %)`);
for (const [claim, holds, numbers] of findings) console.log(`${holds ? "✓" : "✗"} ${claim}: ${numbers}`);
console.log(`(${seconds.toFixed(1)} s for ${BACKOFFS.length} strategies × ${CLIENTS.length} client counts × ${RUNS} runs)`);

// docs/backoff-calls.svg and docs/backoff-time.svg: calls and time to complete against N, one
// line a strategy, like the blog's figures, in the look of docs/ring-spread.svg (d3-scale for
// the axes and their ticks, d3-shape for the lines). Time goes on a log axis: exponential
// backoff without jitter takes ten times as long as the rest, which would flatten them on a
// linear one.
const COLOUR: Record<Backoff, string> = {
  none: "#cc79a7",
  exponential: "#d55e00",
  "full-jitter": "#0072b2",
  "equal-jitter": "#e69f00",
  decorrelated: "#009e73",
};

/** A line chart of `value` against N, its legend top left or, where the lines run, bottom right. */
function chart(title: string, value: (o: Outcome) => number, log: boolean, legend: "top-left" | "bottom-right"): string {
  const [x0, y0, w, h] = [60, 30, 560, 260];
  const x = scaleLinear([CLIENTS[0]!, CLIENTS.at(-1)!], [x0, x0 + w]);
  const top = Math.max(...BACKOFFS.flatMap((k) => mean[k].map(value)));
  const y = log ? scaleLog([100, 1.5 * top], [y0 + h, y0]) : scaleLinear([0, top], [y0 + h, y0]).nice();
  const yTicks = log ? y.ticks().filter((t) => Number.isInteger(Math.log10(t))) : y.ticks(6);
  const path = line<Outcome>()
    .x((_, i) => x(CLIENTS[i]!))
    .y((o) => y(value(o)))
    .digits(1);
  let out = `<svg xmlns="http://www.w3.org/2000/svg" width="680" height="350" font-family="sans-serif" style="background:#fff">`;
  out += `<text x="${x0}" y="20" font-size="13" font-weight="600">${title}</text>`;
  out += `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#999"/>`;
  for (const n of x.ticks(10)) out += `<text x="${x(n)}" y="${y0 + h + 16}" font-size="11" text-anchor="middle">${n}</text>`;
  for (const t of yTicks) {
    out += `<text x="${x0 - 6}" y="${y(t) + 4}" font-size="11" text-anchor="end">${t.toLocaleString("en-US")}</text><line x1="${x0}" x2="${x0 + w}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`;
  }
  out += `<text x="${x0 + w / 2}" y="${y0 + h + 34}" font-size="11" text-anchor="middle">contending clients (N)</text>`;
  BACKOFFS.forEach((k, i) => {
    // Equal jitter dashed: its calls lie on full jitter's line.
    out += `<path d="${path(mean[k])}" fill="none" stroke="${COLOUR[k]}" stroke-width="1.6"${k === "equal-jitter" ? ` stroke-dasharray="6 4"` : ""}/>`;
    out +=
      legend === "top-left"
        ? `<text x="${x0 + 8}" y="${y0 + 18 + 14 * i}" font-size="11" fill="${COLOUR[k]}">${LABEL[k]}</text>`
        : `<text x="${x0 + w - 8}" y="${y0 + h - 10 - 14 * (BACKOFFS.length - 1 - i)}" font-size="11" text-anchor="end" fill="${COLOUR[k]}">${LABEL[k]}</text>`;
  });
  return `${out}</svg>\n`;
}

writeFileSync(new URL("../../docs/backoff-calls.svg", import.meta.url), chart(`Calls (conditional writes) against contending clients, mean of ${RUNS} runs`, (o) => o.calls, false, "top-left"));
writeFileSync(new URL("../../docs/backoff-time.svg", import.meta.url), chart(`Time to complete (ms, log scale) against contending clients, mean of ${RUNS} runs`, (o) => o.ms, true, "bottom-right"));
console.log("wrote docs/backoff-calls.svg and docs/backoff-time.svg");
