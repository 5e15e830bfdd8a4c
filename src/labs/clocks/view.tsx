// The clocks lab's panel: each node's physical clock (its reading, a TrueTime-style interval,
// offset and drift sliders and a step backwards), the register and the order it keeps writes
// by, the HLC rule, the workload, what the run has shown (messages received before they were
// sent, writes lost under each order, how far HLC got ahead), and the ShiViz export.
import { useMemo } from "react";
import { Slider } from "../../ui/controls/Slider.tsx";
import type { LabViewProps } from "../ui-types.ts";
import { readClock } from "./clocks.ts";
import type { ClocksView } from "./protocol.ts";
import { lostWrites, type Spacetime } from "./series.ts";
import { shivizLog } from "./shiviz.ts";
import { localAt } from "./skews.ts";
import "./view.css";

/** How far back the step button puts a clock, in ms. */
const STEP_BACK = 500;

const secs = (ms: number) => (ms / 1000).toFixed(3);

export function ClocksView({ nodes, act, series, time }: LabViewProps<ClocksView>) {
  const s = series.spacetime as Spacetime | undefined;
  const events = s?.events ?? [];
  // Lost writes compare every pair of writes: once per new event, not per frame.
  const lost = useMemo(() => ({ physical: lostWrites(events, "physical").length, hlc: lostWrites(events, "hlc").length }), [events.length]); // eslint-disable-line react-hooks/exhaustive-deps
  const ahead = useMemo(() => events.reduce((m, e) => Math.max(m, e.hlc.l - e.pt), 0), [events.length]); // eslint-disable-line react-hooks/exhaustive-deps
  if (s === undefined) return null;
  const p = s.params;
  const set = (path: string, value: unknown) => act({ do: "set", path, value });
  const download = () => {
    const url = URL.createObjectURL(new Blob([shivizLog(events)], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "splitbrain-clocks.shiviz.log";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  const viewOf = new Map(nodes.map((n) => [n.id, n.view]));
  return (
    <div className="clocks-panel">
      <table className="clocks-table">
        <caption>Each node's physical clock now, and what it believes true time to be (± {p.uncertainty} ms, as TrueTime reports an interval)</caption>
        <thead>
          <tr>
            <th scope="col">node</th>
            <th scope="col">clock reads</th>
            <th scope="col">interval</th>
            <th scope="col">register</th>
          </tr>
        </thead>
        <tbody>
          {s.skews.nodes.map((n) => {
            const reads = readClock(localAt(s.skews, n, time), p.resolution);
            const inside = Math.abs(reads - time) <= p.uncertainty;
            const v = viewOf.get(n);
            return (
              <tr key={n}>
                <th scope="row">{n}</th>
                <td>{secs(reads)} s</td>
                <td className={inside ? undefined : "warn"}>
                  [{secs(reads - p.uncertainty)}, {secs(reads + p.uncertainty)}]{inside ? "" : " — true time is outside"}
                </td>
                <td>{v === undefined ? "" : v.status !== "up" ? v.status : (v.register?.value ?? "—")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint">True time is {secs(time)} s; no node can read it.</p>
      <fieldset className="lab-controls clocks-skew">
        <legend>Each node: skew its clock, or make it act now</legend>
        {s.skews.nodes.map((n) => {
          const c = s.skews.clock[n] ?? {};
          const offset = c.offset ?? 0;
          const drift = c.drift ?? 0;
          return (
            <div key={n} className="clocks-skew-row">
              <strong>{n}</strong>
              <Slider label={(v) => `offset ${v > 0 ? "+" : ""}${v} ms`} min={-2000} max={2000} step={10} value={offset} onSettle={(v) => set(`nodes.${n}.clock.offset`, v)} />
              <Slider
                label={(v) => `drift ${v > 0 ? "+" : ""}${v} ms/s`}
                min={-100}
                max={100}
                step={1}
                value={Math.round(drift * 1000)}
                onSettle={(v) => {
                  // A new rate from now on, not a jump: move the offset so that the clock reads
                  // the same at this moment as it did under the old rate.
                  const d = v / 1000;
                  set(`nodes.${n}.clock.offset`, Math.round(offset - (d - drift) * time));
                  set(`nodes.${n}.clock.drift`, d);
                }}
              />
              <button type="button" onClick={() => set(`nodes.${n}.clock.offset`, offset - STEP_BACK)}>
                Step {n} back {STEP_BACK} ms
              </button>
              <button type="button" onClick={() => act({ do: "command", node: n, cmd: "local" })}>
                Local event at {n}
              </button>
              <button type="button" onClick={() => act({ do: "command", node: n, cmd: "write" })}>
                {n} writes
              </button>
            </div>
          );
        })}
      </fieldset>
      <fieldset className="lab-controls">
        <legend>Rules</legend>
        <label>
          The register keeps the write with the latest{" "}
          <select value={p.order} onChange={(e) => set("params.order", e.target.value)}>
            <option value="physical">physical timestamp</option>
            <option value="hlc">hybrid logical clock</option>
          </select>
        </label>
        <label>
          HLC rule{" "}
          <select value={p.hlc} onChange={(e) => set("params.hlc", e.target.value)}>
            <option value="paper">the paper's (l and a counter c)</option>
            <option value="naive">naive (no c: bump l)</option>
          </select>
        </label>
        <label>
          Clocks tick every{" "}
          <select value={p.resolution} onChange={(e) => set("params.resolution", Number(e.target.value))}>
            {[...new Set([1, 10, 16, 100, p.resolution])].sort((a, b) => a - b).map((r) => (
              <option key={r} value={r}>
                {r} ms
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset className="lab-controls">
        <legend>Workload</legend>
        <Slider label={(v) => `each node acts every ${v}–${Math.round(v * 1.5)} ms`} min={20} max={2000} step={10} value={p.interval} onSettle={(v) => set("params.interval", v)} />
        <Slider label={(v) => `${Math.round(v * 100)} % of events send a message`} min={0} max={Math.round((1 - p.writes) * 100) / 100} step={0.05} value={p.sends} onSettle={(v) => set("params.sends", v)} />
        <Slider label={(v) => `${Math.round(v * 100)} % write the register`} min={0} max={Math.round((1 - p.sends) * 100) / 100} step={0.05} value={p.writes} onSettle={(v) => set("params.writes", v)} />
      </fieldset>
      <dl className="lab-counters">
        <div>
          <dt>events</dt>
          <dd>{events.length}</dd>
        </div>
        <div className={s.anomalies > 0 ? "warn" : undefined}>
          <dt>received before sent (by the clocks)</dt>
          <dd>{s.anomalies}</dd>
        </div>
        <div className={lost.physical > 0 ? "warn" : undefined}>
          <dt>writes lost, by physical time</dt>
          <dd>{lost.physical}</dd>
        </div>
        <div className={lost.hlc > 0 ? "warn" : undefined}>
          <dt>writes lost, by HLC</dt>
          <dd>{lost.hlc}</dd>
        </div>
        <div>
          <dt>HLC ahead of its clock, at most</dt>
          <dd>{ahead} ms</dd>
        </div>
      </dl>
      <div className="lab-actions">
        <button type="button" onClick={download} disabled={events.length === 0}>
          Download the run for ShiViz
        </button>
      </div>
    </div>
  );
}
