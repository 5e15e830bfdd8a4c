// The resilience lab's stage: the front's circuit breaker as a state machine, and the run's
// charts. Closed, open and half-open are three states with the four transitions between them;
// the state the breaker is in now is filled, the transition that fired last is drawn bold and
// its reason written out (a token runs along it for a moment after it fires). Under the machine,
// what the breaker is counting in its state: the rolling window of outcomes and its error rate
// against the threshold while closed, the time left until it tries again while open, the trial
// calls while half-open. A breaker switched off closes from any state: that transition has no
// arrow, the machine greys out and the list of transitions says so. Beside it (below, on a
// narrow screen) the charts over the whole run (charts.tsx). A switch shows either alone.
import { useState } from "react";
import type { DownView } from "../../sim/types.ts";
import type { LabStageProps } from "../ui-types.ts";
import { errorRate, type Breaker, type BreakerConfig, type BreakerStateName } from "./breaker.ts";
import { Charts, useSize } from "./charts.tsx";
import type { ResilienceParams } from "./params.ts";
import type { FrontView, ResilienceNodeView } from "./protocol.ts";
import type { BreakerChange, Metrics } from "./series.ts";
import "./view.css";

/** Transitions listed under the machine, latest first. */
const HISTORY = 5;

/** How long, in virtual ms, a transition counts as just fired (its token runs along it). */
const FRESH_MS = 1_500;

export const pct = (r: number) => `${Number((r * 100).toFixed(1))} %`;
export const secs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`);

/** The front's view, if it is running. */
export function frontOf(nodes: LabStageProps<ResilienceNodeView>["nodes"]): { id: string; view: FrontView } | { id: string; view: DownView } | undefined {
  for (const n of nodes) if (n.view.status === "up" && n.view.role === "front") return { id: n.id, view: n.view };
  // A front that crashed keeps no role in its view: the scenarios name it "front".
  const down = nodes.find((n) => n.id === "front");
  return down === undefined || down.view.status === "up" ? undefined : { id: down.id, view: down.view };
}

// ---------------------------------------------------------------------------------------------
// The state machine.

const POS: Record<BreakerStateName, { x: number; y: number }> = {
  closed: { x: 62, y: 62 },
  open: { x: 258, y: 62 },
  "half-open": { x: 160, y: 168 },
};
const R = 34;
const f = (n: number) => n.toFixed(1);

type Edge = { from: BreakerStateName; to: BreakerStateName; bend: number; label(cfg: BreakerConfig): string; anchor: "start" | "middle" | "end" };

const EDGES: Edge[] = [
  { from: "closed", to: "open", bend: -24, label: (c) => `errors ≥ ${pct(c.threshold)}`, anchor: "middle" },
  { from: "open", to: "half-open", bend: -26, label: (c) => `after ${secs(c.openMs)}`, anchor: "start" },
  { from: "half-open", to: "open", bend: -26, label: () => "a trial fails", anchor: "end" },
  { from: "half-open", to: "closed", bend: -26, label: (c) => `${c.halfOpenTrials} ${c.halfOpenTrials === 1 ? "trial passes" : "trials pass"}`, anchor: "end" },
];

/** An edge's curve (a quadratic from circle to circle), its arrowhead and where its label goes. */
function geometry(e: Edge) {
  const a = POS[e.from];
  const b = POS[e.to];
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy);
  const nx = -dy / len;
  const ny = dx / len;
  const c = { x: (a.x + b.x) / 2 + nx * e.bend, y: (a.y + b.y) / 2 + ny * e.bend };
  const unit = (p: { x: number; y: number }, q: { x: number; y: number }) => {
    const l = Math.hypot(q.x - p.x, q.y - p.y);
    return { x: (q.x - p.x) / l, y: (q.y - p.y) / l };
  };
  const ua = unit(a, c);
  const ub = unit(b, c);
  const start = { x: a.x + ua.x * R, y: a.y + ua.y * R };
  const end = { x: b.x + ub.x * (R + 2), y: b.y + ub.y * (R + 2) };
  // The arrowhead points along the curve's last direction (from the control point to the end).
  const d = unit(c, end);
  const head = `M${f(end.x + d.x * 2)} ${f(end.y + d.y * 2)}L${f(end.x - d.x * 9 - d.y * 5)} ${f(end.y - d.y * 9 + d.x * 5)}L${f(end.x - d.x * 9 + d.y * 5)} ${f(end.y - d.y * 9 - d.x * 5)}Z`;
  const mid = { x: 0.25 * start.x + 0.5 * c.x + 0.25 * end.x, y: 0.25 * start.y + 0.5 * c.y + 0.25 * end.y };
  const side = Math.sign(e.bend);
  const label = { x: mid.x + nx * side * 9, y: mid.y + ny * side * 9 + (ny * side > 0.3 ? 9 : ny * side < -0.3 ? -2 : 4) };
  return { path: `M${f(start.x)} ${f(start.y)}Q${f(c.x)} ${f(c.y)} ${f(end.x)} ${f(end.y)}`, head, label };
}

const GEOMETRY = EDGES.map(geometry);

const STATE_WORDS: Record<BreakerStateName, string> = {
  closed: "closed: calls go through",
  open: "open: calls refused at once",
  "half-open": "half-open: trial calls only",
};

function Machine({ state, last, cfg, fresh, index }: { state: BreakerStateName | null; last: BreakerChange | undefined; cfg: BreakerConfig; fresh: boolean; index: number }) {
  const fired = (e: Edge) => last !== undefined && last.from === e.from && last.to === e.to;
  return (
    <svg
      className={`res-machine${cfg.enabled ? "" : " off"}`}
      viewBox="0 0 320 214"
      role="img"
      aria-label={`The front's circuit breaker: ${state === null ? "not running" : cfg.enabled ? STATE_WORDS[state] : "switched off"}${last !== undefined ? `; last ${last.from} to ${last.to}: ${last.reason}` : ""}`}
    >
      {EDGES.map((e, i) => {
        const g = GEOMETRY[i]!;
        const on = fired(e);
        return (
          <g key={`${e.from}-${e.to}`} className={`edge${on ? " fired" : ""}`}>
            <path className="arc" d={g.path} />
            <path className="head" d={g.head} />
            <text x={f(g.label.x)} y={f(g.label.y)} textAnchor={e.anchor}>
              {e.label(cfg)}
            </text>
            {/* Keyed by the transition, so the token starts again for each one that fires. */}
            {on && fresh && (
              <circle key={index} className="token" r="4.5">
                <animateMotion dur="0.7s" fill="freeze" path={g.path} />
              </circle>
            )}
          </g>
        );
      })}
      {(Object.keys(POS) as BreakerStateName[]).map((s) => (
        <g key={s} className={`state ${s}${s === state ? " now" : ""}`}>
          <circle cx={POS[s].x} cy={POS[s].y} r={R} />
          <text x={POS[s].x} y={POS[s].y} dy="0.35em" textAnchor="middle">
            {s}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** The rolling window, oldest first, filled from the right: a failure full height, a success lower. */
function Window({ outcomes, size }: { outcomes: readonly boolean[]; size: number }) {
  const n = Math.max(1, size);
  const cell = 300 / n;
  const gap = cell >= 6 ? 1.5 : 0;
  const offset = n - outcomes.length;
  const failed = outcomes.filter((o) => !o).length;
  return (
    <svg className="res-window" viewBox={`0 0 300 18`} preserveAspectRatio="none" role="img" aria-label={`The window: the last ${outcomes.length} of ${n} calls, ${failed} failed`}>
      <rect className="slot" x="0" y="0" width="300" height="18" />
      {outcomes.map((ok, i) => (
        <rect key={i} className={ok ? "ok" : "fail"} x={(offset + i) * cell + gap / 2} width={Math.max(0.5, cell - gap)} y={ok ? 6 : 0} height={ok ? 12 : 18} />
      ))}
    </svg>
  );
}

/** A bar from 0 to 100 %: the value filled, the threshold a tick. */
function Gauge({ value, mark, label, tone }: { value: number; mark?: number; label: string; tone: string }) {
  return (
    <div className={`res-gauge ${tone}`} role="img" aria-label={label}>
      <span className="fill" style={{ width: `${Math.max(0, Math.min(1, value)) * 100}%` }} />
      {mark !== undefined && <span className="mark" style={{ left: `${Math.max(0, Math.min(1, mark)) * 100}%` }} />}
    </div>
  );
}

function Counting({ b, cfg, time }: { b: Breaker; cfg: BreakerConfig; time: number }) {
  if (!cfg.enabled) return <p className="res-state-note">The breaker is off: every call goes to the downstream, whatever its error rate.</p>;
  if (b.state === "open") {
    const left = cfg.openMs - (time - b.openedAt);
    return (
      <div className="res-counting">
        <p className="res-state-note">
          Refusing every call with 503 at once.{" "}
          {left > 0 ? (
            <>
              Half-open in <strong>{secs(left)}</strong>.
            </>
          ) : (
            "Its wait is over: the next call is a trial."
          )}
        </p>
        <Gauge value={cfg.openMs === 0 ? 1 : 1 - Math.max(0, left) / cfg.openMs} label={`${secs(Math.max(0, left))} of ${secs(cfg.openMs)} left before half-open`} tone="open" />
      </div>
    );
  }
  if (b.state === "half-open") {
    const n = Math.max(1, Math.floor(cfg.halfOpenTrials));
    return (
      <div className="res-counting">
        <p className="res-state-note">
          Trials: <strong>{b.trialsStarted}</strong> started, <strong>{b.trialsSucceeded}</strong> succeeded of {n}. All must succeed to close; one failure reopens it.
        </p>
        <div className="res-trials" role="img" aria-label={`${b.trialsSucceeded} of ${n} trials succeeded, ${b.trialsStarted - b.trialsSucceeded} waiting`}>
          {Array.from({ length: n }, (_, i) => (
            <span key={i} className={i < b.trialsSucceeded ? "ok" : i < b.trialsStarted ? "waiting" : "idle"} />
          ))}
        </div>
      </div>
    );
  }
  const size = Math.max(1, Math.floor(cfg.window));
  const volume = Math.max(1, Math.min(Math.floor(cfg.minVolume), size));
  const rate = errorRate(b);
  const failed = b.outcomes.filter((o) => !o).length;
  return (
    <div className="res-counting">
      <Window outcomes={b.outcomes} size={size} />
      <p className="res-state-note">
        Error rate <strong>{pct(rate)}</strong> ({failed} of {b.outcomes.length}) against {pct(cfg.threshold)}
        {b.outcomes.length < volume ? `; it counts from ${volume} calls` : ""}.
      </p>
      <Gauge value={rate} mark={cfg.threshold} label={`Error rate ${pct(rate)}, opens at ${pct(cfg.threshold)}`} tone={rate >= cfg.threshold ? "open" : "closed"} />
    </div>
  );
}

function BreakerPanel({ front, cfg, metrics, time, seek }: { front: ReturnType<typeof frontOf>; cfg: BreakerConfig; metrics: Metrics; time: number; seek(t: number): void }) {
  const b = front?.view.status === "up" ? front.view.breaker : null;
  const ts = metrics.transitions;
  const last = ts.at(-1);
  const fresh = last !== undefined && time >= last.t && time - last.t < FRESH_MS;
  return (
    <section className="res-breaker" aria-label="The front's circuit breaker">
      <Machine state={b?.state ?? null} last={last} cfg={cfg} fresh={fresh} index={ts.length} />
      {b === null ? <p className="res-state-note">The front is {front?.view.status ?? "not running"}: no breaker to show.</p> : <Counting b={b} cfg={cfg} time={time} />}
      {last === undefined ? (
        <p className="res-last res-muted">No transition yet.</p>
      ) : (
        <ol className="res-history" aria-label="The breaker's transitions, latest first">
          {ts
            .slice(-HISTORY)
            .reverse()
            .map((c, i) => (
              <li key={ts.length - i} className={i === 0 ? "last" : undefined}>
                <button type="button" className="res-at" onClick={() => seek(c.t)} aria-label={`Go to ${(c.t / 1000).toFixed(2)} s, when the breaker went ${c.to}`}>
                  {(c.t / 1000).toFixed(2)} s
                </button>{" "}
                <strong>
                  {c.from} → {c.to}
                </strong>
                : {c.reason}
              </li>
            ))}
          {ts.length > HISTORY && <li className="res-muted">and {ts.length - HISTORY} earlier</li>}
        </ol>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// The stage.

type Show = "all" | "machine" | "charts";

export function ResilienceStage({ series, time, nodes, params, seek }: LabStageProps<ResilienceNodeView>) {
  const m = series.metrics as Metrics | undefined;
  const p = params as ResilienceParams;
  const [show, setShow] = useState<Show>("all");
  const [box, { w }] = useSize();
  const [chartBox, size] = useSize();
  if (m === undefined || p.breaker === undefined) return <p className="hint">The breaker and the charts appear once the run starts.</p>;
  const wide = w >= 620;
  const front = frontOf(nodes);
  // Beside the machine, or alone, the charts fill the stage's height; under the machine each
  // keeps a set height and the stage scrolls.
  const fill = wide || show === "charts";
  return (
    <figure ref={box} className={`res-stage${wide ? " wide" : ""} show-${show}`}>
      <div className="res-stage-head">
        <div className="view-switch" role="group" aria-label="The breaker stage shows">
          {(
            [
              ["all", "Machine and charts"],
              ["machine", "State machine"],
              ["charts", "Charts"],
            ] as const
          ).map(([key, label]) => (
            <button key={key} type="button" aria-pressed={show === key} onClick={() => setShow(key)}>
              {label}
            </button>
          ))}
        </div>
        {show !== "machine" && (
          <p className="hint">
            Behind the charts, the breaker <span className="key band open">open</span> and <span className="key band half-open">half-open</span>. Click a chart to go to that moment.
          </p>
        )}
      </div>
      <div className="res-body">
        {show !== "charts" && <BreakerPanel front={front} cfg={p.breaker} metrics={m} time={time} seek={seek} />}
        {show !== "machine" && (
          <div ref={chartBox} className={`res-charts${fill ? " fill" : ""}`}>
            {size.w > 0 && (
              <Charts
                metrics={m}
                live={front?.view.status === "up" ? { queue: front.view.queue, limit: Math.round(front.view.limit * 10) / 10, tokens: front.view.tokens } : null}
                time={time}
                seek={seek}
                w={size.w}
                h={size.h}
                fill={fill}
                bounds={{ queue: p.queue, burst: p.limiter.enabled ? p.limiter.burst : null, capacity: p.capacity }}
              />
            )}
          </div>
        )}
      </div>
    </figure>
  );
}
