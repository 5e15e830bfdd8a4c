// The scenario schema. A scenario arrives from a link anyone can craft, so everything the engine
// later trusts without checking (node references, latency floors, probabilities, JSON-only
// payloads) is enforced here, and every refusal is one sentence a learner can act on.
//
// Leaves are `v.custom` predicates with their own message, so each broken field yields exactly
// one issue phrased in this domain ("must be a number between 0 and 1") rather than valibot's
// type-by-type chatter; structure (objects, lists, the action variant) is plain valibot.

import * as v from "valibot";
import { migrate } from "./migrate.ts";
import { getIn, setIn } from "./paths.ts";
import { SCENARIO_VERSION, type Scenario } from "./types.ts";

export const MAX_TIME_MS = 86_400_000;
export const MAX_NODES = 64;
export const MAX_LINKS = 200;
export const MAX_ACTIONS = 20_000;
export const MAX_GROUPS = 64;
export const MAX_LATENCY_MS = 60_000;
const MAX_ID_CHARS = 40;
const MAX_OFFSET_MS = 3_600_000;
const MAX_DRIFT = 0.5;

/**
 * Names that would reach Object.prototype if some code ever indexed a plain object by node id
 * or param key; refusing them here keeps every consumer safe without each having to care.
 */
const RESERVED = new Set(["__proto__", "constructor", "prototype"]);

// JSON nested deeper than this is no command a lab understands, and the limits keep the check
// (and a later JSON.stringify) from walking a cyclic or exponentially shared object graph.
const MAX_JSON_DEPTH = 64;
const MAX_JSON_NODES = 1_000_000;

export interface LabParamsSchema {
  id: string;
  params: v.GenericSchema<unknown, Record<string, unknown>>;
  /** How many nodes the lab runs with, [min, max] (Raft: 3 to 9). */
  nodeCount?: readonly [number, number];
  /** The roles its nodes can take (none: every node runs the same protocol). */
  roles?: readonly string[];
}

export type LoadResult = { ok: true; scenario: Scenario; params: Record<string, unknown> } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------
// Predicates shared by the schema and the `set` action (which must obey the field it sets).

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const inRange = (x: unknown, lo: number, hi: number): x is number => isNum(x) && x >= lo && x <= hi;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function isLatency(x: unknown): x is [number, number] {
  return (
    Array.isArray(x) &&
    x.length === 2 &&
    inRange(x[0], 1, MAX_LATENCY_MS) &&
    inRange(x[1], 1, MAX_LATENCY_MS) &&
    x[0] <= x[1]
  );
}

/** Plain JSON (what a link can carry), acyclic and bounded in depth and size. */
function isJsonValue(root: unknown): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  let seen = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (++seen > MAX_JSON_NODES || depth > MAX_JSON_DEPTH) return false;
    if (value === null || typeof value === "string" || typeof value === "boolean") continue;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return false;
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    if (!isPlainObject(value)) return false;
    for (const key of Object.keys(value)) stack.push({ value: value[key], depth: depth + 1 });
  }
  return true;
}

interface Rule {
  test(x: unknown): boolean;
  says: string;
}

/** The network fields a `set` action may change, each with the rule the field itself obeys. */
const NETWORK_RULES = {
  latency: { test: isLatency, says: `must be [min, max] in milliseconds with 1 <= min <= max <= ${MAX_LATENCY_MS}` },
  loss: { test: (x) => inRange(x, 0, 1), says: "must be a probability between 0 and 1" },
  duplicate: { test: (x) => inRange(x, 0, 1), says: "must be a probability between 0 and 1" },
  reorder: { test: (x) => typeof x === "boolean", says: "must be true or false" },
  reach: { test: (x) => inRange(x, 0, 1.5) && x > 0, says: "must be a distance above 0 and at most 1.5" },
} as const satisfies Record<string, Rule>;

/** One node's clock fields a `set` may change (`nodes.<id>.clock.<field>`). */
const CLOCK_RULES = {
  offset: { test: (x) => inRange(x, -MAX_OFFSET_MS, MAX_OFFSET_MS), says: `must be a number of milliseconds between -${MAX_OFFSET_MS} and ${MAX_OFFSET_MS}` },
  drift: { test: (x) => inRange(x, -MAX_DRIFT, MAX_DRIFT), says: `must be a number between -${MAX_DRIFT} and ${MAX_DRIFT}` },
  step: {
    test: (x) => isPlainObject(x) && isNum(x.at) && x.at >= 0 && inRange(x.by, -MAX_OFFSET_MS, MAX_OFFSET_MS) && Object.keys(x).every((k) => k === "at" || k === "by"),
    says: "must be an object with at (a time in milliseconds) and by (milliseconds)",
  },
} as const satisfies Record<string, Rule>;

// network.<field>; params.<name> or one field of a param object (params.breaker.threshold, up
// to four names deep); nodes.<id>.clock.<field> for one node.
const SET_PATH = /^(?:network\.(latency|loss|duplicate|reorder|reach)|params\.([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*){0,3})|nodes\.(.{1,40})\.clock\.(offset|drift|step))$/;

function setRule(path: string): Rule {
  const m = SET_PATH.exec(path);
  const field = m?.[1] as keyof typeof NETWORK_RULES | undefined;
  if (field !== undefined) return NETWORK_RULES[field];
  const clock = m?.[4] as keyof typeof CLOCK_RULES | undefined;
  if (clock !== undefined) return CLOCK_RULES[clock];
  return { test: isJsonValue, says: "must be a JSON value" };
}

/** The node a `set` of `nodes.<id>.…` names, if it is one. */
function setNode(path: string): string | undefined {
  return SET_PATH.exec(path)?.[3];
}

// ---------------------------------------------------------------------------------------------
// Schema building blocks.

const leaf = <T>(test: (x: unknown) => boolean, says: string) => v.custom<T>(test, says);

/** Checks the length before valibot walks the items, so a huge list is refused at once. */
function list<T extends v.GenericSchema>(item: T, min: number, max: number, says: string) {
  return v.pipe(
    v.custom<unknown[]>((x) => Array.isArray(x) && x.length >= min && x.length <= max, says),
    v.array(item, says),
  );
}

const text = (max: number) => leaf<string>((x) => typeof x === "string" && x.length <= max, `must be text of at most ${max} characters`);
const unit = leaf<number>((x) => inRange(x, 0, 1), "must be a number between 0 and 1");
const offsetMs = leaf<number>((x) => inRange(x, -MAX_OFFSET_MS, MAX_OFFSET_MS), `must be a number of milliseconds between -${MAX_OFFSET_MS} and ${MAX_OFFSET_MS}`);
const time = leaf<number>((x) => inRange(x, 0, MAX_TIME_MS), `must be a time in milliseconds between 0 and ${MAX_TIME_MS}`);
const probability = leaf<number>(NETWORK_RULES.loss.test, NETWORK_RULES.loss.says);
// Existence is checked once every node is known (see firstBrokenReference).
const nodeRef = leaf<string>((x) => typeof x === "string", "must be a node id");
const jsonValue = leaf<unknown>(isJsonValue, "must be a JSON value");

// A fresh pair, so the parsed scenario shares no arrays with the input.
const latency = v.pipe(
  leaf<[number, number]>(isLatency, NETWORK_RULES.latency.says),
  v.transform(([lo, hi]): [number, number] => [lo, hi]),
);

const nodeId = v.custom<string>(
  (x) => typeof x === "string" && x.length >= 1 && x.length <= MAX_ID_CHARS && !RESERVED.has(x),
  (issue) =>
    typeof issue.input === "string" && RESERVED.has(issue.input)
      ? 'must not be "__proto__", "constructor" or "prototype"'
      : `must be text of 1 to ${MAX_ID_CHARS} characters`,
);

const clockSchema = v.object(
  {
    offset: v.optional(offsetMs),
    drift: v.optional(leaf<number>((x) => inRange(x, -MAX_DRIFT, MAX_DRIFT), `must be a number between -${MAX_DRIFT} and ${MAX_DRIFT}`)),
    step: v.optional(
      v.object(
        {
          at: leaf<number>((x) => isNum(x) && x >= 0, "must be a time in milliseconds of at least 0"),
          by: offsetMs,
        },
        "must be an object with at and by",
      ),
    ),
  },
  "must be an object with optional offset, drift and step",
);

const roleName = leaf<string>((x) => typeof x === "string" && /^[a-z][a-z0-9-]{0,39}$/.test(x), "must be a role name of 1 to 40 characters from a-z, 0-9 and -");

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

const ACTION_KINDS = ["partition", "heal", "crash", "restart", "set", "command", "move", "add-node", "remove-node"] as const;

const setSchema = v.pipe(
  v.object({
    t: time,
    do: v.literal("set"),
    path: leaf<string>(
      (x) => typeof x === "string" && SET_PATH.test(x),
      "must be network.latency, network.loss, network.duplicate, network.reorder, network.reach, params.<name>[.<field>] or nodes.<id>.clock.<offset|drift|step>",
    ),
    value: v.custom<unknown>(() => true),
  }),
  v.forward(
    v.check(
      (a) => setRule(a.path).test(a.value),
      (issue) => setRule((issue.input as { path: string }).path).says,
    ),
    ["value"],
  ),
);

const actionSchema = v.pipe(
  leaf<Record<string, unknown>>(isPlainObject, "must be an action object"),
  v.variant(
    "do",
    [
      v.object({
        t: time,
        do: v.literal("partition"),
        groups: list(list(nodeRef, 0, MAX_NODES, `must be a list of at most ${MAX_NODES} node ids`), 0, MAX_GROUPS, `must be a list of at most ${MAX_GROUPS} groups of node ids`),
      }),
      v.object({ t: time, do: v.literal("heal") }),
      v.object({ t: time, do: v.literal("crash"), node: nodeRef }),
      v.object({ t: time, do: v.literal("restart"), node: nodeRef }),
      setSchema,
      v.object({ t: time, do: v.literal("command"), node: nodeRef, cmd: jsonValue }),
      v.object({ t: time, do: v.literal("move"), node: nodeRef, x: unit, y: unit }),
      v.object({ t: time, do: v.literal("add-node"), node: nodeId, role: v.optional(roleName), x: v.optional(unit), y: v.optional(unit) }),
      v.object({ t: time, do: v.literal("remove-node"), node: nodeRef }),
    ],
    `must be one of ${ACTION_KINDS.join(", ")}`,
  ),
);

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

function firstBrokenReference(s: Scenario): Problem | null {
  const firstIndex = new Map<string, number>();
  for (const [i, n] of s.nodes.entries()) {
    const earlier = firstIndex.get(n.id);
    if (earlier !== undefined) return { at: ["nodes", i, "id"], says: `must be unique (nodes[${earlier}] has the same id)` };
    firstIndex.set(n.id, i);
  }
  const unknown = (id: string, at: (string | number)[]): Problem | null =>
    firstIndex.has(id) ? null : { at, says: `must name one of the scenario's nodes (${quote(id)} is not one)` };

  for (const [i, l] of (s.network.links ?? []).entries()) {
    const p = unknown(l.a, ["network", "links", i, "a"]) ?? unknown(l.b, ["network", "links", i, "b"]);
    if (p) return p;
  }
  // In time order (as the engine applies them): a node can be named once it has joined.
  const order = s.timeline.map((a, i) => ({ a, i })).sort((p, q) => p.a.t - q.a.t || p.i - q.i);
  let joined = 0;
  for (const { a, i } of order) {
    let p: Problem | null = null;
    if (a.do === "add-node") {
      const earlier = firstIndex.get(a.node);
      if (earlier !== undefined) return { at: ["timeline", i, "node"], says: `must be a new node id (${quote(a.node)} is already in the run)` };
      if (s.nodes.length + ++joined > MAX_NODES) return { at: ["timeline", i], says: `would take the run past ${MAX_NODES} nodes` };
      firstIndex.set(a.node, s.nodes.length + joined - 1);
      continue;
    }
    if (a.do === "partition") {
      outer: for (const [g, group] of a.groups.entries()) {
        for (const [k, id] of group.entries()) {
          p = unknown(id, ["timeline", i, "groups", g, k]);
          if (p) break outer;
        }
      }
    } else if ("node" in a) {
      p = unknown(a.node, ["timeline", i, "node"]);
    } else if (a.do === "set" && setNode(a.path) !== undefined) {
      p = unknown(setNode(a.path)!, ["timeline", i, "path"]);
    }
    if (p) return p;
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
      timeline: list(actionSchema, 0, MAX_ACTIONS, `must be a list of at most ${MAX_ACTIONS} actions`),
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
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const subject = pathText(issue.path) || "it";
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
  for (const [i, a] of scenario.timeline.entries()) {
    if (a.do !== "add-node" || a.role === undefined || roles.includes(a.role)) continue;
    return { ok: false, error: `The scenario is not valid: timeline[${i}].role is "${a.role}", but ${knownRoles}.` };
  }

  const params = v.safeParse(lab.params, scenario.params, { abortEarly: true });
  if (!params.success) {
    return { ok: false, error: `The scenario's parameters are not valid for the ${lab.id} lab: ${labIssue(params.issues[0], "params")}.` };
  }

  // The engine applies `params.<key>` sets verbatim, so each must leave params the lab accepts.
  for (const [i, a] of scenario.timeline.entries()) {
    if (a.do !== "set" || !a.path.startsWith("params.")) continue;
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
