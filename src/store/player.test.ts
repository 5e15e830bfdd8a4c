import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { labs, runConfig } from "../labs/index.ts";
import { startInProcess } from "../runtime/inprocess-host.ts";
import { spawnNodeWorker } from "../runtime/spawn-node.ts";
import { startInWorkers } from "../runtime/worker-host.ts";
import type { Scenario } from "../scenario/types.ts";
import { Player, thin } from "./player.ts";

const lab = labs[0]!;
const base = lab.scenarios[1]!; // partition-heal: scripted faults to replay through
const params = v.parse(lab.params, base.params);

/** The hash a fresh in-process run of `s` has at time t. */
async function freshHash(s: Scenario, t: number): Promise<string> {
  const run = startInProcess(runConfig(s, params));
  await run.advance(t);
  return run.engine.trace.hash();
}

const inProcess = { startLive: async (cfg: Parameters<typeof startInProcess>[0]) => startInProcess(cfg) };

describe("the player", () => {
  it("plays forward in frames to the same trace as one straight run", async () => {
    const p = await Player.start(lab, base, params, inProcess);
    for (let t = 0; t <= 12_000; t += 16.7) await p.advanceTo(t);
    expect(p.time).toBeCloseTo(12_000 - (12_000 % 16.7), 6);
    expect(p.trace.hash()).toBe(await freshHash(base, p.time));
  });

  it("seeks back and forth, each time showing exactly what a fresh run shows at that time", async () => {
    const p = await Player.start(lab, base, params, inProcess);
    await p.advanceTo(8000);
    for (const t of [3000, 7999, 250, 15_000, 9001.5, 0, 12_345]) {
      await p.seek(t);
      expect(p.time).toBe(t);
      expect(p.trace.hash(), `at ${t}`).toBe(await freshHash(base, t));
      expect(await p.views()).toEqual(await (async () => {
        const r = startInProcess(runConfig(base, params));
        await r.advance(t);
        return r.views();
      })());
    }
  });

  it("records an action at the current time, and the run is a fresh run of the edited scenario", async () => {
    const p = await Player.start(lab, base, params, inProcess);
    await p.advanceTo(4200);
    await p.act({ do: "crash", node: "n3" });
    await p.advanceTo(6000);
    await p.act({ do: "command", node: "n2", cmd: "inc" });
    await p.advanceTo(base.until);
    const edited = p.scenario;
    expect(edited.timeline.slice(-2)).toEqual([
      { do: "crash", node: "n3", t: 4200 },
      { do: "command", node: "n2", cmd: "inc", t: 6000 },
    ]);
    expect(p.trace.hash()).toBe(await freshHash(edited, base.until));
  });

  it("replaces the learner's later actions when the learner acts in the past, and keeps scripted ones", async () => {
    const p = await Player.start(lab, base, params, inProcess);
    await p.advanceTo(5000);
    await p.act({ do: "crash", node: "n4" });
    await p.advanceTo(7000);
    await p.act({ do: "restart", node: "n4" });
    await p.seek(6000);
    await p.act({ do: "command", node: "n1", cmd: { inc: 3 } });
    const tl = p.scenario.timeline;
    expect(tl).toContainEqual({ do: "crash", node: "n4", t: 5000 });
    expect(tl).not.toContainEqual({ do: "restart", node: "n4", t: 7000 });
    expect(tl.filter((a) => a.do === "heal")).toHaveLength(1); // the script's heal at 9000 stays
    await p.advanceTo(base.until);
    expect(p.trace.hash()).toBe(await freshHash(p.scenario, base.until));
  });

  it("steps one event forward and one back", async () => {
    const p = await Player.start(lab, base, params, inProcess);
    await p.advanceTo(2000);
    const before = p.trace.length;
    await p.stepForward();
    expect(p.time).toBeGreaterThan(2000);
    expect(p.trace.length).toBeGreaterThan(before);
    const forwardTime = p.time;
    await p.stepBack();
    expect(p.time).toBeLessThan(forwardTime);
    expect(p.trace.events.at(-1)!.t).toBeLessThanOrEqual(p.time);
    expect(p.trace.hash()).toBe(await freshHash(base, p.time));
  });

  it("keeps few snapshots on a long run and can still seek to its start", async () => {
    const long = { ...base, until: 3_600_000 };
    const p = await Player.start(lab, long, params, inProcess);
    await p.seek(3_600_000);
    expect(p.snapshotCount).toBeLessThan(150);
    await p.seek(1234);
    expect(p.trace.hash()).toBe(await freshHash(long, 1234));
  });

  it("seeks and records actions with its nodes in workers, matching in-process runs", async () => {
    const p = await Player.start(lab, base, params, { startLive: (cfg) => startInWorkers(cfg, { spawn: spawnNodeWorker, maxWorkers: 2 }) });
    try {
      expect(p.workerCount).toBe(2);
      await p.advanceTo(3000);
      await p.seek(1000);
      await p.act({ do: "move", node: "n1", x: 0.02, y: 0.02 });
      await p.advanceTo(7000);
      await p.seek(10_000);
      expect(p.trace.hash()).toBe(await freshHash(p.scenario, 10_000));
      const r = startInProcess(runConfig(p.scenario, params));
      await r.advance(10_000);
      expect(await p.views()).toEqual(await r.views());
    } finally {
      p.close();
    }
  });
});

describe("snapshot thinning", () => {
  it("keeps everything recent, one per 5 s back to a minute, one per minute beyond", () => {
    const snaps = Array.from({ length: 400 }, (_, i) => ({ t: i * 500 }));
    const kept = thin(snaps, 199_500).map((s) => s.t);
    expect(kept.filter((t) => t >= 189_500)).toHaveLength(21);
    expect(kept.filter((t) => t < 139_500 && t >= 60_000).every((t) => t % 60_000 === 0)).toBe(true);
    expect(kept.length).toBeLessThan(40);
  });
});
