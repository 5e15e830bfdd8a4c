// The ring lab's params: the one place their defaults live. Links depend on these names.
import * as v from "valibot";
import { STRATEGIES } from "./placement.ts";

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const serverId = v.pipe(v.string(), v.minLength(1), v.maxLength(40));

export const ringParams = v.pipe(
  v.object({
    /** How keys are placed on servers. */
    strategy: v.optional(v.picklist(STRATEGIES), "ring"),
    /** Virtual nodes per server (the ring strategy). */
    vnodes: v.optional(int(1, 1000), 150),
    /** Copies of each key: its preference list's length. */
    replicas: v.optional(int(1, 9), 3),
    /** Replies a read waits for. */
    r: v.optional(int(1, 9), 2),
    /** Acknowledgements a write waits for. */
    w: v.optional(int(1, 9), 2),
    /** When preferred replicas do not answer, write to the next servers with a hint (hinted handoff) instead of refusing. */
    sloppy: v.optional(v.boolean(), false),
    /** How many keys the clients use. */
    keys: v.optional(int(1, 5000), 200),
    /** Share of requests that go to one key (k000000). */
    hotKey: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0),
    /**
     * Share of requests that go to the first tenth of the keys (k000000 up): a contiguous run of
     * keys, as recent timestamps or sequential ids make. Range sharding puts it on one server.
     */
    hotRange: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0),
    /** ms between a client's requests (plus up to half again, drawn). */
    interval: v.optional(int(5, 60_000), 200),
    /** Share of requests that are writes. */
    writes: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0.5),
    /** ms a client waits for a quorum before it tries fallbacks (sloppy) or gives up. */
    timeout: v.optional(int(10, 60_000), 250),
    /**
     * The shard map's history: the servers placement started from and each join and leave
     * since. The lab's add-server and remove-server actions write it; absent, placement starts
     * from the servers the run has.
     */
    shard: v.optional(
      v.object({
        initial: v.array(serverId),
        changes: v.array(v.object({ op: v.picklist(["join", "leave"]), server: serverId })),
      }),
    ),
  }),
  v.check((p) => p.r <= p.replicas && p.w <= p.replicas, "r and w must each be at most replicas"),
);

/** Keys k000000 up to (not including) this one make the hot range. */
export const hotRangeEnd = (keys: number) => Math.max(1, Math.floor(keys / 10));

export type RingParams = v.InferOutput<typeof ringParams>;
