// The gossip lab's own timeline action: every node that is up counts at once. Concurrent
// increments on every node are what a grow-only counter is for; the learner watches them merge.

import * as v from "valibot";
import { defineAction } from "../../scenario/actions.ts";

export const countAll = defineAction<{ t: number; do: "count-all"; by: number }>({
  do: "count-all",
  fields: { by: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 1) },
  apply(a, run) {
    for (const id of run.nodes()) if (run.status(id) === "up") run.command(id, { inc: a.by });
  },
  label: (a) => `every node counts ${a.by}`,
});
