// The ring lab's own actions. A server joins or leaves the shard map: the map's history (the
// `shard` param, as a configuration service would publish it) gains the change, so every node
// computes the same new placement, and the servers stream keys to their new replicas. A server
// that leaves is drained, not killed: it stays in the run, out of the ring, having handed its
// keys on.

import * as v from "valibot";
import { defineAction, type ActionRun } from "../../scenario/actions.ts";
import type { Change } from "./placement.ts";

type Shard = { initial: string[]; changes: Change[] };

function servers(run: ActionRun): string[] {
  return run.nodes().filter((id) => run.role(id) === "server" && run.status(id) !== "removed");
}

function withChange(run: ActionRun, change: Change): Shard {
  // The first change writes the map: the servers before it (a joiner has just been added to the run).
  const shard = (run.params().shard as Shard | undefined) ?? { initial: servers(run).filter((s) => change.op === "leave" || s !== change.server), changes: [] };
  return { initial: shard.initial, changes: [...shard.changes, change] };
}

export const addServer = defineAction<{ t: number; do: "add-server"; node: string; x?: number; y?: number }>({
  do: "add-server",
  fields: {
    node: v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/, "must be a server id: a letter, then letters, digits or -")),
    x: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
    y: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  },
  joins: (a) => ({ node: a.node, role: "server" }),
  apply(a, run) {
    const at: { role: string; x?: number; y?: number } = { role: "server" };
    if (a.x !== undefined) at.x = a.x;
    if (a.y !== undefined) at.y = a.y;
    run.addNode(a.node, at);
    run.set("params.shard", withChange(run, { op: "join", server: a.node }));
  },
  label: (a) => `server ${a.node} joins the ring`,
});

export const removeServer = defineAction<{ t: number; do: "remove-server"; node: string }>({
  do: "remove-server",
  fields: { node: v.string() },
  names: (a) => [a.node],
  apply(a, run) {
    if (run.role(a.node) !== "server") {
      run.record("remove-server-refused", { node: a.node, reason: "not a server" });
      return;
    }
    run.set("params.shard", withChange(run, { op: "leave", server: a.node }));
    // Its next input shows it the new placement: it streams its keys on at once.
    run.command(a.node, { drain: true });
  },
  label: (a) => `server ${a.node} leaves the ring`,
});
