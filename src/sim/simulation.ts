// A whole run in one thread: the engine plus the nodes' slots, driven event by event.
// This is the reference the worker host must match; the CLI, the tests and fast-forward use it.

import type { ActionKind } from "../scenario/actions.ts";
import type { Scenario } from "../scenario/types.ts";
import { Engine, NEXT_ACTION, NEXT_NODE, type EngineState, type FollowUp, type NodeEvent } from "./engine.ts";
import { NodeRunner, newSlot, type NodeSlot, type Outcome } from "./node.ts";
import type { Trace } from "./trace.ts";
import { rolesOf, type NodeView, type Protocols } from "./types.ts";

export interface SimSnapshot {
  engine: EngineState;
  slots: NodeSlot[];
}

/** Peers of each node: every other node, in scenario order. */
export function peerTable(ids: readonly string[]): (id: string) => readonly string[] {
  const table = new Map(ids.map((id) => [id, Object.freeze(ids.filter((p) => p !== id))] as const));
  return (id) => table.get(id) ?? [];
}

/** Each node's role, by id, for a lab with roles (a node without one takes the first). */
export function roleTable(nodes: readonly { id: string; role?: string | undefined }[], protocol: Protocols): Record<string, string> {
  const roles = rolesOf(protocol);
  const out: Record<string, string> = {};
  if (roles.length > 0) for (const n of nodes) out[n.id] = n.role ?? roles[0]!;
  return out;
}

export class Simulation {
  readonly engine: Engine;
  private readonly runner: NodeRunner;
  private slots: NodeSlot[];
  private readonly outcomeOf = (e: NodeEvent): Outcome => this.runner.handle(this.slots[e.node]!, e.input, e.t);

  /** `actions`: the lab's own action kinds, if it has any. */
  constructor(scenario: Scenario, private readonly protocol: Protocols, params: Record<string, unknown>, trace?: Trace, actions: readonly ActionKind[] = []) {
    this.engine = new Engine(scenario, params, trace, actions);
    this.runner = new NodeRunner(protocol, peerTable(this.engine.ids), this.engine.params, roleTable(scenario.nodes, protocol));
    this.slots = scenario.nodes.map((n) => newSlot(scenario.seed, n));
  }

  /** Process every event with t <= until; the clock then reads `until`. */
  runUntil(until: number): void {
    const e = this.engine;
    for (;;) {
      const next = e.nextAt(until);
      if (next === NEXT_NODE) e.process(e.popNode(), this.outcomeOf);
      else if (next === NEXT_ACTION) for (const f of e.applyAction(e.popAction())) this.follow(f);
      else break;
    }
    e.advanceTo(until);
  }

  private follow(f: FollowUp): void {
    if (f.op === "crash") this.runner.crash(this.slots[f.node]!, this.engine.now);
    else if (f.op === "restart") this.engine.applyOutcome(f.node, this.runner.restart(this.slots[f.node]!, this.engine.now));
    else if (f.op === "command") {
      const o = this.runner.handle(this.slots[f.node]!, { kind: "command", cmd: f.cmd }, this.engine.now);
      this.engine.applyOutcome(f.node, o);
    } else if (f.op === "clock") this.runner.setClock(this.slots[f.node]!, f.field, f.value);
    else if (f.op === "add") {
      this.slots[f.node] = newSlot(this.engine.scenario.seed, f.setup);
      this.membersChanged();
    } else if (f.op === "remove") {
      this.runner.remove(this.slots[f.node]!);
      this.membersChanged();
    } else this.runner.setParams(f.params);
  }

  /** Peers and roles as the run now has them (a node joined or left). */
  private membersChanged(): void {
    const m = this.engine.members();
    this.runner.setMembers(peerTable(m.ids), roleTable(m.ids.map((id, k) => ({ id, role: m.roles[k] })), this.protocol));
  }

  views(): NodeView[] {
    return this.slots.map((s) => this.runner.view(s));
  }

  snapshot(): SimSnapshot {
    return { engine: this.engine.snapshot(), slots: structuredClone(this.slots) };
  }

  restore(s: SimSnapshot): void {
    this.engine.restore(s.engine);
    this.slots = structuredClone(s.slots);
    this.runner.forget();
    this.membersChanged();
    this.runner.setParams(this.engine.params);
  }
}
