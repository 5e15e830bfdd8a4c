// Stand-in labs for the scenario tests: params with known rules and defaults, so the tests pin
// this module's behaviour and not whatever a real lab's params are this week.

import * as v from "valibot";
import type { LabParamsSchema } from "./schema.ts";

export const testLabs: readonly LabParamsSchema[] = [
  { id: "tick", params: v.object({ interval: v.optional(v.pipe(v.number(), v.minValue(10), v.maxValue(10_000)), 200) }) },
  { id: "vote", params: v.object({ timeout: v.optional(v.tuple([v.number(), v.number()]), [150, 300]) }) },
];
