// The core actions every lab has, each one ActionKind (actions.ts): its fields, what the engine
// does (through the run's primitive of the same name) and its label. A lab's own actions are
// written the same way in its folder.

import * as v from "valibot";
import { defineAction, type ActionKind } from "./actions.ts";
import { MAX_GROUPS, MAX_NODES, jsonValue, list, nodeId, nodeRef, roleName, setNode, setRule, SET_PATH, leaf, unit } from "./leaves.ts";
import type { Action } from "./types.ts";

type Of<K extends Action["do"]> = Extract<Action, { do: K }>;

const one = (a: { node: string }) => [a.node];

export const partition = defineAction<Of<"partition">>({
  do: "partition",
  fields: {
    groups: list(list(nodeRef, 0, MAX_NODES, `must be a list of at most ${MAX_NODES} node ids`), 0, MAX_GROUPS, `must be a list of at most ${MAX_GROUPS} groups of node ids`),
  },
  names: (a) => a.groups.flat(),
  apply: (a, run) => run.partition(a.groups),
  label: (a) => `partition ${a.groups.map((g) => `{${g.join(", ")}}`).join(" ")}`,
});

export const heal = defineAction<Of<"heal">>({
  do: "heal",
  fields: {},
  apply: (_a, run) => run.heal(),
  label: () => "heal",
});

export const crash = defineAction<Of<"crash">>({
  do: "crash",
  fields: { node: nodeRef },
  names: one,
  apply: (a, run) => run.crash(a.node),
  label: (a) => `crash ${a.node}`,
});

export const restart = defineAction<Of<"restart">>({
  do: "restart",
  fields: { node: nodeRef },
  names: one,
  apply: (a, run) => run.restart(a.node),
  label: (a) => `restart ${a.node}`,
});

export const set = defineAction<Of<"set">>({
  do: "set",
  fields: {
    path: leaf<string>(
      (x) => typeof x === "string" && SET_PATH.test(x),
      "must be network.latency, network.loss, network.duplicate, network.reorder, network.reach, params.<name>[.<field>] or nodes.<id>.clock.<offset|drift|step>",
    ),
    value: v.custom<unknown>(() => true),
  },
  refine: (a) => (setRule(a.path).test(a.value) ? null : { field: "value", says: setRule(a.path).says }),
  names: (a) => {
    const node = setNode(a.path);
    return node === undefined ? [] : [node];
  },
  apply: (a, run) => run.set(a.path, a.value),
  label: (a) => `set ${a.path} = ${JSON.stringify(a.value)}`,
  replaces: (a, b) => a.path === b.path,
});

export const command = defineAction<Of<"command">>({
  do: "command",
  fields: { node: nodeRef, cmd: jsonValue },
  names: one,
  apply: (a, run) => run.command(a.node, a.cmd),
  label: (a) => `command to ${a.node}: ${typeof a.cmd === "string" ? a.cmd : JSON.stringify(a.cmd)}`,
});

export const move = defineAction<Of<"move">>({
  do: "move",
  fields: { node: nodeRef, x: unit, y: unit },
  names: one,
  apply: (a, run) => run.move(a.node, a.x, a.y),
  label: (a) => `move ${a.node}`,
  replaces: (a, b) => a.node === b.node,
});

export const addNode = defineAction<Of<"add-node">>({
  do: "add-node",
  fields: { node: nodeId, role: v.optional(roleName), x: v.optional(unit), y: v.optional(unit) },
  joins: (a) => (a.role === undefined ? { node: a.node } : { node: a.node, role: a.role }),
  apply: (a, run) => {
    const at: { role?: string; x?: number; y?: number } = {};
    if (a.role !== undefined) at.role = a.role;
    if (a.x !== undefined) at.x = a.x;
    if (a.y !== undefined) at.y = a.y;
    run.addNode(a.node, at);
  },
  label: (a) => `${a.node} joins${a.role === undefined ? "" : ` as ${a.role}`}`,
});

export const removeNode = defineAction<Of<"remove-node">>({
  do: "remove-node",
  fields: { node: nodeRef },
  names: one,
  apply: (a, run) => run.removeNode(a.node),
  label: (a) => `${a.node} leaves`,
});

/** The core actions, in the order error messages list them. */
export const CORE_ACTIONS: readonly ActionKind[] = [partition, heal, crash, restart, set, command, move, addNode, removeNode];

export const CORE_KINDS: ReadonlyMap<string, ActionKind> = new Map(CORE_ACTIONS.map((k) => [k.do, k]));

/** The core kinds and a lab's own, by name. */
export function actionKinds(labActions: readonly ActionKind[] = []): ReadonlyMap<string, ActionKind> {
  if (labActions.length === 0) return CORE_KINDS;
  const all = new Map(CORE_KINDS);
  for (const k of labActions) all.set(k.do, k);
  return all;
}

/** The timeline's words for an action, through its kind (a kind it does not know: its name). */
export function actionLabel(a: Action, kinds: ReadonlyMap<string, ActionKind> = CORE_KINDS): string {
  const kind = kinds.get(a.do);
  return kind === undefined ? a.do : kind.label(a);
}
