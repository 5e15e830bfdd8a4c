// What a lab's tests need to run its gallery scenarios as the page would: a scenario by name, a
// lesson step by its scenario, a run to a time with the lab's params parsed (defaults filled),
// the learner's actions added to a scenario, and the lab's checks over a run.

import * as v from "valibot";
import type { Action, Scenario } from "../scenario/types.ts";
import { Simulation } from "../sim/simulation.ts";
import { Result } from "../sim/testing.ts";
import type { Lab, LessonStep, Violation } from "./types.ts";

export function labKit(lab: Lab) {
  return {
    gallery: (name: string): Scenario => {
      const s = lab.scenarios.find((x) => x.name === name);
      if (s === undefined) throw new Error(`the ${lab.id} lab has no scenario "${name}"`);
      return s;
    },
    stepFor: (name: string): LessonStep => {
      const step = lab.lesson.find((s) => s.scenario === name);
      if (step === undefined) throw new Error(`no ${lab.id} lesson step opens "${name}"`);
      return step;
    },
    play(s: Scenario, until = s.until): Result {
      const sim = new Simulation(s, lab.protocol, v.parse(lab.params, s.params), undefined, lab.actions);
      sim.runUntil(until);
      return new Result(sim, s);
    },
    /** The scenario with the learner's actions added (the engine orders the timeline by time). */
    withActions: (s: Scenario, ...actions: Action[]): Scenario => ({ ...s, timeline: [...s.timeline, ...actions] }),
    /** The lab's checks over a run, given the params with their defaults filled in, as the page and the CLI give them. */
    violations: (r: Result): Violation[] => {
      const params = v.parse(lab.params, r.scenario.params);
      return lab.checks.flatMap((c) => c.run(r.events, r.scenario, params));
    },
  };
}
