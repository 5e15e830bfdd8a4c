import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { scenario } from "../../scenario/build.ts";
import type { Scenario } from "../../scenario/types.ts";
import { simulate, TraceBuilder } from "../../sim/testing.ts";
import type { TraceEvent } from "../../sim/trace.ts";
import type { Check, Violation } from "../types.ts";
import { checks, convergence, monotonic, noInvention } from "./checks.ts";
import { gossipLab } from "./index.ts";
import { gossip } from "./protocol.ts";

/** The lab's params as a scenario's load fills them in. */
const params = (given: Record<string, unknown> = {}) => v.parse(gossipLab.params, given);

/** Three nodes, 10 s, nothing scripted: the convergence check judges the last 5 s. */
const SCENARIO = scenario({ lab: "gossip", nodes: 3, until: 10_000 });

/**
 * Hand-written traces: each call appends one event and returns its seq. Events come 10 ms apart
 * unless `at` moves the clock.
 */
class Tr extends TraceBuilder {
  /** A client's command reaching a node that is up. */
  command(node: string, cmd: unknown = "inc"): number {
    return this.add("command", { node, cmd });
  }
  /** A command a node that is not up refused. */
  refused(node: string, cmd: unknown = "inc"): number {
    return this.add("command", { node, cmd, refused: "down" });
  }
  /** A node reporting its total (the protocol's `observe value`). */
  value(node: string, total: number): number {
    return this.add("value", { node, total });
  }
  partition(groups: string[][]): number {
    return this.add("partition", { groups });
  }
  heal(): number {
    return this.add("heal", {});
  }
  gossip(from: string, to: string, id: number): void {
    this.add("send", { from, to, id, msg: { type: "gossip", counts: {} } });
    this.add("deliver", { from, to, id });
  }
  timeOf(seq: number): number {
    return this.events[seq]!.t;
  }
  /** Every node's first report at t = 0, as `init` makes it. */
  boot(...nodes: string[]): number[] {
    return nodes.map((n) => this.value(n, 0));
  }
}

function run(check: Check, tr: Tr, s: Scenario = SCENARIO): Violation[] {
  return check.run(tr.events, s);
}

describe("the gossip checks", () => {
  it("are no invention, monotonic totals and convergence, each titled by what it guarantees", () => {
    expect(checks.map((c) => [c.id, c.title])).toEqual([
      ["no-invention", "No node reports more increments than were made"],
      ["monotonic", "A running node's total never goes down"],
      ["convergence", "After a quiet spell, every running node agrees on the total"],
    ]);
  });

  it("find nothing in a valid trace: increments spread by gossip until every node has them", () => {
    const tr = new Tr();
    tr.boot("n1", "n2", "n3");
    tr.command("n1");
    tr.value("n1", 1);
    tr.command("n2", { inc: 2 });
    tr.value("n2", 2);
    tr.gossip("n1", "n2", 1);
    tr.value("n2", 3);
    tr.gossip("n2", "n3", 2);
    tr.value("n3", 3);
    tr.gossip("n2", "n1", 3);
    tr.value("n1", 3);
    expect(checks.map((c) => run(c, tr))).toEqual([[], [], []]);
  });

  it("find nothing in a real run with a partition that heals", () => {
    const r = simulate(gossip, { lab: "gossip", nodes: 4, seed: 5, network: { loss: 0.2, duplicate: 0.2, reorder: true } }, params())
      .partition(500, [["n1", "n2"], ["n3", "n4"]])
      .command(1000, "n1", "inc")
      .command(1200, "n4", { inc: 3 })
      .heal(3000)
      .run(10_000);
    expect(r.of("value").length).toBeGreaterThan(8);
    expect(checks.flatMap((c) => c.run(r.events, r.scenario))).toEqual([]);
  });
});

describe("no invention", () => {
  it("breaks when a node reports more than the increments made, pointing at the last command and the report", () => {
    const tr = new Tr();
    tr.boot("n1", "n2");
    const cmd = tr.command("n1");
    tr.value("n1", 1);
    const bad = tr.value("n2", 2);
    expect(run(noInvention, tr)).toEqual([
      { check: "no-invention", message: "n2 reports 2 but only 1 increments were made", t: tr.timeOf(bad), events: [cmd, bad] },
    ]);
  });

  it("points at the report alone when no increment was ever made", () => {
    const tr = new Tr();
    tr.boot("n1");
    const bad = tr.value("n1", 1);
    expect(run(noInvention, tr)).toEqual([
      { check: "no-invention", message: "n1 reports 1 but only 0 increments were made", t: tr.timeOf(bad), events: [bad] },
    ]);
  });

  it("does not count a command a down node refused", () => {
    const tr = new Tr();
    tr.boot("n1", "n2");
    tr.crash("n1");
    tr.refused("n1");
    const bad = tr.value("n2", 1);
    expect(run(noInvention, tr).map((v) => [v.message, v.events])).toEqual([["n2 reports 1 but only 0 increments were made", [bad]]]);
  });

  it("counts {inc: n} as n, and nothing for a negative count, a fraction's remainder or another command", () => {
    const tr = new Tr();
    tr.boot("n1");
    tr.command("n1", { inc: 3 });
    tr.command("n1", { inc: -5 });
    tr.command("n1", { inc: 1.9 });
    const last = tr.command("n1", "reset");
    tr.value("n1", 4);
    expect(run(noInvention, tr)).toEqual([]);
    const bad = tr.value("n1", 5);
    expect(run(noInvention, tr)).toEqual([
      { check: "no-invention", message: "n1 reports 5 but only 4 increments were made", t: tr.timeOf(bad), events: [last, bad] },
    ]);
  });

  it("counts commands exactly as the protocol does", () => {
    const cmds = ["inc", { inc: 3 }, { inc: -2 }, { inc: 2.5 }, { inc: "4" }, { inc: "x" }, "bogus", null];
    let h = simulate(gossip, { lab: "gossip", nodes: 2 }, params());
    cmds.forEach((c, k) => (h = h.command(100 + k, "n1", c)));
    const r = h.run(5000);
    // 1 + 3 + 0 + 2 + 4 + 0 + 0 + 0: the protocol's totals reach it, and the check finds no more.
    expect(r.views().map((v) => v.total)).toEqual([10, 10]);
    expect(noInvention.run(r.events, r.scenario)).toEqual([]);
  });
});

describe("monotonic", () => {
  it("holds while each node's total only rises or stays, whatever the other nodes report", () => {
    const tr = new Tr();
    tr.value("n1", 1);
    tr.value("n2", 5);
    tr.value("n1", 2);
    tr.value("n1", 2);
    tr.value("n2", 6);
    expect(run(monotonic, tr)).toEqual([]);
  });

  it("breaks when a running node's total falls, pointing at both reports", () => {
    const tr = new Tr();
    const a = tr.value("n1", 3);
    tr.value("n2", 1);
    const b = tr.value("n1", 2);
    expect(run(monotonic, tr)).toEqual([{ check: "monotonic", message: "n1's total fell from 3 to 2", t: tr.timeOf(b), events: [a, b] }]);
  });

  it("lets a restarted node start again from its own count, and holds it to that from then on", () => {
    const tr = new Tr();
    tr.value("n1", 5);
    tr.crash("n1");
    tr.restart("n1");
    const a = tr.value("n1", 2);
    expect(run(monotonic, tr)).toEqual([]);
    const b = tr.value("n1", 1);
    expect(run(monotonic, tr).map((v) => [v.message, v.events])).toEqual([["n1's total fell from 2 to 1", [a, b]]]);
  });
});

describe("convergence", () => {
  /** n1 counts once at 100; n2 hears of it at 300, n3 never: the run ends in disagreement. */
  function stuck(): { tr: Tr; last: Record<string, number> } {
    const tr = new Tr();
    tr.at(0);
    const [, , n3] = tr.boot("n1", "n2", "n3");
    tr.at(100).command("n1");
    const n1 = tr.value("n1", 1);
    tr.at(300).gossip("n1", "n2", 1);
    const n2 = tr.value("n2", 1);
    return { tr, last: { n1, n2, n3: n3! } };
  }

  it("breaks when the nodes still disagree 5 s after the last disturbance, listing every running node's total", () => {
    const { tr, last } = stuck();
    expect(run(convergence, tr)).toEqual([
      {
        check: "convergence",
        message: "5 s after the last disturbance the nodes still disagree: n1=1, n2=1, n3=0",
        t: SCENARIO.until,
        events: [last.n1, last.n2, last.n3],
      },
    ]);
  });

  it("holds when every running node ends on the same total", () => {
    const { tr } = stuck();
    tr.at(400).gossip("n2", "n3", 2);
    tr.value("n3", 1);
    expect(run(convergence, tr)).toEqual([]);
  });

  it("does not judge a run that ends less than 5 s after a command, fault, heal, move or change of setting", () => {
    const disturbances: [string, Record<string, unknown>][] = [
      ["command", { node: "n2", cmd: { inc: 0 } }],
      ["restart", { node: "n2", noop: true }],
      ["heal", {}],
      ["move", { node: "n2", x: 0.5, y: 0.5 }],
      ["set", { path: "network.loss", value: 0.1 }],
    ];
    for (const [kind, fields] of disturbances) {
      const late = stuck().tr;
      late.at(5_001).add(kind, fields);
      expect(run(convergence, late), `${kind} at 5001`).toEqual([]);
      // Exactly 5 s of quiet is enough to judge.
      const quiet = stuck().tr;
      quiet.at(5_000).add(kind, fields);
      expect(run(convergence, quiet).map((v) => v.check), `${kind} at 5000`).toEqual(["convergence"]);
    }
  });

  it("counts the scenario's scripted actions, even one due after the trace ends or after the run", () => {
    const { tr } = stuck();
    for (const t of [6_000, 20_000]) {
      expect(run(convergence, tr, { ...SCENARIO, timeline: [{ t, do: "heal" }] }), `an action at ${t}`).toEqual([]);
    }
    expect(run(convergence, tr, { ...SCENARIO, timeline: [{ t: 5_000, do: "heal" }] })).toHaveLength(1);
  });

  it("does not judge a run that ends partitioned, and judges it once healed", () => {
    const { tr } = stuck();
    tr.at(1_000).partition([["n1", "n2"], ["n3"]]);
    expect(run(convergence, tr)).toEqual([]);
    tr.at(2_000).heal();
    expect(run(convergence, tr)).toHaveLength(1);
  });

  it("does not judge a network that loses every message", () => {
    const { tr } = stuck();
    expect(run(convergence, tr, { ...SCENARIO, network: { ...SCENARIO.network, loss: 1 } })).toEqual([]);
    expect(run(convergence, tr, { ...SCENARIO, network: { ...SCENARIO.network, loss: 0.99 } })).toHaveLength(1);
  });

  it("leaves out a node that crashed or failed and did not come back, and counts it again once restarted", () => {
    for (const down of ["crash", "fail"] as const) {
      const { tr } = stuck();
      tr.at(1_000)[down]("n3");
      expect(run(convergence, tr), down).toEqual([]);
    }
    const { tr } = stuck();
    tr.at(1_000).crash("n3");
    tr.restart("n3");
    const back = tr.value("n3", 0);
    expect(run(convergence, tr).map((v) => [v.message, v.events.at(-1)])).toEqual([
      ["5 s after the last disturbance the nodes still disagree: n1=1, n2=1, n3=0", back],
    ]);
  });

  it("breaks on a real run whose network loses almost everything", () => {
    // One gossip a second per node, 99 % of them lost: 10 s is not enough to spread one increment.
    const r = simulate(gossip, { lab: "gossip", nodes: 3, network: { loss: 0.99 } }, params({ interval: 1000 }))
      .command(100, "n1", "inc")
      .run(10_000);
    expect(r.of("deliver")).toEqual([]);
    const found = convergence.run(r.events, r.scenario);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe("5 s after the last disturbance the nodes still disagree: n1=1, n2=0, n3=0");
  });
});
