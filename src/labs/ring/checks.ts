// The ring lab's checks, live in the page and at the end in the CLI:
//
// - No acknowledged write lost: at the end, some server in the ring holds each key's newest
//   acknowledged version, or a later one.
// - No stale read under a strict quorum: a read that began after a write was acknowledged
//   returns that write or a later version, whenever r + w > replicas and sloppy is off. With
//   sloppy on (or a loose quorum) a stale read is what the learner chose: counted and shown by
//   the lab's panel, not flagged.

import { defineCheck, type Check } from "../checking.ts";
import { ledgerStep, lostWrites, newLedger, type Ledger } from "./ledger.ts";

/** What the checks' ledger reads (the requests per server it also counts come from sends, which the checks do not need). */
const KINDS = ["set", "add-node", "remove-node", "stored", "ack", "refused", "begin", "read"];

const version = (n: unknown, by: unknown) => (n === undefined ? "nothing" : `version ${String(n)} by ${String(by)}`);

export const noLostWrites: Check<Ledger> = defineCheck<Ledger>({
  id: "no-lost-writes",
  title: "No acknowledged write is lost",
  kinds: KINDS,
  init: (ctx) => newLedger(ctx.scenario, ctx.params),
  step(l, e) {
    ledgerStep(l, e);
  },
  finish(l, end) {
    return lostWrites(l).map(({ key, ack }) => ({
      check: "no-lost-writes",
      message: `${key}: the write acknowledged at ${(ack.t / 1000).toFixed(3)} s (${version(ack.n, ack.by)}) is on no server in the ring`,
      t: end,
      events: [ack.seq],
    }));
  },
});

export const noStaleReads: Check<Ledger> = defineCheck<Ledger>({
  id: "no-stale-reads",
  title: "A read under a strict quorum sees every write acknowledged before it began",
  kinds: KINDS,
  init: (ctx) => newLedger(ctx.scenario, ctx.params),
  step(l, e) {
    const stale = ledgerStep(l, e);
    if (stale === undefined || !stale.strict) return;
    return [
      {
        check: "no-stale-reads",
        message: `${String(e.node)} read ${String(e.key)} and got ${version(e.n, e.by)}, but ${version(stale.ack.n, stale.ack.by)} was acknowledged before the read began`,
        t: e.t,
        events: [stale.ack.seq, e.seq],
      },
    ];
  },
});

export const checks = [noLostWrites, noStaleReads];
