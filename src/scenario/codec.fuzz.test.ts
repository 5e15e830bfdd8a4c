// Property tests for the one input strangers control. Whatever a link holds, decoding must not
// throw, and it must end in exactly one of two states: a scenario that validates again (and
// survives another trip through a link), or one readable sentence for the learner.

import fc from "fast-check";
import { deflateSync } from "fflate";
import { describe, expect, it } from "vitest";
import { labs } from "../labs/index.ts";
import { decodeLink, encodeScenario, fromBase64Url, toBase64Url } from "./codec.ts";
import { parseScenario, type LabParamsSchema, type LoadResult } from "./schema.ts";
import { testLabs } from "./test-labs.ts";
import type { Action, NodeSpec, Scenario } from "./types.ts";

const RUNS = 2000;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The real labs for the gallery, and a stand-in with fixed params rules for generated scenarios.
const allLabs: readonly LabParamsSchema[] = [...labs, ...testLabs];
const gallery: Scenario[] = labs.flatMap((l) => l.scenarios);
const payloads = gallery.map(encodeScenario);

const packText = (text: string): string => toBase64Url(deflateSync(new TextEncoder().encode(text), { level: 9 }));

/** The two allowed outcomes. */
function expectWellFormed(r: LoadResult): void {
  if (r.ok) {
    const again = parseScenario(r.scenario, allLabs);
    expect(again.ok).toBe(true);
    if (again.ok) expect(again.scenario).toEqual(r.scenario);
    const relinked = decodeLink(encodeScenario(r.scenario), allLabs);
    expect(relinked.ok).toBe(true);
    if (relinked.ok) expect(relinked.scenario).toEqual(r.scenario);
  } else {
    expect(typeof r.error).toBe("string");
    expect(r.error.length).toBeGreaterThan(0);
    expect(r.error).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(r.error).toMatch(/[.?]$/);
  }
}

// ---------------------------------------------------------------------------------------------
// Valid scenarios, so the round trip is tested far beyond the gallery.

// JSON cannot tell -0 from 0; normalise so toEqual compares like with like.
const unit = fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x + 0);
const ms = (min: number, max: number) => fc.integer({ min, max });
const latency = fc.tuple(ms(1, 60_000), ms(1, 60_000)).map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]);
const nodeId = fc
  .string({ unit: "binary", minLength: 1, maxLength: 40 })
  // The 40-character limit counts UTF-16 units, which astral characters take two of.
  .filter((id) => id.length <= 40 && !["__proto__", "constructor", "prototype"].includes(id));

const node: fc.Arbitrary<NodeSpec> = fc.record(
  {
    id: nodeId,
    x: unit,
    y: unit,
    clock: fc.record(
      {
        offset: ms(-3_600_000, 3_600_000),
        drift: fc.double({ min: -0.5, max: 0.5, noNaN: true }).map((x) => x + 0),
        step: fc.record({ at: ms(0, 100_000), by: ms(-3_600_000, 3_600_000) }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["id", "x", "y"] },
);

function actionOf(ids: string[]): fc.Arbitrary<Action> {
  const id = fc.constantFrom(...ids);
  const t = ms(0, 86_400_000);
  return fc.oneof(
    fc.record({ t, do: fc.constant("partition" as const), groups: fc.array(fc.array(id, { maxLength: 4 }), { maxLength: 4 }) }),
    fc.record({ t, do: fc.constant("heal" as const) }),
    fc.record({ t, do: fc.constantFrom("crash" as const, "restart" as const), node: id }),
    fc.record({ t, do: fc.constant("command" as const), node: id, cmd: fc.jsonValue({ maxDepth: 3 }).map((j) => JSON.parse(JSON.stringify(j)) as unknown) }),
    fc.record({ t, do: fc.constant("move" as const), node: id, x: unit, y: unit }),
  );
}

// A set action's value must fit its path, so pick the pair first.
const setAction = (t: fc.Arbitrary<number>): fc.Arbitrary<Action> =>
  fc
    .oneof(
      fc.record({ path: fc.constant("network.latency"), value: latency as fc.Arbitrary<unknown> }),
      fc.record({ path: fc.constantFrom("network.loss", "network.duplicate"), value: unit as fc.Arbitrary<unknown> }),
      fc.record({ path: fc.constant("network.reorder"), value: fc.boolean() as fc.Arbitrary<unknown> }),
      fc.record({ path: fc.constant("network.reach"), value: fc.double({ min: 0.01, max: 1.5, noNaN: true }) as fc.Arbitrary<unknown> }),
      fc.record({ path: fc.constant("params.interval"), value: ms(10, 10_000) as fc.Arbitrary<unknown> }),
    )
    .chain((pv) => t.map((at): Action => ({ t: at, do: "set", path: pv.path, value: pv.value })));

const validScenario: fc.Arbitrary<Scenario> = fc
  .uniqueArray(node, { minLength: 1, maxLength: 8, selector: (n) => n.id })
  .chain((nodes) => {
    const ids = nodes.map((n) => n.id);
    const refs = fc.constantFrom(...ids);
    return fc.record(
      {
        v: fc.constant(1 as const),
        lab: fc.constant("tick"),
        name: fc.string({ maxLength: 60 }),
        title: fc.string({ maxLength: 120 }),
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        until: ms(1, 86_400_000),
        nodes: fc.constant(nodes),
        network: fc.record(
          {
            latency,
            loss: unit,
            duplicate: unit,
            reorder: fc.boolean(),
            reach: fc.double({ min: 0.01, max: 1.5, noNaN: true }),
            links: fc.array(fc.record({ a: refs, b: refs, latency }), { maxLength: 5 }),
          },
          { requiredKeys: ["latency", "loss", "duplicate", "reorder"] },
        ),
        params: fc.record({ interval: ms(10, 10_000) }, { requiredKeys: [] }),
        timeline: fc.array(fc.oneof(actionOf(ids), setAction(ms(0, 86_400_000))), { maxLength: 20 }),
      },
      { requiredKeys: ["v", "lab", "seed", "until", "nodes", "network", "params", "timeline"] },
    );
  });

// ---------------------------------------------------------------------------------------------
// Mutations of something valid: what a damaged or tampered link looks like.

/** Every path into a JSON value, so a mutation can land anywhere in a scenario. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(value)) value.forEach((x, i) => out.push(...pathsOf(x, [...at, i])));
  else if (typeof value === "object" && value !== null) for (const [k, x] of Object.entries(value)) out.push(...pathsOf(x, [...at, k]));
  return out;
}

function replaceAt(root: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete parent[last];
  else parent[last] = value;
  return copy;
}

describe("decodeLink under fuzzing", () => {
  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) => {
        expectWellFormed(decodeLink(text, allLabs));
      }),
      { numRuns: RUNS },
    );
  });

  it("never throws on arbitrary base64url strings, bare or after #s=", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 600 }), fc.boolean(), (text, asLink) => {
        expectWellFormed(decodeLink(asLink ? `https://splitbrain.example/#s=${text}` : text, allLabs));
      }),
      { numRuns: RUNS },
    );
  });

  it("never throws on the encoding of any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectWellFormed(decodeLink(packText(JSON.stringify(value)), allLabs));
      }),
      { numRuns: RUNS },
    );
  });

  it("round-trips any valid scenario unchanged", () => {
    fc.assert(
      fc.property(validScenario, (s) => {
        const r = decodeLink(`https://splitbrain.example/#s=${encodeScenario(s)}`, allLabs);
        if (!r.ok) throw new Error(r.error);
        expect(r.scenario).toEqual(s);
      }),
      { numRuns: RUNS },
    );
  });

  it("never throws on a valid scenario with one field replaced by any JSON value or removed", () => {
    const mutated = fc
      .tuple(validScenario, fc.jsonValue({ maxDepth: 3 }), fc.boolean(), fc.nat())
      .map(([s, value, remove, pick]) => {
        const paths = pathsOf(s);
        return replaceAt(s, paths[pick % paths.length]!, value, remove);
      });
    fc.assert(
      fc.property(mutated, (json) => {
        expectWellFormed(decodeLink(packText(JSON.stringify(json)), allLabs));
      }),
      { numRuns: RUNS },
    );
  });

  it("never throws on a gallery payload cut short or with a character changed", () => {
    fc.assert(
      fc.property(fc.nat(payloads.length - 1), fc.nat(), fc.constantFrom(...ALPHABET), fc.boolean(), (which, at, ch, cut) => {
        const p = payloads[which]!;
        const i = at % p.length;
        const damaged = cut ? p.slice(0, i) : p.slice(0, i) + ch + p.slice(i + 1);
        expectWellFormed(decodeLink(`#s=${damaged}`, allLabs));
      }),
      { numRuns: RUNS },
    );
  });

  it("never throws on a gallery payload with compressed bits flipped, bytes dropped or bytes added", () => {
    fc.assert(
      fc.property(
        fc.nat(payloads.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("flip", "drop", "insert")), { minLength: 1, maxLength: 4 }),
        (which, edits) => {
          let bytes = Array.from(fromBase64Url(payloads[which]!)!);
          for (const [at, b, op] of edits) {
            const i = at % (bytes.length + 1);
            if (op === "flip" && i < bytes.length) bytes[i] = bytes[i]! ^ (1 << (b % 8));
            else if (op === "drop") bytes.splice(i, 1);
            else bytes.splice(i, 0, b);
          }
          expectWellFormed(decodeLink(toBase64Url(Uint8Array.from(bytes)), allLabs));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("parseScenario under fuzzing", () => {
  it("never throws on any JavaScript value", () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }), (value) => {
        const r = parseScenario(value, allLabs);
        if (!r.ok) expect(r.error).toMatch(/^[^\r\n\u2028\u2029]+\.$/);
      }),
      { numRuns: RUNS },
    );
  });
});
