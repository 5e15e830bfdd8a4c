// `npm run bench:page`: the playground's figures in this machine's headless Chromium, for the
// README. Reports; never fails a build. Needs a build (`npm run build`) and /usr/bin/chromium.
//
//  - frame rate and main-thread busy fraction with 5 nodes and about 200 messages in flight,
//    and in the Raft lab as it opens;
//  - frame rate with about 5,000 messages in flight (gossip every 20 ms from each of 10 nodes
//    over 9–11 s links: 10 × 10,000 / 20 = 5,000), counted as the network view paints them,
//    beside how many of those animation frames brought a new picture (the page skips a frame
//    while the last one's step is still being computed);
//  - the Raft lab's main-thread busy fraction beside RaftScope's (the Raft paper authors'
//    visualization), both pages opened and left to play in the same browser at 1280×720,
//    measured the same way: CDP Performance.getMetrics TaskDuration over wall time in 10 s
//    windows, alternating pages, three rounds, medians; with the script, style and layout
//    shares, so what is left is paint, compositing and the rest;
//  - how long a seek takes to show its time in a 60-second run;
//  - the gzip size of the JavaScript a first load fetches;
//  - the page's heap after one minute and after one hour of virtual time at fast-forward.
//
// RaftScope is not part of this repository. To measure it, fetch it and its two submodules at
// the commits it pins into a directory outside the repository and point RAFTSCOPE_DIR there:
//
//   D=/tmp/raftscope; mkdir -p $D && cd $D
//   git clone https://github.com/ongardie/raftscope . && git checkout 5b0c10a
//   git submodule update --init      # bootstrap-slider 902e0bb, bootstrap-contextmenu cd8dd35
//   RAFTSCOPE_DIR=$D npm run bench:page
//
// Without it the comparison prints "not measured: set RAFTSCOPE_DIR".

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { CDPSession, Page } from "playwright-core";
import { labs } from "../../src/labs/index.ts";
import { scenario } from "../../src/scenario/build.ts";
import { encodeScenario } from "../../src/scenario/codec.ts";
import type {} from "../../src/ui/api.ts";
import type { ProbedCanvas } from "../../src/ui/network/canvas.ts";
import { DIST, launchBrowser, startSite } from "../browser/harness.ts";

const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (x: number) => `${fmt(100 * x, 1)} %`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const lab = labs.find((l) => l.id === "gossip") ?? labs[0]!;

// Gossip every 5 ms over 150–250 ms links: five nodes keep about 200 messages in the air.
const busy = scenario({ lab: lab.id, seed: 5, until: 60_000, nodes: 5, network: { latency: [150, 250] }, params: { interval: 5 } });
// About 5,000 in the air: each node sends one message every `interval` ms, each flies 9–11 s.
const FLOOD = { nodes: 10, interval: 20, latency: [9_000, 11_000] as [number, number] };
const floodExpected = (FLOOD.nodes * (FLOOD.latency[0] + FLOOD.latency[1])) / 2 / FLOOD.interval;
const flood = scenario({ lab: lab.id, seed: 5, until: 60_000, nodes: FLOOD.nodes, network: { latency: FLOOD.latency }, params: { interval: FLOOD.interval } });
const minute = { ...lab.scenarios[0]!, until: 60_000 };
const hour = { ...lab.scenarios[0]!, until: 3_600_000 };

function jsSizes(): { file: string; raw: number; gzip: number }[] {
  const dir = join(DIST, "assets");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .map((f) => {
      const buf = readFileSync(join(dir, f));
      return { file: f, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    });
}

interface Window {
  fps: number;
  seconds: number;
  /** Shares of wall time the main thread spent: in tasks, in script, restyling, laying out. */
  busy: number;
  script: number;
  style: number;
  layout: number;
  /** Messages the network view painted, on average over the window (null on a page without it). */
  messages: number | null;
  /** Frames the network view painted a second: a new picture, not just an animation frame (null without it). */
  painted: number | null;
}

const METRICS = ["TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration"] as const;

async function metrics(cdp: CDPSession): Promise<Record<(typeof METRICS)[number], number>> {
  const all = (await cdp.send("Performance.getMetrics")).metrics;
  return Object.fromEntries(METRICS.map((n) => [n, all.find((m) => m.name === n)?.value ?? 0])) as Record<(typeof METRICS)[number], number>;
}

/** Count animation frames for `ms` of wall time, with the CDP metrics around it. */
async function measure(page: Page, cdp: CDPSession, ms: number): Promise<Window> {
  const a = await metrics(cdp);
  const r = await page.evaluate(async (ms) => {
    const probe = () => (document.querySelector("canvas.netview-messages") as ProbedCanvas | null)?.netviewProbe;
    let frames = 0;
    let painted = 0;
    let samples = 0;
    const paints0 = probe()?.paints;
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const step = () => {
        frames++;
        const p = probe();
        if (p !== undefined && frames % 10 === 0) {
          painted += p.messages;
          samples++;
        }
        if (performance.now() - start < ms) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    const seconds = (performance.now() - start) / 1000;
    const paints1 = probe()?.paints;
    return {
      fps: frames / seconds,
      seconds,
      messages: samples > 0 ? painted / samples : null,
      painted: paints0 !== undefined && paints1 !== undefined ? (paints1 - paints0) / seconds : null,
    };
  }, ms);
  const z = await metrics(cdp);
  const share = (n: (typeof METRICS)[number]) => (z[n] - a[n]) / r.seconds;
  return { ...r, busy: share("TaskDuration"), script: share("ScriptDuration"), style: share("RecalcStyleDuration"), layout: share("LayoutDuration") };
}

const site = await startSite();
const launched = await launchBrowser();
// tsx compiles functions handed to page.evaluate with esbuild's `__name` helper, which the
// page does not have; define it there as the identity.
const browser = {
  version: () => launched.version(),
  close: () => launched.close(),
  async newPage(opts?: Parameters<typeof launched.newPage>[0]) {
    const page = await launched.newPage(opts);
    await page.addInitScript("globalThis.__name = (f) => f");
    return page;
  },
};

/** Open one of our pages, wait for its run, optionally seek, and play at `speed` (the page's own when null). */
async function openOurs(hash: string, viewport: { width: number; height: number }, o: { speed: number | null; seek?: number }) {
  const page = await browser.newPage({ viewport });
  await page.goto(`${site.url}${hash}`);
  await page.waitForFunction(() => window.splitbrain !== undefined && window.splitbrain.nodes().length > 0);
  if (o.seek !== undefined) await page.evaluate((t) => window.splitbrain!.seek(t), o.seek);
  await page.evaluate((speed) => {
    if (speed !== null) window.splitbrain!.speed(speed);
    window.splitbrain!.play();
  }, o.speed);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  return { page, cdp };
}

try {
  console.log(`splitbrain page bench — ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${browser.version()} headless`);

  // Frame rate and main-thread busy fraction: the gossip flood, then the Raft lab as it opens.
  for (const [what, hash] of [
    ["gossip, 5 nodes, gossip every 5 ms over 150–250 ms links", `#s=${encodeScenario(busy)}`],
    ["the Raft lab's default scenario", "#/raft"],
  ] as const) {
    const { page, cdp } = await openOurs(hash, { width: 1280, height: 860 }, { speed: 0.25 });
    await page.waitForTimeout(3000);
    const r = await measure(page, cdp, 5000);
    console.log(
      `${what}: ${fmt(r.fps, 1)} fps, ${fmt(r.messages ?? 0)} messages in flight on average, main thread busy ${pct(r.busy)} (TaskDuration over ${fmt(r.seconds, 1)} s; target 60 fps)`,
    );
    await page.close();
  }

  // About 5,000 messages in flight: start past the longest flight, so the air is full, and
  // play at real time. Three 5-second windows; the median.
  {
    const { page, cdp } = await openOurs(`#s=${encodeScenario(flood)}`, { width: 1280, height: 720 }, { speed: 1, seek: 15_000 });
    await page.waitForTimeout(2000);
    const rounds: Window[] = [];
    for (let k = 0; k < 3; k++) rounds.push(await measure(page, cdp, 5000));
    const r = rounds.find((x) => x.fps === median(rounds.map((y) => y.fps)))!;
    console.log(
      `${fmt(floodExpected)} messages in flight (gossip, ${FLOOD.nodes} nodes, every ${FLOOD.interval} ms over ${fmt(FLOOD.latency[0])}–${fmt(FLOOD.latency[1])} ms links, real time, 1280×720): ` +
        `${fmt(r.fps, 1)} fps (median of ${rounds.map((x) => fmt(x.fps, 1)).join(", ")}), the network view painting ${fmt(r.painted ?? 0, 1)} new frames a second with ${fmt(r.messages ?? 0)} messages each on average, main thread busy ${pct(r.busy)} (target ≥ 55 fps)`,
    );
    await page.close();
  }

  // The Raft lab beside RaftScope, in this browser, the same way.
  {
    const dir = process.env.RAFTSCOPE_DIR;
    if (dir === undefined || dir === "" || !existsSync(join(dir, "index.html"))) {
      console.log("the Raft lab's main thread beside RaftScope's: not measured: set RAFTSCOPE_DIR (see tests/bench/page.ts)");
    } else {
      const rs = await startSite("/", dir);
      try {
        const viewport = { width: 1280, height: 720 };
        const ours: Window[] = [];
        const theirs: Window[] = [];
        for (let round = 0; round < 3; round++) {
          // Alternate which goes first, so a slow moment of a shared machine lands on both.
          for (const which of round % 2 === 0 ? (["ours", "theirs"] as const) : (["theirs", "ours"] as const)) {
            if (which === "ours") {
              const { page, cdp } = await openOurs("#/raft", viewport, { speed: null });
              await page.waitForTimeout(3000);
              ours.push(await measure(page, cdp, 10_000));
              await page.close();
            } else {
              const page = await browser.newPage({ viewport });
              await page.goto(rs.url);
              // RaftScope plays as it opens, at 1/100×.
              await page.waitForFunction(() => document.querySelectorAll("svg .server").length > 0);
              const cdp = await page.context().newCDPSession(page);
              await cdp.send("Performance.enable");
              await page.waitForTimeout(3000);
              theirs.push(await measure(page, cdp, 10_000));
              await page.close();
            }
          }
        }
        const line = (w: Window[]) => {
          const m = (k: keyof Window) => median(w.map((x) => x[k] as number));
          const [b, s, st, l] = [m("busy"), m("script"), m("style"), m("layout")];
          return `busy ${pct(b)} (rounds ${w.map((x) => pct(x.busy)).join(", ")}; script ${pct(s)}, style ${pct(st)}, layout ${pct(l)}, the rest ${pct(b - s - st - l)}), ${fmt(m("fps"), 1)} fps`;
        };
        const ratio = median(ours.map((x) => x.busy)) / median(theirs.map((x) => x.busy));
        console.log(`the Raft lab as it opens (1/10×), 1280×720, 10 s windows, 3 rounds: ${line(ours)}`);
        console.log(`RaftScope as it opens (1/100×), same browser, same way: ${line(theirs)}`);
        console.log(`ratio splitbrain / RaftScope: ${fmt(ratio, 2)} (target ≤ 0.5)`);
      } finally {
        await rs.close();
      }
    }
  }

  // Seeking in a 60-second run.
  {
    const page = await browser.newPage();
    await page.goto(`${site.url}#s=${encodeScenario(minute)}`);
    await page.waitForFunction(() => window.splitbrain !== undefined && window.splitbrain.nodes().length > 0);
    const times = await page.evaluate(async () => {
      const out: number[] = [];
      for (const t of [60_000, 1_000, 45_000, 30_000, 5_000, 59_000, 20_000, 0, 52_000, 10_000]) {
        const t0 = performance.now();
        await window.splitbrain!.seek(t);
        out.push(performance.now() - t0);
      }
      return out;
    });
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `seek in a 60 s run, until the page shows the time (two frames included): median ${fmt(sorted[5]!)} ms, worst ${fmt(sorted.at(-1)!)} ms (target < 100)`,
    );
    await page.close();
  }

  // JavaScript size.
  {
    const sizes = jsSizes();
    const total = sizes.reduce((s, x) => s + x.gzip, 0);
    console.log(`JavaScript, gzip: ${sizes.map((s) => `${s.file} ${fmt(s.gzip / 1024, 1)} KiB`).join(", ")}; ${fmt(total / 1024, 1)} KiB in all`);
  }

  // Heap after a minute and after an hour of virtual time at fast-forward.
  {
    const page = await browser.newPage();
    await page.goto(`${site.url}#s=${encodeScenario(hour)}`);
    await page.waitForFunction(() => window.splitbrain !== undefined && window.splitbrain.nodes().length > 0);
    const cdp = await page.context().newCDPSession(page);
    const heapAt = async (t: number) => {
      await page.waitForFunction((t) => window.splitbrain!.time() >= t, t, { timeout: 600_000, polling: 200 });
      await page.evaluate(() => window.splitbrain!.pause());
      await cdp.send("HeapProfiler.collectGarbage");
      const { usedSize } = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
      await page.evaluate(() => window.splitbrain!.play());
      return usedSize;
    };
    await page.evaluate(() => {
      window.splitbrain!.speed(100);
      window.splitbrain!.play();
    });
    const started = Date.now();
    const a = await heapAt(60_000);
    const b = await heapAt(3_600_000);
    console.log(
      `heap after 1 min of virtual time: ${fmt(a / 2 ** 20, 1)} MiB; after 1 h: ${fmt(b / 2 ** 20, 1)} MiB; ratio ${fmt(b / a, 2)} (target ≤ 1.5; ${fmt((Date.now() - started) / 1000)} s at fast-forward)`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  await site.close();
}
