// `npm run bench:page`: the playground's figures in this machine's headless Chromium, for the
// README. Reports; never fails a build. Needs a build (`npm run build`) and /usr/bin/chromium.
//
//  - frame rate with 5 nodes and about 200 messages in flight;
//  - the fraction of the main thread that is busy while it plays;
//  - how long a seek takes to show its time in a 60-second run;
//  - the gzip size of the JavaScript a first load fetches;
//  - the page's heap after one minute and after one hour of virtual time at fast-forward.

import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { labs } from "../../src/labs/index.ts";
import { scenario } from "../../src/scenario/build.ts";
import { encodeScenario } from "../../src/scenario/codec.ts";
import type {} from "../../src/ui/api.ts";
import { DIST, launchBrowser, startSite } from "../browser/harness.ts";

const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const lab = labs[0]!;

// Gossip every 5 ms over 150–250 ms links: five nodes keep about 200 messages in the air.
const busy = scenario({ lab: lab.id, seed: 5, until: 60_000, nodes: 5, network: { latency: [150, 250] }, params: { interval: 5 } });
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
try {
  console.log(`splitbrain page bench — ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${browser.version()} headless`);

  // Frame rate and main-thread busy fraction: the gossip flood, then the Raft lab as it opens.
  for (const [what, hash] of [
    ["gossip, 5 nodes, gossip every 5 ms over 150–250 ms links", `#s=${encodeScenario(busy)}`],
    ["the Raft lab's default scenario", "#/raft"],
  ] as const) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${site.url}${hash}`);
    await page.waitForFunction(() => window.splitbrain !== undefined && window.splitbrain.nodes().length > 0);
    await page.evaluate(() => {
      window.splitbrain!.speed(0.25);
      window.splitbrain!.play();
    });
    await page.waitForTimeout(3000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const metric = async (name: string) =>
      ((await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === name)?.value ?? 0) as number;
    const task0 = await metric("TaskDuration");
    const r = await page.evaluate(async () => {
      let frames = 0;
      let inFlight = 0;
      let samples = 0;
      const start = performance.now();
      await new Promise<void>((resolve) => {
        const step = () => {
          frames++;
          if (frames % 10 === 0) {
            inFlight += document.querySelectorAll("svg.netview g.msg").length;
            samples++;
          }
          if (performance.now() - start < 5000) requestAnimationFrame(step);
          else resolve();
        };
        requestAnimationFrame(step);
      });
      const seconds = (performance.now() - start) / 1000;
      return { fps: frames / seconds, inFlight: inFlight / Math.max(1, samples), seconds };
    });
    const task1 = await metric("TaskDuration");
    console.log(`${what}: ${fmt(r.fps, 1)} fps, ${fmt(r.inFlight)} messages in flight on average, main thread busy ${fmt((100 * (task1 - task0)) / r.seconds, 1)} % (TaskDuration over ${fmt(r.seconds, 1)} s; target 60 fps)`);
    await page.close();
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
