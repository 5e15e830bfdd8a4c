// The ring lab's panel: the placement and quorum controls, servers joining and leaving, and
// what the run has shown so far — keys moved by each change against the ideal, load per
// server, writes refused and reads that came back stale.
import { useId, useMemo, useState } from "react";
import { Slider } from "../../ui/controls/Slider.tsx";
import type { LabViewProps } from "../ui-types.ts";
import { keysPerServer, ringServers, strictQuorum, type Ledger } from "./ledger.ts";
import { STRATEGIES, keyName, placementOf, spread, type Strategy } from "./placement.ts";
import { hotRangeEnd } from "./params.ts";
import { previewVnodes, useVnodePreview } from "./preview.ts";
import { specOf, type ClientView, type ServerView } from "./protocol.ts";
import { serverColour } from "./stage.tsx";
import "./view.css";

/** Every strategy on the same keys and servers: its spread of keys per server, and what one more server would move. */
function compare(servers: readonly string[], keys: number, vnodes: number): { strategy: Strategy; spread: number; moved: number }[] {
  return STRATEGIES.map((strategy) => {
    const spec = specOf({ strategy, vnodes, keys }, servers);
    const now = placementOf(spec);
    const more = placementOf({ ...spec, changes: [...spec.changes, { op: "join", server: "(one more)" }] });
    const count = new Map(now.servers.map((s) => [s, 0]));
    let moved = 0;
    for (let i = 0; i < keys; i++) {
      const k = keyName(i);
      const o = now.owner(k);
      count.set(o, (count.get(o) ?? 0) + 1);
      if (more.owner(k) !== o) moved++;
    }
    return { strategy, spread: spread([...count.values()]), moved };
  });
}

function Comparison({ servers, keys, vnodes }: { servers: readonly string[]; keys: number; vnodes: number }) {
  const rows = useMemo(() => compare(servers, keys, vnodes), [servers.join(","), keys, vnodes]); // eslint-disable-line react-hooks/exhaustive-deps
  const ideal = Math.round(keys / (servers.length + 1));
  const maxSpread = Math.max(0.01, ...rows.map((r) => r.spread));
  return (
    <table className="ring-load ring-compare">
      <caption>
        Every strategy on these {keys} keys and {servers.length} servers: spread of keys per server, and keys one more server would move (ideal {ideal})
      </caption>
      <thead>
        <tr>
          <th scope="col">strategy</th>
          <th scope="col">spread</th>
          <th scope="col">moved by a join</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.strategy}>
            <th scope="row">{STRATEGY_NAMES[r.strategy]}</th>
            <td>
              <span className="bar" style={{ width: `${(100 * r.spread) / maxSpread}%` }} /> {(100 * r.spread).toFixed(1)} %
            </td>
            <td>
              <span className="bar req" style={{ width: `${(100 * r.moved) / keys}%` }} /> {r.moved}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const STRATEGY_NAMES: Record<Strategy, string> = {
  ring: "consistent hashing (ring)",
  modulo: "hash mod N",
  range: "key ranges",
  table: "lookup table",
  jump: "jump hash",
  rendezvous: "rendezvous (highest weight)",
};

export function RingView({ nodes, act, series }: LabViewProps<ServerView | ClientView>) {
  const ids = useId();
  const [comparing, setComparing] = useState(false);
  const preview = useVnodePreview((s) => s.vnodes);
  const l = series.ledger as Ledger | undefined;
  if (l === undefined) return null;
  const p = l.params;
  const ring = ringServers(l);
  const previewing = preview !== null && p.strategy === "ring" && preview !== p.vnodes;
  const load = keysPerServer(l, previewing ? preview : p.vnodes);
  const max = Math.max(1, ...Object.values(load.perServer));
  const maxReq = Math.max(1, ...ring.map((s) => l.requests[s] ?? 0));
  const taken = new Set(nodes.map((n) => n.id));
  let k = ring.length + 1;
  while (taken.has(`s${k}`)) k++;
  const next = `s${k}`;
  const set = (path: string, value: unknown) => act({ do: "set", path: `params.${path}`, value });
  const quorum = (field: "replicas" | "r" | "w", label: string) => (
    <label>
      {label}{" "}
      <select value={p[field]} onChange={(e) => set(field, Number(e.target.value))}>
        {Array.from({ length: field === "replicas" ? 5 : p.replicas }, (_, i) => i + 1)
          .filter((n) => field !== "replicas" || (n >= p.r && n >= p.w))
          .map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
      </select>
    </label>
  );
  return (
    <div className="ring-panel">
      <div className="lab-actions">
        <button type="button" onClick={() => act({ do: "add-server", node: next, x: 0.42, y: 0.5 })}>
          Add server {next}
        </button>
        {ring.length > 1 && (
          <label>
            <select id={`${ids}-rm`} aria-label="Server to remove" value="" onChange={(e) => e.target.value !== "" && act({ do: "remove-server", node: e.target.value })}>
              <option value="">Remove a server…</option>
              {ring.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <fieldset className="lab-controls ring-controls">
        <legend>Placement</legend>
        <label>
          Strategy{" "}
          <select value={p.strategy} onChange={(e) => set("strategy", e.target.value)}>
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {STRATEGY_NAMES[s]}
              </option>
            ))}
          </select>
        </label>
        {p.strategy === "ring" && <Slider label={(v) => `${v} virtual ${v === 1 ? "node" : "nodes"} a server`} min={1} max={1000} step={1} value={p.vnodes} onSettle={(v) => set("vnodes", v)} onDraft={previewVnodes} />}
      </fieldset>
      <fieldset className="lab-controls ring-controls">
        <legend>Workload</legend>
        <Slider label={(v) => `each client every ${v}–${Math.round(v * 1.5)} ms`} min={20} max={1000} step={10} value={p.interval} onSettle={(v) => set("interval", v)} />
        <Slider label={(v) => `${Math.round(v * 100)} % writes`} min={0} max={1} step={0.05} value={p.writes} onSettle={(v) => set("writes", v)} />
        <Slider label={(v) => `${Math.round(v * 100)} % of requests to one hot key`} min={0} max={1} step={0.05} value={p.hotKey} onSettle={(v) => set("hotKey", v)} />
        <Slider label={(v) => `${Math.round(v * 100)} % to a hot range (the first ${hotRangeEnd(p.keys)} keys)`} min={0} max={1} step={0.05} value={p.hotRange} onSettle={(v) => set("hotRange", v)} />
      </fieldset>
      <fieldset className="lab-controls ring-controls">
        <legend>Quorum</legend>
        {quorum("replicas", "replicas")} {quorum("r", "r")} {quorum("w", "w")}{" "}
        <label>
          <input type="checkbox" checked={p.sloppy} onChange={(e) => set("sloppy", e.target.checked)} /> sloppy (hinted handoff)
        </label>
        <p className="hint">{strictQuorum(p) ? `r + w = ${p.r + p.w} > ${p.replicas}: every read meets the last acknowledged write.` : p.sloppy ? "Sloppy: writes go to whichever servers answer; reads may be stale." : `r + w = ${p.r + p.w} ≤ ${p.replicas}: a read can miss an acknowledged write.`}</p>
      </fieldset>
      <dl className="lab-counters ring-counters">
        <div>
          <dt>writes acknowledged</dt>
          <dd>
            {l.acks} of {l.writes}
          </dd>
        </div>
        <div className={l.refusedWrites > 0 ? "warn" : undefined}>
          <dt>writes refused</dt>
          <dd>{l.refusedWrites}</dd>
        </div>
        <div>
          <dt>reads</dt>
          <dd>
            {l.reads}
            {l.refusedReads > 0 ? ` (+${l.refusedReads} refused)` : ""}
          </dd>
        </div>
        <div className={l.staleReads > 0 ? "warn" : undefined}>
          <dt>stale reads</dt>
          <dd>{l.staleReads}</dd>
        </div>
      </dl>
      {l.moves.length > 0 && (
        <ul className="ring-moves" aria-label="Keys moved by each change">
          {l.moves.map((m) => (
            <li key={`${m.t}-${m.change}`}>
              {m.change}: moved <strong>{m.movedKeys}</strong> of {m.totalKeys} keys (ideal {m.ideal})
            </li>
          ))}
        </ul>
      )}
      <label className="ring-compare-toggle">
        <input type="checkbox" checked={comparing} onChange={(e) => setComparing(e.target.checked)} /> Compare every strategy on these keys
      </label>
      {comparing && <Comparison servers={ring} keys={p.keys} vnodes={p.vnodes} />}
      <table className="ring-load">
        <caption>
          {previewing ? `Keys per server with ${preview} virtual nodes (spread ${load.stdDevPct} % of the mean): let go to apply` : `Keys and requests per server (spread ${load.stdDevPct} % of the mean)`}
        </caption>
        <thead>
          <tr>
            <th scope="col">server</th>
            <th scope="col">keys owned</th>
            <th scope="col">requests</th>
          </tr>
        </thead>
        <tbody>
          {ring.map((s, i) => (
            <tr key={s}>
              <th scope="row">
                <span className="swatch" style={{ background: serverColour(i) }} /> {s}
              </th>
              <td>
                <span className="bar" style={{ width: `${(100 * (load.perServer[s] ?? 0)) / max}%` }} /> {load.perServer[s] ?? 0}
              </td>
              <td>
                <span className="bar req" style={{ width: `${(100 * (l.requests[s] ?? 0)) / maxReq}%` }} /> {l.requests[s] ?? 0}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
