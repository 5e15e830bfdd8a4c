// The resilience lesson. What each text says about its run, and what its "Try" promises, is
// pinned in lesson.test.ts.
import type { LessonStep } from "../types.ts";

const noBreaker = { enabled: false, window: 20, threshold: 0.5, minVolume: 10, openMs: 5_000, halfOpenTrials: 3 };

export const lesson: LessonStep[] = [
  {
    title: "The network is not reliable",
    scenario: "lossy",
    text:
      "The network loses one message in ten. A lost request and a lost answer look the same to a client, a timeout, but after a lost answer the downstream has done the work, and the retry does it again: with no idempotency keys, 60 operations execute twice — a double charge. " +
      "Try: send each operation's id as an idempotency key: the same 243 retries, and no operation executes twice.",
    fix: { label: "Idempotency keys on", set: [{ path: "params.idempotencyKeys", value: true }] },
  },
  {
    title: "Latency is not zero",
    scenario: "double-charge",
    text:
      "At 5 s the downstream slows by 300 ms, past the clients' 250 ms timeout: 280 answers arrive after their client gave up and retried, and 86 operations are charged twice. " +
      "Try: idempotency keys: the downstream answers a repeat from what it remembers, and nothing is charged twice.",
    fix: { label: "Idempotency keys on", set: [{ path: "params.idempotencyKeys", value: true }] },
  },
  {
    title: "A queue with no bound turns a burst into an outage",
    scenario: "overload-queue",
    text:
      "From 4 s to 9 s the clients ask three times what the downstream can do, and the front queues everything: its queue reaches 7,658 requests, answers come seconds late, and 3,653 of 4,580 operations fail, 3,735 answers arriving after their client gave up. " +
      "Try: bound the queue at 40: the front refuses 4,113 requests at once, 3,402 operations succeed instead of 678, and no answer comes too late.",
    fix: { label: "A queue of 40", set: [{ path: "params.queue", value: 40 }] },
  },
  {
    title: "An outage with no breaker",
    scenario: "outage-no-breaker",
    text:
      "From 8 s to 18 s the downstream is hard down, and the front keeps calling it: every call waits out its 500 ms, the queue fills to 40, 217 answers come after their client gave up, and the slowest successful operations take 890 ms. " +
      "Try: a circuit breaker: it opens at 8.9 s, and the slowest take 100 ms.",
    fix: { label: "Breaker on", set: [{ path: "params.breaker", value: { ...noBreaker, enabled: true } }] },
  },
  {
    title: "A breaker fails fast, probes, and closes",
    scenario: "outage-breaker",
    text:
      "The breaker opens at 8.89 s, when half of the last 20 calls failed, and the front answers 503 at once instead of calling: 647 requests refused fast. " +
      "At 13.9 s it lets three trial calls through (half-open); one fails and it opens again at 14.4 s; at 19.4 s, with the downstream back, three trials succeed and it closes. " +
      "Try: take the downstream down again from the panel and watch it open.",
  },
  {
    title: "Synchronized retries, a thundering herd",
    scenario: "retry-storm",
    text:
      "Twelve clients start an operation at 6 s as the downstream fails every call for a second; with exponential backoff and no jitter they all sleep alike, so all twelve retries land within 20 ms at 6.24 s, and again at 6.68 s. " +
      "Try: full jitter: each sleep is drawn between zero and the exponential one, and no 20 ms ever holds more than 3 retries.",
    fix: { label: "Full jitter", set: [{ path: "params.backoff", value: "full-jitter" }] },
  },
  {
    title: "The topology changes",
    scenario: "partition",
    text:
      "At 6 s the route between the front and db breaks, though both stay up: calls time out after 500 ms, 19 of them are answered 504, and once half of the last 20 have failed the breaker opens at 7.04 s. " +
      "At 12 s the route is back; at 12.05 s three trial calls go through and it closes at 12.11 s. " +
      "Try: drag db away from the front in the network view while the run plays, then back.",
  },
];
