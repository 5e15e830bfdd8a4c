// The Raft lab's params: the one place their defaults live. The protocol, the panel and the
// lesson read the parsed value (every host parses a scenario's params before it runs).
import * as v from "valibot";

const ms = (min: number, max: number) => v.pipe(v.number(), v.minValue(min), v.maxValue(max));

export const raftParams = v.object({
  /** [min, max] ms of the randomized election timeout (§5.2). */
  electionTimeout: v.optional(
    v.pipe(
      v.tuple([ms(1, 60_000), ms(1, 60_000)]),
      v.check(([a, b]) => a <= b, "the minimum must not exceed the maximum"),
    ),
    [150, 300],
  ),
  /** ms between a leader's heartbeats. */
  heartbeat: v.optional(ms(1, 10_000), 50),
  /** Raft's safety rules; each can be switched off to watch what it prevents. */
  rules: v.optional(
    v.object({
      electionRestriction: v.optional(v.boolean(), true),
      currentTermCommit: v.optional(v.boolean(), true),
      persistVote: v.optional(v.boolean(), true),
    }),
    {},
  ),
  });

export type RaftParams = v.InferOutput<typeof raftParams>;
