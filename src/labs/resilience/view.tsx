// The resilience lab's panel: faults for the downstream (down, failing half its calls, slow,
// recovered), what the run has counted so far, and a switch or a slider for every mechanism —
// the front's breaker; the clients' timeout, retries, backoff and idempotency keys; the front's
// queue, token bucket, priority shedding, call timeout and concurrency limit; the downstream's
// capacity. Each control records one `set` of a param (one field of an object param, as
// `params.breaker.enabled`), so a learner can turn a mechanism off mid-run and watch.
import { useId, useState } from "react";
import { Slider } from "../../ui/controls/Slider.tsx";
import type { LabViewProps } from "../ui-types.ts";
import { BACKOFFS, type Backoff } from "./backoff.ts";
import type { Fault, ResilienceParams } from "./params.ts";
import type { ResilienceNodeView } from "./protocol.ts";
import type { Metrics } from "./series.ts";
import { frontOf, secs } from "./stage.tsx";
import "./view.css";

const BACKOFF_NAMES: Record<Backoff, string> = {
  none: "none (retry at once)",
  exponential: "exponential",
  "full-jitter": "exponential, full jitter",
  "equal-jitter": "exponential, equal jitter",
  decorrelated: "decorrelated jitter",
};

const MODE_NAMES = { fixed: "fixed", aimd: "AIMD (loss-based)", vegas: "Vegas (latency-based)" } as const;

/** Values for a slider that spans orders of magnitude: it moves along this list (and the run's value). */
const INTERVALS = [5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 5000];
const QUEUES = [1, 2, 5, 10, 20, 40, 60, 100, 200, 500, 1000, 10_000, 100_000];

function faultWords(node: string, f: Fault | undefined): string {
  if (f === undefined) return `${node} is healthy.`;
  if (f.mode === "down") return `${node} is down: it takes calls and never answers.`;
  if (f.mode === "errors") return `${node} fails ${Math.round(f.errorRate * 100)} % of its calls with 500.`;
  if (f.mode === "slow") return `${node} is slow: ${f.latency} ms added to every call.`;
  return `${node} is back and warming up: its capacity returns over ${f.over / 1000} s from ${(f.since / 1000).toFixed(1)} s.`;
}

/**
 * A switch or a choice shows the learner's click at once; the run's params catch up after the
 * replay the action starts, and once they change, whatever they say wins.
 */
function useShown<T>(run: T): [T, (v: T) => void] {
  const [pending, setPending] = useState<{ v: T; run: T } | null>(null);
  const shown = pending !== null && Object.is(pending.run, run) ? pending.v : run;
  return [shown, (v: T) => setPending({ v, run })];
}

function Toggle({ label, checked, onChange }: { label: string; checked: boolean; onChange(v: boolean): void }) {
  const [shown, show] = useShown(checked);
  return (
    <label className="toggle">
      <input
        type="checkbox"
        checked={shown}
        onChange={(e) => {
          show(e.target.checked);
          onChange(e.target.checked);
        }}
      />{" "}
      {label}
    </label>
  );
}

function Choice<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: readonly { value: T; name: string }[]; onChange(v: T): void }) {
  const [shown, show] = useShown(value);
  const id = useId();
  // The label apart from the select, so that its name is the label's words alone.
  return (
    <span className="res-choice">
      <label htmlFor={id}>{label}</label>{" "}
      <select
        id={id}
        value={shown}
        onChange={(e) => {
          show(e.target.value as T);
          onChange(e.target.value as T);
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.name}
          </option>
        ))}
      </select>
    </span>
  );
}

/** A slider along a list of values (with the run's own among them). */
function Steps({ label, values, value, onSettle }: { label(v: number): string; values: readonly number[]; value: number; onSettle(v: number): void }) {
  const list = [...new Set([...values, value])].sort((a, b) => a - b);
  return <Slider label={(i) => label(list[i] ?? value)} min={0} max={list.length - 1} step={1} value={list.indexOf(value)} onSettle={(i) => onSettle(list[i] ?? value)} />;
}

export function ResilienceView({ nodes, act, series, params }: LabViewProps<ResilienceNodeView>) {
  const m = series.metrics as Metrics | undefined;
  const p = params as ResilienceParams;
  // Params arrive with the run; before it starts there is nothing to adjust.
  if (m === undefined || p.breaker === undefined) return null;
  const set = (path: string, value: unknown) => act({ do: "set", path: `params.${path}`, value });
  const front = frontOf(nodes);
  const db = nodes.find((n) => n.view.status === "up" && n.view.role === "downstream")?.id ?? Object.keys(p.faults)[0] ?? "db";
  const fault = p.faults[db];
  const clients = nodes.filter((n) => n.view.status === "up" && n.view.role === "client").length;
  const breaker = front?.view.status === "up" ? (p.breaker.enabled ? front.view.breaker.state : "off") : (front?.view.status ?? "—");
  const t = m.totals;
  const meanService = (p.service[0] + p.service[1]) / 2;
  return (
    <div className="res-panel">
      <fieldset className="lab-controls">
        <legend>The downstream, {db}</legend>
        <div className="lab-actions res-faults">
          <button type="button" onClick={() => act({ do: "fail", node: db, mode: "down" })}>
            Take {db} down
          </button>
          <button type="button" onClick={() => act({ do: "fail", node: db, mode: "errors", errorRate: 0.5 })}>
            Fail 50 % of calls
          </button>
          <button type="button" onClick={() => act({ do: "fail", node: db, mode: "slow", latency: 400 })}>
            Slow by 400 ms
          </button>
          <button type="button" disabled={fault === undefined} onClick={() => act({ do: "recover", node: db })}>
            Recover
          </button>
          <button type="button" disabled={fault === undefined} onClick={() => act({ do: "recover", node: db, over: 5_000 })}>
            Recover slowly (5 s)
          </button>
        </div>
        <p className={`res-fault${fault === undefined ? "" : " faulty"}`}>{faultWords(db, fault)}</p>
        <Slider label={(v) => `works on ${v} ${v === 1 ? "call" : "calls"} at once`} min={1} max={Math.max(50, p.capacity)} step={1} value={p.capacity} onSettle={(v) => set("capacity", v)} />
        <p className="hint">
          Each call takes {p.service[0]}–{p.service[1]} ms: about {Math.round((p.capacity * 1000) / Math.max(1, meanService))} calls/s at most.
        </p>
      </fieldset>
      <dl className="lab-counters res-counters">
        <div className={`res-breaker-state ${breaker}`}>
          <dt>breaker</dt>
          <dd>{breaker}</dd>
        </div>
        <div>
          <dt>operations</dt>
          <dd>{t.ops}</dd>
        </div>
        <div>
          <dt>succeeded</dt>
          <dd>{t.ok}</dd>
        </div>
        <div>
          <dt>failed</dt>
          <dd>{t.failed}</dd>
        </div>
        <div>
          <dt>attempts</dt>
          <dd>{t.attempts}</dd>
        </div>
        <div>
          <dt>retries</dt>
          <dd>{t.retries}</dd>
        </div>
        <div>
          <dt>rejected</dt>
          <dd>{t.rejected}</dd>
        </div>
        <div>
          <dt>shed</dt>
          <dd>{t.shed}</dd>
        </div>
        <div>
          <dt>late answers</dt>
          <dd>{t.late}</dd>
        </div>
        <div className={m.duplicates > 0 ? "warn" : undefined}>
          <dt>duplicate executions</dt>
          <dd>{m.duplicates}</dd>
        </div>
      </dl>
      <fieldset className="lab-controls">
        <legend>Circuit breaker (at the front)</legend>
        <Toggle label="Breaker on" checked={p.breaker.enabled} onChange={(v) => set("breaker.enabled", v)} />
        <Slider label={(v) => `opens at ${v} % errors`} min={5} max={100} step={5} value={Math.round(p.breaker.threshold * 100)} onSettle={(v) => set("breaker.threshold", v / 100)} />
        <Slider label={(v) => `over the last ${v} ${v === 1 ? "call" : "calls"}`} min={1} max={Math.max(100, p.breaker.window)} step={1} value={p.breaker.window} onSettle={(v) => set("breaker.window", v)} />
        <Slider label={(v) => `once it has ${v} ${v === 1 ? "call" : "calls"}`} min={1} max={Math.max(p.breaker.window, p.breaker.minVolume)} step={1} value={p.breaker.minVolume} onSettle={(v) => set("breaker.minVolume", v)} />
        <Slider label={(v) => `stays open ${secs(v)}`} min={0} max={Math.max(30_000, p.breaker.openMs)} step={250} value={p.breaker.openMs} onSettle={(v) => set("breaker.openMs", v)} />
        <Slider label={(v) => `${v} ${v === 1 ? "trial" : "trials"} to close`} min={1} max={Math.max(10, p.breaker.halfOpenTrials)} step={1} value={p.breaker.halfOpenTrials} onSettle={(v) => set("breaker.halfOpenTrials", v)} />
      </fieldset>
      <fieldset className="lab-controls">
        <legend>Clients{clients > 0 ? ` (${clients})` : ""}</legend>
        <Steps label={(v) => `an operation every ${v} ms each`} values={INTERVALS} value={p.interval} onSettle={(v) => set("interval", v)} />
        {clients > 0 && <p className="hint">About {Math.round((clients * 1000) / p.interval)} operations/s offered in all.</p>}
        <Slider label={(v) => `gives an attempt up after ${v} ms`} min={50} max={Math.max(5_000, p.timeout)} step={50} value={p.timeout} onSettle={(v) => set("timeout", v)} />
        <Slider label={(v) => (v === 1 ? "1 attempt: no retries" : `at most ${v} attempts`)} min={1} max={Math.max(10, p.retries)} step={1} value={p.retries} onSettle={(v) => set("retries", v)} />
        <Choice label="Backoff" value={p.backoff} options={BACKOFFS.map((b) => ({ value: b, name: BACKOFF_NAMES[b] }))} onChange={(v) => set("backoff", v)} />
        {p.backoff !== "none" && (
          <>
            <Slider label={(v) => `base ${v} ms`} min={0} max={Math.max(1_000, p.base)} step={10} value={p.base} onSettle={(v) => set("base", v)} />
            <Slider label={(v) => `cap ${secs(v)}`} min={0} max={Math.max(10_000, p.cap)} step={100} value={p.cap} onSettle={(v) => set("cap", v)} />
          </>
        )}
        <Toggle label="Idempotency keys: the downstream runs a repeated operation once" checked={p.idempotencyKeys} onChange={(v) => set("idempotencyKeys", v)} />
      </fieldset>
      <fieldset className="lab-controls">
        <legend>The front</legend>
        <Steps label={(v) => `queue holds ${v.toLocaleString("en")} at most`} values={QUEUES} value={p.queue} onSettle={(v) => set("queue", v)} />
        <Toggle label="Priority: shed batch work once the queue is half full" checked={p.priority} onChange={(v) => set("priority", v)} />
        <Slider label={(v) => `waits ${v} ms for ${db}`} min={50} max={Math.max(5_000, p.callTimeout)} step={50} value={p.callTimeout} onSettle={(v) => set("callTimeout", v)} />
        <Choice label="Concurrency limit" value={p.concurrency.mode} options={(["fixed", "aimd", "vegas"] as const).map((v) => ({ value: v, name: MODE_NAMES[v] }))} onChange={(v) => set("concurrency.mode", v)} />
        <Slider
          label={(v) => `${p.concurrency.mode === "fixed" ? "" : "from "}${v} ${v === 1 ? "call" : "calls"} in flight`}
          min={1}
          max={Math.max(100, p.concurrency.limit)}
          step={1}
          value={p.concurrency.limit}
          onSettle={(v) => set("concurrency.limit", v)}
        />
        <Toggle label="Token bucket: 429 when it is empty" checked={p.limiter.enabled} onChange={(v) => set("limiter.enabled", v)} />
        <Slider label={(v) => `refills ${v} tokens/s`} min={1} max={Math.max(500, p.limiter.rate)} step={1} value={p.limiter.rate} onSettle={(v) => set("limiter.rate", v)} />
        <Slider label={(v) => `holds ${v} at most`} min={0} max={Math.max(200, p.limiter.burst)} step={1} value={p.limiter.burst} onSettle={(v) => set("limiter.burst", v)} />
      </fieldset>
    </div>
  );
}
