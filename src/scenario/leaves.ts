// The leaves of the scenario schema: limits, predicates and the small valibot pieces the
// scenario's fields and every action kind's fields are built from. Each leaf is a `v.custom`
// predicate with its own message, so a broken field yields exactly one issue phrased in this
// domain ("must be a number between 0 and 1") rather than valibot's type-by-type chatter.

import * as v from "valibot";

export const MAX_TIME_MS = 86_400_000;
export const MAX_NODES = 64;
export const MAX_LINKS = 200;
export const MAX_ACTIONS = 20_000;
export const MAX_GROUPS = 64;
export const MAX_LATENCY_MS = 60_000;
export const MAX_ID_CHARS = 40;
export const MAX_OFFSET_MS = 3_600_000;
export const MAX_DRIFT = 0.5;

/**
 * Names that would reach Object.prototype if some code ever indexed a plain object by node id
 * or param key; refusing them here keeps every consumer safe without each having to care.
 */
export const RESERVED = new Set(["__proto__", "constructor", "prototype"]);

// JSON nested deeper than this is no command a lab understands, and the limits keep the check
// (and a later JSON.stringify) from walking a cyclic or exponentially shared object graph.
export const MAX_JSON_DEPTH = 64;
export const MAX_JSON_NODES = 1_000_000;

// ---------------------------------------------------------------------------------------------
// Predicates shared by the schema and the `set` action (which must obey the field it sets).

export const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
export const inRange = (x: unknown, lo: number, hi: number): x is number => isNum(x) && x >= lo && x <= hi;

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

export function isLatency(x: unknown): x is [number, number] {
  return (
    Array.isArray(x) &&
    x.length === 2 &&
    inRange(x[0], 1, MAX_LATENCY_MS) &&
    inRange(x[1], 1, MAX_LATENCY_MS) &&
    x[0] <= x[1]
  );
}

/** Plain JSON (what a link can carry), acyclic and bounded in depth and size. */
export function isJsonValue(root: unknown): boolean {
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

export interface Rule {
  test(x: unknown): boolean;
  says: string;
}

/** The network fields a `set` action may change, each with the rule the field itself obeys. */
export const NETWORK_RULES = {
  latency: { test: isLatency, says: `must be [min, max] in milliseconds with 1 <= min <= max <= ${MAX_LATENCY_MS}` },
  loss: { test: (x) => inRange(x, 0, 1), says: "must be a probability between 0 and 1" },
  duplicate: { test: (x) => inRange(x, 0, 1), says: "must be a probability between 0 and 1" },
  reorder: { test: (x) => typeof x === "boolean", says: "must be true or false" },
  reach: { test: (x) => inRange(x, 0, 1.5) && x > 0, says: "must be a distance above 0 and at most 1.5" },
} as const satisfies Record<string, Rule>;

/** One node's clock fields a `set` may change (`nodes.<id>.clock.<field>`). */
export const CLOCK_RULES = {
  offset: { test: (x) => inRange(x, -MAX_OFFSET_MS, MAX_OFFSET_MS), says: `must be a number of milliseconds between -${MAX_OFFSET_MS} and ${MAX_OFFSET_MS}` },
  drift: { test: (x) => inRange(x, -MAX_DRIFT, MAX_DRIFT), says: `must be a number between -${MAX_DRIFT} and ${MAX_DRIFT}` },
  step: {
    test: (x) => isPlainObject(x) && isNum(x.at) && x.at >= 0 && inRange(x.by, -MAX_OFFSET_MS, MAX_OFFSET_MS) && Object.keys(x).every((k) => k === "at" || k === "by"),
    says: "must be an object with at (a time in milliseconds) and by (milliseconds)",
  },
} as const satisfies Record<string, Rule>;

// network.<field>; params.<name> or one field of a param object (params.breaker.threshold, up
// to four names deep); nodes.<id>.clock.<field> for one node.
/** `nodes.<id>.clock.<field>`: a node's clock offset, drift or step (the id and field captured). */
export const CLOCK_PATH = /^nodes\.(.{1,40})\.clock\.(offset|drift|step)$/;

export const SET_PATH = /^(?:network\.(latency|loss|duplicate|reorder|reach)|params\.([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*){0,3})|nodes\.(.{1,40})\.clock\.(offset|drift|step))$/;

export function setRule(path: string): Rule {
  const m = SET_PATH.exec(path);
  const field = m?.[1] as keyof typeof NETWORK_RULES | undefined;
  if (field !== undefined) return NETWORK_RULES[field];
  const clock = m?.[4] as keyof typeof CLOCK_RULES | undefined;
  if (clock !== undefined) return CLOCK_RULES[clock];
  return { test: isJsonValue, says: "must be a JSON value" };
}

/** The node a `set` of `nodes.<id>.…` names, if it is one. */
export function setNode(path: string): string | undefined {
  return SET_PATH.exec(path)?.[3];
}

// ---------------------------------------------------------------------------------------------
// Schema building blocks.

export const leaf = <T>(test: (x: unknown) => boolean, says: string) => v.custom<T>(test, says);

/** Checks the length before valibot walks the items, so a huge list is refused at once. */
export function list<T extends v.GenericSchema>(item: T, min: number, max: number, says: string) {
  return v.pipe(
    v.custom<unknown[]>((x) => Array.isArray(x) && x.length >= min && x.length <= max, says),
    v.array(item, says),
  );
}

export const text = (max: number) => leaf<string>((x) => typeof x === "string" && x.length <= max, `must be text of at most ${max} characters`);
export const unit = leaf<number>((x) => inRange(x, 0, 1), "must be a number between 0 and 1");
export const offsetMs = leaf<number>((x) => inRange(x, -MAX_OFFSET_MS, MAX_OFFSET_MS), `must be a number of milliseconds between -${MAX_OFFSET_MS} and ${MAX_OFFSET_MS}`);
export const time = leaf<number>((x) => inRange(x, 0, MAX_TIME_MS), `must be a time in milliseconds between 0 and ${MAX_TIME_MS}`);
export const probability = leaf<number>(NETWORK_RULES.loss.test, NETWORK_RULES.loss.says);
// Existence is checked once every node is known (see firstBrokenReference).
export const nodeRef = leaf<string>((x) => typeof x === "string", "must be a node id");
export const jsonValue = leaf<unknown>(isJsonValue, "must be a JSON value");

// A fresh pair, so the parsed scenario shares no arrays with the input.
export const latency = v.pipe(
  leaf<[number, number]>(isLatency, NETWORK_RULES.latency.says),
  v.transform(([lo, hi]): [number, number] => [lo, hi]),
);

export const nodeId = v.custom<string>(
  (x) => typeof x === "string" && x.length >= 1 && x.length <= MAX_ID_CHARS && !RESERVED.has(x),
  (issue) =>
    typeof issue.input === "string" && RESERVED.has(issue.input)
      ? 'must not be "__proto__", "constructor" or "prototype"'
      : `must be text of 1 to ${MAX_ID_CHARS} characters`,
);

export const clockSchema = v.object(
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

export const roleName = leaf<string>((x) => typeof x === "string" && /^[a-z][a-z0-9-]{0,39}$/.test(x), "must be a role name of 1 to 40 characters from a-z, 0-9 and -");
