// The scenario schema. A scenario arrives from a link anyone can craft, so everything the engine
// later trusts without checking (node references, latency floors, probabilities, JSON-only
// payloads) is enforced here, and every refusal is one sentence a learner can act on.
//
// The leaves (leaves.ts) are predicates with their own message, so each broken field yields one
// issue phrased in this domain; structure is plain valibot. Each action is checked by its kind
// (core-actions.ts, or the lab's own), once the scenario's lab is known.

import * as v from "valibot";
import { migrate } from "./migrate.ts";
import { getIn, setIn } from "./paths.ts";
import { SCENARIO_VERSION, isCore, type Action, type Scenario } from "./types.ts";
import type { ActionKind } from "./actions.ts";
import { actionKinds } from "./core-actions.ts";
import {
  MAX_ACTIONS,
  MAX_LINKS,
  MAX_NODES,
  MAX_TIME_MS,
  NETWORK_RULES,
  RESERVED,
  clockSchema,
  inRange,
  isPlainObject,
  jsonValue,
  latency,
  leaf,
  list,
  nodeId,
  nodeRef,
  probability,
  roleName,
  text,
  time,
  unit,
} from "./leaves.ts";

export { MAX_ACTIONS, MAX_GROUPS, MAX_LATENCY_MS, MAX_LINKS, MAX_NODES, MAX_TIME_MS } from "./leaves.ts";


export interface LabParamsSchema {
  id: string;
  params: v.GenericSchema<unknown, Record<string, unknown>>;
  /** How many nodes the lab runs with, [min, max] (Raft: 3 to 9). */
  nodeCount?: readonly [number, number];
  /** The roles its nodes can take (none: every node runs the same protocol). */
  roles?: readonly string[];
  /** The lab's own timeline actions, beside the core ones. */
  actions?: readonly ActionKind[];
}

export type LoadResult = { ok: true; scenario: Scenario; params: Record<string, unknown> } | { ok: false; error: string };


const nodeSchema = v.object({ id: nodeId, x: unit, y: unit, clock: v.optional(clockSchema), role: v.optional(roleName) }, "must be an object with id, x and y");

const linkSchema = v.object({ a: nodeRef, b: nodeRef, latency }, "must be an object with a, b and latency");

const networkSchema = v.object(
  {
    latency,
    loss: probability,
    duplicate: probability,
    reorder: leaf<boolean>(NETWORK_RULES.reorder.test, NETWORK_RULES.reorder.says),
    reach: v.optional(leaf<number>(NETWORK_RULES.reach.test, NETWORK_RULES.reach.says)),
    links: v.optional(list(linkSchema, 0, MAX_LINKS, `must be a list of at most ${MAX_LINKS} links`)),
  },
  "must be an object with latency, loss, duplicate and reorder",
);

const paramsSchema = v.pipe(
  leaf<Record<string, unknown>>(isPlainObject, "must be an object"),
  v.record(v.string(), jsonValue, "must be an object"),
);

/**
 * Each action as the core pass sees it: an object with a time. Its kind (core or the lab's)
 * checks the rest once the lab is known (see checkActions).
 */
const actionShape = v.pipe(
  leaf<Record<string, unknown>>(isPlainObject, "must be an action object"),
  v.looseObject({ t: time, do: v.unknown() }),
  v.transform((a) => a as Action),
);

/** The full schema of each action kind, built once. */
const kindSchemas = new WeakMap<ActionKind, v.GenericSchema<unknown, Action>>();

function kindSchema(kind: ActionKind): v.GenericSchema<unknown, Action> {
  let schema = kindSchemas.get(kind);
  if (schema === undefined) {
    schema = v.object({ t: time, do: v.literal(kind.do), ...kind.fields }) as unknown as v.GenericSchema<unknown, Action>;
    kindSchemas.set(kind, schema);
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Checks that need the whole scenario: ids unique, every reference names a node.

type PathItem = v.IssuePathItem;

/** valibot wants full path items; build them by walking the input along `keys`. */
function pathTo(root: unknown, keys: (string | number)[]): [PathItem, ...PathItem[]] {
  const items: PathItem[] = [];
  let input: unknown = root;
  for (const key of keys) {
    const value: unknown = (input as Record<string | number, unknown>)[key];
    items.push(
      typeof key === "number"
        ? { type: "array", origin: "value", input: input as unknown[], key, value }
        : { type: "object", origin: "value", input: input as Record<string, unknown>, key, value },
    );
    input = value;
  }
  return items as [PathItem, ...PathItem[]];
}

interface Problem {
  at: (string | number)[];
  says: string;
}

/** Node ids unique; every link names a node. */
function firstBrokenReference(s: Scenario): Problem | null {
  const firstIndex = new Map<string, number>();
  for (const [i, n] of s.nodes.entries()) {
    const earlier = firstIndex.get(n.id);
    if (earlier !== undefined) return { at: ["nodes", i, "id"], says: `must be unique (nodes[${earlier}] has the same id)` };
    firstIndex.set(n.id, i);
  }
  for (const [i, l] of (s.network.links ?? []).entries()) {
    const p = unknownNode(firstIndex, l.a, ["network", "links", i, "a"]) ?? unknownNode(firstIndex, l.b, ["network", "links", i, "b"]);
    if (p) return p;
  }
  return null;
}

function unknownNode(known: ReadonlyMap<string, unknown>, id: string, at: (string | number)[]): Problem | null {
  return known.has(id) ? null : { at, says: `must name one of the scenario's nodes (${quote(id)} is not one)` };
}

/** Where in an action a node id sits: the field that is the id, or else the first that mentions it. */
function fieldOf(a: Action, id: string): (string | number)[] {
  let mention: (string | number)[] = [];
  const walk = (x: unknown, at: (string | number)[]): (string | number)[] | null => {
    if (x === id) return at;
    if (typeof x === "string" && mention.length === 0 && x.includes(id)) mention = at;
    if (Array.isArray(x)) {
      for (const [k, item] of x.entries()) {
        const found = walk(item, [...at, k]);
        if (found) return found;
      }
    } else if (typeof x === "object" && x !== null) {
      for (const [k, item] of Object.entries(x)) {
        if (at.length === 0 && (k === "t" || k === "do")) continue;
        const found = walk(item, [...at, k]);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(a, []) ?? mention;
}

/**
 * Each action against its kind (the core ones and the lab's), then, in time order as the engine
 * applies them, every node it names: a node can be named once it is in the run, and a joining
 * node needs a new id and a role the lab has. Parsed actions replace the timeline's in place.
 */
function checkActions(s: Scenario, kinds: ReadonlyMap<string, ActionKind>, roles: readonly string[], labId: string): string | null {
  for (const [i, raw] of s.timeline.entries()) {
    const kind = typeof raw.do === "string" ? kinds.get(raw.do) : undefined;
    if (kind === undefined) return `timeline[${i}].do must be one of ${[...kinds.keys()].join(", ")}`;
    const parsed = v.safeParse(kindSchema(kind), raw, { abortEarly: true });
    if (!parsed.success) return describeIssue(parsed.issues[0], `timeline[${i}]`);
    const refined = kind.refine?.(parsed.output) ?? null;
    if (refined !== null) return `timeline[${i}].${refined.field} ${refined.says}`;
    s.timeline[i] = parsed.output;
  }

  const known = new Map<string, number>(s.nodes.map((n, i) => [n.id, i]));
  const knownRoles = roles.length === 0 ? `the ${labId} lab's nodes have no roles` : `the ${labId} lab's roles are ${roles.join(", ")}`;
  const order = s.timeline.map((a, i) => ({ a, i })).sort((p, q) => p.a.t - q.a.t || p.i - q.i);
  for (const { a, i } of order) {
    const kind = kinds.get(a.do)!;
    for (const id of kind.names?.(a) ?? []) {
      const p = unknownNode(known, id, ["timeline", i, ...fieldOf(a, id)]);
      if (p) return `${pathText(pathTo(s, p.at))} ${p.says}`;
    }
    const joins = kind.joins?.(a) ?? null;
    if (joins === null) continue;
    if (known.has(joins.node)) return `timeline[${i}].node must be a new node id (${quote(joins.node)} is already in the run)`;
    if (known.size + 1 > MAX_NODES) return `timeline[${i}] would take the run past ${MAX_NODES} nodes`;
    if (joins.role !== undefined && !roles.includes(joins.role)) return `timeline[${i}].role is ${quote(joins.role)}, but ${knownRoles}`;
    known.set(joins.node, known.size);
  }
  return null;
}

/**
 * The core schema of a current-version scenario (run `migrate` first for older ones). The annotation
 * is a check, not a cast: the composed output type must fit the public Scenario type.
 */
export const ScenarioSchema: v.GenericSchema<unknown, Scenario> = v.pipe(
  v.object(
    {
      v: leaf<typeof SCENARIO_VERSION>((x) => x === SCENARIO_VERSION, `must be ${SCENARIO_VERSION}`),
      lab: leaf<string>((x) => typeof x === "string" && /^[a-z0-9-]{1,40}$/.test(x), "must be a lab id of 1 to 40 characters from a-z, 0-9 and -"),
      name: v.optional(text(60)),
      title: v.optional(text(120)),
      seed: leaf<number>((x) => Number.isInteger(x) && inRange(x, 0, 2 ** 32 - 1), `must be a whole number between 0 and ${2 ** 32 - 1}`),
      until: leaf<number>((x) => inRange(x, 0, MAX_TIME_MS) && x > 0, `must be a duration in milliseconds above 0 and at most ${MAX_TIME_MS} (24 hours)`),
      nodes: list(nodeSchema, 1, MAX_NODES, `must be a list of 1 to ${MAX_NODES} nodes`),
      network: networkSchema,
      params: paramsSchema,
      timeline: list(actionShape, 0, MAX_ACTIONS, `must be a list of at most ${MAX_ACTIONS} actions`),
    },
    "must be a JSON object",
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const s = dataset.value as Scenario;
    const p = firstBrokenReference(s);
    if (p) addIssue({ message: p.says, path: pathTo(s, p.at) });
  }),
);

// ---------------------------------------------------------------------------------------------
// Turning valibot issues into one sentence.

/** Quoted for an error sentence: escaped onto one line and cut short, never echoed raw. */
function quote(s: string, max = 40): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return JSON.stringify(cut).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

function oneLine(s: string, max = 80): string {
  const flat = s.replace(/[\r\n\u2028\u2029]+/g, " ");
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** `nodes[2].clock.offset`, `params["odd key"]`; empty for the root. */
function pathText(path: readonly PathItem[] | undefined): string {
  let out = "";
  for (const item of path ?? []) {
    const key: unknown = item.key;
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) && key.length <= 40) out += out ? `.${key}` : key;
    else out += `[${quote(String(key))}]`;
  }
  return out;
}

function isMissingKey(issue: v.BaseIssue<unknown>): boolean {
  return /object|record/.test(issue.type) && issue.received === "undefined" && (issue.path?.length ?? 0) > 0;
}

function show(x: unknown): string {
  if (typeof x === "string") return quote(x);
  if (typeof x === "number" || typeof x === "boolean" || x === null) return String(x);
  return "the allowed value";
}

/**
 * Plain English for an issue raised with valibot's default message (the labs' own schemas
 * use those), so a lab author gets readable errors without writing messages.
 */
function translate(issue: v.BaseIssue<unknown>): string {
  const req = (issue as { requirement?: unknown }).requirement;
  switch (issue.type) {
    case "number":
      return "must be a number";
    case "string":
      return "must be text";
    case "boolean":
      return "must be true or false";
    case "object":
    case "loose_object":
    case "strict_object":
    case "object_with_rest":
    case "record":
      return "must be an object";
    case "array":
    case "tuple":
    case "strict_tuple":
    case "loose_tuple":
      return "must be a list";
    case "integer":
    case "safe_integer":
      return "must be a whole number";
    case "finite":
      return "must be a finite number";
    case "min_value":
      return `must be at least ${show(req)}`;
    case "max_value":
      return `must be at most ${show(req)}`;
    case "gt_value":
      return `must be greater than ${show(req)}`;
    case "lt_value":
      return `must be less than ${show(req)}`;
    case "min_length":
      return `must have a length of at least ${show(req)}`;
    case "max_length":
      return `must have a length of at most ${show(req)}`;
    case "length":
      return `must have a length of ${show(req)}`;
    case "literal":
    case "picklist":
    case "enum":
    case "union":
    case "variant":
      return `must be one of ${oneLine(issue.expected ?? "the allowed values")}`;
    default:
      return "is not valid";
  }
}

/** "nodes[2].x must be a number between 0 and 1", or "it must be …" at the root. */
function describeIssue(issue: v.BaseIssue<unknown>, prefix = ""): string {
  const where = pathText(issue.path);
  const subject = (prefix && where ? `${prefix}${where.startsWith("[") ? "" : "."}${where}` : prefix || where) || "it";
  if (isMissingKey(issue)) return `${subject} is missing`;
  // Our own messages never start like valibot's defaults ("Invalid type: …").
  const says = issue.message.startsWith("Invalid ") ? translate(issue) : issue.message;
  return `${subject} ${says}`;
}

function labIssue(issue: v.BaseIssue<unknown>, prefix: string): string {
  const where = pathText(issue.path);
  const subject = where ? `${prefix}.${where}` : prefix;
  return isMissingKey(issue) ? `${subject} is missing` : `${subject} ${translate(issue)}`;
}

// ---------------------------------------------------------------------------------------------

function parseUnsafe(input: unknown, labs: readonly LabParamsSchema[]): LoadResult {
  const migrated = migrate(input);
  if (!migrated.ok) return migrated;

  const core = v.safeParse(ScenarioSchema, migrated.value, { abortEarly: true });
  if (!core.success) return { ok: false, error: `The scenario is not valid: ${describeIssue(core.issues[0])}.` };
  const scenario = core.output;

  const lab = labs.find((l) => l.id === scenario.lab);
  if (lab === undefined) {
    const known = labs.map((l) => l.id).join(", ");
    return { ok: false, error: `Unknown lab "${scenario.lab}". Known labs: ${known || "none"}.` };
  }

  if (lab.nodeCount !== undefined) {
    const [min, max] = lab.nodeCount;
    const n = scenario.nodes.length;
    if (n < min || n > max) {
      return { ok: false, error: `The ${lab.id} lab runs with ${min} to ${max} nodes; this scenario has ${n}.` };
    }
  }

  const roles = lab.roles ?? [];
  const knownRoles = roles.length === 0 ? `the ${lab.id} lab's nodes have no roles` : `the ${lab.id} lab's roles are ${roles.join(", ")}`;
  for (const [i, n] of scenario.nodes.entries()) {
    if (n.role === undefined || roles.includes(n.role)) continue;
    return { ok: false, error: `The scenario is not valid: nodes[${i}].role is "${n.role}", but ${knownRoles}.` };
  }
  const actionProblem = checkActions(scenario, actionKinds(lab.actions), roles, lab.id);
  if (actionProblem !== null) return { ok: false, error: `The scenario is not valid: ${actionProblem}.` };

  const params = v.safeParse(lab.params, scenario.params, { abortEarly: true });
  if (!params.success) {
    return { ok: false, error: `The scenario's parameters are not valid for the ${lab.id} lab: ${labIssue(params.issues[0], "params")}.` };
  }

  // The engine applies `params.<key>` sets verbatim, so each must leave params the lab accepts.
  for (const [i, a] of scenario.timeline.entries()) {
    if (!isCore(a) || a.do !== "set" || !a.path.startsWith("params.")) continue;
    const keys = a.path.slice("params.".length).split(".");
    if (keys.some((k) => RESERVED.has(k))) {
      return { ok: false, error: `The scenario is not valid: timeline[${i}].path must not set ${a.path}.` };
    }
    const after = v.safeParse(lab.params, setIn(params.output, keys, a.value), { abortEarly: true });
    if (!after.success) {
      return {
        ok: false,
        error: `The scenario is not valid: timeline[${i}] sets ${a.path} to a value the ${lab.id} lab does not accept (${labIssue(after.issues[0], "params")}).`,
      };
    }
    // The engine sets what the lab's schema made of the value (its defaults filled in), so a
    // protocol reads every param parsed, whether it came with the scenario or by a `set`.
    scenario.timeline[i] = { ...a, value: getIn(after.output, keys) };
  }

  return { ok: true, scenario, params: params.output };
}

/**
 * Validate anything claiming to be a scenario: migrate it to the current version, check it
 * against the core schema, then against its lab's params. Never throws.
 */
export function parseScenario(input: unknown, labs: readonly LabParamsSchema[]): LoadResult {
  try {
    return parseUnsafe(input, labs);
  } catch {
    // Only a hostile object (a throwing getter, a Proxy) or a broken lab schema gets here.
    return { ok: false, error: "The scenario could not be read: it is not plain JSON data." };
  }
}
