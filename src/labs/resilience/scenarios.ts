// Gallery scenarios for the resilience lab: clients c1..cN in a column on the left, the front
// in the middle, the downstream on the right; every node reaches every other.

import { scenario } from "../../scenario/build.ts";
import type { Action, NodeSpec } from "../../scenario/types.ts";

export function fleet(clients: number): NodeSpec[] {
  const out: NodeSpec[] = [];
  for (let i = 0; i < clients; i++) out.push({ id: `c${i + 1}`, x: 0.15, y: Math.round((1000 * (i + 0.5)) / clients) / 1000, role: "client" });
  out.push({ id: "front", x: 0.5, y: 0.5, role: "front" });
  out.push({ id: "db", x: 0.85, y: 0.5, role: "downstream" });
  return out;
}

const base = (name: string, title: string, params: Record<string, unknown>, timeline: Action[], until = 30_000, clients = 5, seed = 7) =>
  scenario({ lab: "resilience", name, title, seed, until, nodes: fleet(clients), network: { latency: [2, 8], reach: 1.5 }, params, timeline });

export const scenarios = [
  // A network that loses one message in ten, and no idempotency keys: a lost request and a lost
  // answer look the same to the client — a timeout — but after a lost answer the work was done,
  // and the retry does it again.
  scenario({
    lab: "resilience",
    name: "lossy",
    title: "The network is not reliable",
    seed: 7,
    until: 20_000,
    nodes: fleet(5),
    network: { latency: [2, 8], reach: 1.5, loss: 0.1 },
    params: { idempotencyKeys: false },
    timeline: [],
  }),
  // The downstream slows by 300 ms at 5 s: answers come after the clients' 250 ms timeout, the
  // clients retry, and without idempotency keys the downstream charges some operations twice.
  base("double-charge", "A slow answer and a retry: charged twice", { idempotencyKeys: false, timeout: 250, callTimeout: 1_000 }, [
    { t: 5_000, do: "fail", node: "db", mode: "slow", latency: 300 },
    { t: 15_000, do: "recover", node: "db" },
  ], 20_000),
  // Load above capacity for 5 s: a huge queue turns the burst into seconds of latency that
  // outlast it (every answer later than the clients' timeout); a bounded queue sheds instead.
  base("overload-queue", "A brief overload and an unbounded queue", { queue: 100_000, interval: 40, breaker: { enabled: false, window: 20, threshold: 0.5, minVolume: 10, openMs: 5_000, halfOpenTrials: 3 } }, [
    { t: 4_000, do: "set", path: "params.interval", value: 12 },
    { t: 9_000, do: "set", path: "params.interval", value: 40 },
  ], 25_000),
  // The same outage with no breaker: every request waits out its timeout, is retried, and the
  // front's queue fills with work that can only fail.
  base("outage-no-breaker", "The same outage, no breaker", { breaker: { enabled: false, window: 20, threshold: 0.5, minVolume: 10, openMs: 5_000, halfOpenTrials: 3 } }, [
    { t: 8_000, do: "fail", node: "db", mode: "down" },
    { t: 18_000, do: "recover", node: "db" },
  ]),
  // The downstream goes hard down at 8 s and comes back at 18 s. With the breaker on, the front
  // stops calling it once half the recent calls fail, answers 503 at once, and after 5 s lets
  // three trial calls through: they fail while it is down, succeed once it is back.
  base("outage-breaker", "A downstream outage, with a circuit breaker", {}, [
    { t: 8_000, do: "fail", node: "db", mode: "down" },
    { t: 18_000, do: "recover", node: "db" },
  ]),
  // Twelve clients each start an operation at the same moment, 6 s, just as the downstream
  // fails every call for a second. With exponential backoff and no jitter every client sleeps
  // exactly as long as the others: the retries come back together, in waves.
  base(
    "retry-storm",
    "Synchronized retries, a thundering herd",
    { backoff: "exponential", retries: 6, base: 100, interval: 3_000, concurrency: { mode: "fixed", limit: 50 }, capacity: 40, service: [20, 25], breaker: { enabled: false, window: 20, threshold: 0.5, minVolume: 10, openMs: 5_000, halfOpenTrials: 3 } },
    [
      { t: 6_000, do: "fail", node: "db", mode: "errors", errorRate: 1 },
      ...Array.from({ length: 12 }, (_, i): Action => ({ t: 6_000, do: "command", node: `c${i + 1}`, cmd: "op" })),
      { t: 7_000, do: "recover", node: "db" },
    ],
    15_000,
    12,
  ),
  // At 6 s the route between the front and the downstream breaks (a partition), both still up;
  // at 12 s it is back. The front's calls time out, its breaker opens, probes, and closes.
  base("partition", "The topology changes", {}, [
    { t: 6_000, do: "partition", groups: [["db"], ["front", "c1", "c2", "c3", "c4", "c5"]] },
    { t: 12_000, do: "heal" },
  ], 20_000),
];
