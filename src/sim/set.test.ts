// `set` reaching one node (its clock) or one field of a param object, mid-run.
import { describe, expect, it } from "vitest";
import { simulate } from "./testing.ts";
import { step, type Protocol } from "./types.ts";

/** Answers "read" with a note of its clock and its params. */
const reader: Protocol<null, never, string> = {
  init: () => step(null),
  onTimer: (s) => step(s),
  onMessage: (s) => step(s),
  onCommand: (s, _cmd, ctx) => step(s, [{ type: "note", text: `${ctx.self} ${ctx.now} ${JSON.stringify(ctx.params)}` }]),
  view: () => ({ status: "up" }),
};

describe("set", () => {
  it("moves one node's clock and leaves the others' alone", () => {
    const r = simulate(reader, { nodes: 2 })
      .set(1000, "nodes.n1.clock.offset", 500)
      .command(2000, "n1", "read")
      .command(2000, "n2", "read")
      .set(3000, "nodes.n2.clock.step", { at: 3500, by: -1000 })
      .command(4000, "n2", "read")
      .run(4000);
    expect(r.of("note").map((e) => String(e.text).split(" ").slice(0, 2).join(" "))).toEqual(["n1 2500", "n2 2000", "n2 3000"]);
  });

  it("changes one field of a param object and keeps its siblings", () => {
    const r = simulate(reader, { nodes: 1 }, { breaker: { enabled: true, threshold: 0.5 }, other: 1 })
      .set(1000, "params.breaker.threshold", 0.8)
      .command(2000, "n1", "read")
      .run(2000);
    expect(r.of("note")[0]!.text).toBe('n1 2000 {"breaker":{"enabled":true,"threshold":0.8},"other":1}');
  });
});
