// The in-process host: every node in this thread, driven event by event (sim/simulation.ts).
// The reference the worker host is held to, and the fastest way to run a scenario.

import { Simulation } from "../sim/simulation.ts";
import type { Run, RunConfig, RunSnapshot } from "./types.ts";

export function startInProcess(cfg: RunConfig): Run {
  const sim = new Simulation(cfg.scenario, cfg.protocol, cfg.params, cfg.trace, cfg.actions);
  return {
    host: "inprocess",
    engine: sim.engine,
    workerCount: 0,
    async advance(until) {
      sim.runUntil(until);
    },
    setTimeline(timeline) {
      sim.engine.setTimeline(timeline);
    },
    async views() {
      return sim.views();
    },
    async snapshot() {
      return sim.snapshot();
    },
    async restore(s: RunSnapshot) {
      sim.restore(s);
    },
    close() {},
  };
}
