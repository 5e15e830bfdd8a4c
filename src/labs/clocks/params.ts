// The clocks lab's params: the one place their defaults live. Links depend on these names.
import * as v from "valibot";

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const share = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

export const clocksParams = v.pipe(
  v.object({
    /** ms between a node's own events (plus up to half again, drawn). */
    interval: v.optional(int(5, 60_000), 500),
    /** Share of a node's own events that send a chat message to one peer. */
    sends: v.optional(share, 0.4),
    /** Share that write the replicated register (the write goes to every peer); the rest are local events. */
    writes: v.optional(share, 0.2),
    /** How the last-writer-wins register orders writes: by the writer's physical clock, or by its HLC. */
    order: v.optional(v.picklist(["physical", "hlc"]), "physical"),
    /**
     * The hybrid logical clock's rule: the paper's (a separate counter c), or its first, naive
     * algorithm, which bumps l itself when physical time has not passed it.
     */
    hlc: v.optional(v.picklist(["paper", "naive"]), "paper"),
    /** ms between two readings a physical clock can tell apart (its tick). */
    resolution: v.optional(int(1, 1_000), 1),
    /** ± ms each node believes its clock to be within (the TrueTime-style interval shown for it). */
    uncertainty: v.optional(int(0, 60_000), 10),
  }),
  v.check((p) => p.sends + p.writes <= 1, "sends and writes together must be at most 1"),
);

export type ClocksParams = v.InferOutput<typeof clocksParams>;
