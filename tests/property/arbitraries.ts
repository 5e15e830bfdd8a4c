// Shared fast-check generators for scenario properties: faults and networks, in the scenario's
// own shapes, so every property test draws from the same vocabulary.

import fc from "fast-check";
import type { Action, NetworkSpec } from "../../src/scenario/types.ts";

/** A network with faults: latency [min, min + jitter], loss and duplication up to `worst`, reordering or not. */
export function networkArb(o: { maxLatency: number; maxJitter: number; worst: number }): fc.Arbitrary<NetworkSpec> {
  return fc.record({
    latency: fc
      .tuple(fc.integer({ min: 1, max: o.maxLatency }), fc.integer({ min: 0, max: o.maxJitter }))
      .map(([a, b]) => [a, a + b] as [number, number]),
    loss: fc.double({ min: 0, max: o.worst, noNaN: true }),
    duplicate: fc.double({ min: 0, max: o.worst, noNaN: true }),
    reorder: fc.boolean(),
  });
}

/** Partitions (up to three named groups), heals, crashes and restarts among `ids`, at times up to `until`. */
export function faultArb(ids: string[], until: number): fc.Arbitrary<Action> {
  const node = fc.constantFrom(...ids);
  const t = fc.integer({ min: 0, max: until });
  return fc.oneof(
    fc.record({ t, do: fc.constant("partition" as const), groups: fc.array(fc.subarray(ids, { minLength: 1 }), { minLength: 1, maxLength: 3 }) }),
    fc.record({ t, do: fc.constant("heal" as const) }),
    fc.record({ t, do: fc.constant("crash" as const), node }),
    fc.record({ t, do: fc.constant("restart" as const), node }),
  );
}
