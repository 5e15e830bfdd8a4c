import { MessageChannel } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import * as v from "valibot";
import { describe, expect, it, vi } from "vitest";
import { labs, runConfig } from "../labs/index.ts";
import { startInProcess } from "./inprocess-host.ts";
import { spawnNodeWorker } from "./spawn-node.ts";
import { startInWorkers, type WorkerHandle } from "./worker-host.ts";

const lab = labs[0]!;
const s = lab.scenarios[0]!;
const cfg = runConfig(s, v.parse(lab.params, s.params));

describe("the worker host", () => {
  it("puts each node in its own worker", async () => {
    const run = await startInWorkers(cfg, { spawn: spawnNodeWorker });
    try {
      expect(run.workerCount).toBe(s.nodes.length);
    } finally {
      run.close();
    }
  });

  it("shares workers past the limit and still matches the in-process trace", async () => {
    const run = await startInWorkers(cfg, { spawn: spawnNodeWorker, maxWorkers: 2 });
    const ref = startInProcess(cfg);
    try {
      expect(run.workerCount).toBe(2);
      await run.advance(s.until);
      await ref.advance(s.until);
      expect(run.engine.trace.hash()).toBe(ref.engine.trace.hash());
    } finally {
      run.close();
    }
  });

  it("advances in steps to the same trace as one long advance (how the page plays)", async () => {
    const run = await startInWorkers(cfg, { spawn: spawnNodeWorker, maxWorkers: 3 });
    const ref = startInProcess(cfg);
    try {
      for (let t = 0; t <= s.until; t += 333) await run.advance(t);
      await run.advance(s.until);
      await ref.advance(s.until);
      expect(run.engine.trace.hash()).toBe(ref.engine.trace.hash());
    } finally {
      run.close();
    }
  });

  it("asks again only the workers that ran something since their views were read, and the views match in-process", async () => {
    const run = await startInWorkers(cfg, { spawn: spawnNodeWorker });
    const ref = startInProcess(cfg);
    try {
      await run.advance(2000);
      await ref.advance(2000);
      const a = await run.views();
      const b = await run.views();
      // Nothing ran between the two reads: every view is the very object read before.
      expect(b.every((v, i) => v === a[i])).toBe(true);
      expect(b).toEqual(await ref.views());
      // Play on until some node handles an event; its view is read afresh, the rest stand.
      let t = 2000;
      let c = b;
      while (c.every((v, i) => v === b[i]) && t < s.until) {
        t += 50;
        await run.advance(t);
        c = await run.views();
      }
      await ref.advance(t);
      expect(c.some((v, i) => v !== b[i])).toBe(true);
      expect(c).toEqual(await ref.views());
      const snap = await run.snapshot();
      expect((await run.views()).every((v, i) => v === c[i])).toBe(true);
      // A restore rewrites every node: none of the old views may stand.
      await run.restore(snap);
      const d = await run.views();
      expect(d.some((v, i) => v === c[i])).toBe(false);
      expect(d).toEqual(c);
    } finally {
      run.close();
    }
  });

  it("restores a snapshot and replays to the same trace", async () => {
    const run = await startInWorkers(cfg, { spawn: spawnNodeWorker, maxWorkers: 2 });
    try {
      await run.advance(3000);
      const snap = await run.snapshot();
      await run.advance(s.until);
      const full = run.engine.trace.hash();
      await run.restore(snap);
      expect(run.engine.now).toBe(3000);
      await run.advance(s.until);
      expect(run.engine.trace.hash()).toBe(full);
    } finally {
      run.close();
    }
  });

  it("reports a worker that dies instead of waiting for it", async () => {
    const handles: WorkerHandle[] = [];
    const run = await startInWorkers(cfg, {
      spawn: () => {
        const h = spawnNodeWorker();
        handles.push(h);
        return h;
      },
      maxWorkers: 2,
    });
    handles[1]!.terminate();
    await expect(run.advance(s.until)).rejects.toThrow(/worker holding n2, n4 (died|did not answer)/);
    run.close();
  });

  it("reports a worker that hangs after the watchdog's time", async () => {
    // An endpoint nobody answers on: every call hangs.
    const silent = (): WorkerHandle => {
      const { port1 } = new MessageChannel();
      return { endpoint: nodeEndpoint(port1), terminate: () => port1.close(), onDeath: () => {} };
    };
    // Fake timers: the watchdog's 300 ms pass when the test says so, not on the wall clock.
    vi.useFakeTimers();
    try {
      let outcome: unknown = "pending";
      const started = startInWorkers(cfg, { spawn: silent, timeoutMs: 100, setupTimeoutMs: 300 }).then(
        () => (outcome = "started"),
        (err: unknown) => (outcome = err),
      );
      await vi.advanceTimersByTimeAsync(299);
      expect(outcome).toBe("pending");
      await vi.advanceTimersByTimeAsync(1);
      await started;
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as Error).message).toMatch(/did not answer setup within 0.3 s/);
    } finally {
      vi.useRealTimers();
    }
  });
});
