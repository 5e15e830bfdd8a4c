// A fluent harness for engine and protocol tests:
//   simulate(protocol, { nodes: 5 }).partition(1000, [["n1"], ["n2", "n3"]]).crash(2000, "n2").run(5000)
// then read the trace with small helpers. Tests read as sentences; the seed is in the scenario.

import { scenario, type ScenarioDraft } from "../scenario/build.ts";
import type { Action, Scenario } from "../scenario/types.ts";
import { Simulation } from "./simulation.ts";
import type { TraceEvent } from "./trace.ts";
import type { NodeView, Protocol } from "./types.ts";

export class Harness {
  private readonly timeline: Action[] = [];

  constructor(
    private readonly protocol: Protocol<any, any, any>,
    private readonly draft: Omit<ScenarioDraft, "lab"> & { lab?: string },
    private readonly params: Record<string, unknown> = {},
  ) {}

  partition(t: number, groups: string[][]): this {
    return this.act({ t, do: "partition", groups });
  }
  heal(t: number): this {
    return this.act({ t, do: "heal" });
  }
  crash(t: number, node: string): this {
    return this.act({ t, do: "crash", node });
  }
  restart(t: number, node: string): this {
    return this.act({ t, do: "restart", node });
  }
  command(t: number, node: string, cmd: unknown): this {
    return this.act({ t, do: "command", node, cmd });
  }
  move(t: number, node: string, x: number, y: number): this {
    return this.act({ t, do: "move", node, x, y });
  }
  set(t: number, path: string, value: unknown): this {
    return this.act({ t, do: "set", path, value });
  }
  act(a: Action): this {
    this.timeline.push(a);
    return this;
  }

  scenario(until: number): Scenario {
    return scenario({ lab: "test", ...this.draft, until, timeline: [...(this.draft.timeline ?? []), ...this.timeline] });
  }

  run(until: number): Result {
    const s = this.scenario(until);
    const sim = new Simulation(s, this.protocol, { ...this.params });
    sim.runUntil(until);
    return new Result(sim, s);
  }
}

export class Result {
  constructor(
    readonly sim: Simulation,
    readonly scenario: Scenario,
  ) {}

  get events(): readonly TraceEvent[] {
    return this.sim.engine.trace.events;
  }
  get hash(): string {
    return this.sim.engine.trace.hash();
  }
  of(kind: string): TraceEvent[] {
    return this.events.filter((e) => e.kind === kind);
  }
  views(): NodeView[] {
    return this.sim.views();
  }
  view(id: string): NodeView {
    return this.views()[this.sim.engine.index.get(id)!]!;
  }
}

export function simulate(protocol: Protocol<any, any, any>, draft: Omit<ScenarioDraft, "lab"> & { lab?: string } = {}, params?: Record<string, unknown>): Harness {
  return new Harness(protocol, draft, params);
}

/**
 * A hand-written trace for checker tests: each event 10 ms after the last (or at `at(t)`),
 * numbered in order. Labs extend it with their own observations (Raft's `role`, `append`…).
 */
export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  protected t = 0;

  at(t: number): this {
    this.t = t;
    return this;
  }
  add(kind: string, fields: Record<string, unknown>): number {
    const seq = this.events.length;
    this.events.push({ t: this.t, seq, kind, ...fields });
    this.t += 10;
    return seq;
  }
  crash(node: string): number {
    return this.add("crash", { node });
  }
  restart(node: string): number {
    return this.add("restart", { node });
  }
  fail(node: string): number {
    return this.add("fail", { node, error: "boom" });
  }
}
