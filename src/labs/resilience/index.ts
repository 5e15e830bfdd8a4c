import { defineLab } from "../define.ts";
import { fail, recover } from "./actions.ts";
import { checks } from "./checks.ts";
import { lesson } from "./lesson.ts";
import { resilienceLabel, resilienceTone } from "./node-view.ts";
import { resilienceParams } from "./params.ts";
import { resilienceProtocols, type ResilienceNodeView } from "./protocol.ts";
import { scenarios } from "./scenarios.ts";
import { metrics, percentile, type Metrics } from "./series.ts";

export const resilienceLab = defineLab<ResilienceNodeView>({
  id: "resilience",
  title: "Resilience",
  summary: "Timeouts, retries with jitter, circuit breakers, rate limits, load shedding and idempotency keys, under failures you inject.",
  inProduction:
    "In production: resilience4j and Hystrix breakers, Envoy's outlier detection and retry budgets, Netflix's concurrency-limits, Stripe's idempotency keys, the AWS SDKs' jittered backoff.",
  protocol: resilienceProtocols,
  params: resilienceParams,
  // Okabe–Ito, as the other labs.
  messageKinds: [
    { kind: "req", light: "#0072b2", dark: "#3d9be0" },
    { kind: "res", light: "#56b4e9", dark: "#56b4e9" },
    { kind: "call", light: "#d55e00", dark: "#e07a2e" },
    { kind: "done", light: "#009e73", dark: "#2fbf8f" },
  ],
  label: resilienceLabel,
  tone: resilienceTone,
  tones: {
    open: { fill: "#f6d5d2", stroke: "#b2182b", darkFill: "#4f1d1d", darkStroke: "#ff8a80" },
    "half-open": { fill: "#fbe3a6", stroke: "#8a5a00", darkFill: "#5a4515", darkStroke: "#f0b44c" },
  },
  actions: [fail, recover],
  checks,
  reducers: [metrics],
  summarize(series) {
    const m = series.metrics as Metrics;
    return {
      goodput: Math.round((m.totals.ok / Math.max(1, m.lastT / 1000)) * 100) / 100,
      p50: percentile(m, 0.5),
      p99: percentile(m, 0.99),
      rejected: m.totals.rejected,
      shed: m.totals.shed,
      retries: m.totals.retries,
      duplicateExecutions: m.duplicates,
      breakerTransitions: m.transitions.map(({ t, from, to }) => ({ t: Math.round(t), from, to })),
      operations: m.totals.ops,
      failedOperations: m.totals.failed,
    };
  },
  scenarios,
  lesson,
});
