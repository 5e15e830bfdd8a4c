// Paths into plain objects, as `set` actions name them (`params.breaker.threshold`): the engine
// applies them and the schema checks what they leave behind, with the same code.

type Plain = Record<string, unknown>;

const isPlain = (x: unknown): x is Plain => typeof x === "object" && x !== null && !Array.isArray(x);

/** `obj` with the value at `keys` replaced: new objects along the path, everything else shared. */
export function setIn(obj: Plain, keys: readonly string[], value: unknown): Plain {
  const [k, ...rest] = keys;
  if (k === undefined) return obj;
  if (rest.length === 0) return { ...obj, [k]: value };
  const inner = obj[k];
  return { ...obj, [k]: setIn(isPlain(inner) ? inner : {}, rest, value) };
}

/** The value at `keys`, or undefined where the path leaves the objects. */
export function getIn(obj: unknown, keys: readonly string[]): unknown {
  let at = obj;
  for (const k of keys) at = isPlain(at) ? at[k] : undefined;
  return at;
}
