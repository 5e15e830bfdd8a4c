// The fault palette: every control becomes a timeline action at the current virtual time, so
// the run stays a function of the scenario and a shared link replays it.

import { useState } from "react";
import { act, usePlayground } from "../../store/playground.ts";

export function FaultPalette() {
  // The network as the engine has it now, after every `set` so far.
  const net = usePlayground((s) => s.network);
  const nodes = usePlayground((s) => s.nodes);
  const selected = usePlayground((s) => s.selected);
  const groups = new Set(nodes.map((n) => n.group)).size;
  const target = nodes.find((n) => n.id === selected) ?? null;
  // Sliders show the value being dragged and record one action on release.
  const [draft, setDraft] = useState<{ loss?: number; latency?: number; jitter?: number }>({});
  if (net === null) return null;
  const loss = draft.loss ?? net.loss;
  const base = draft.latency ?? net.latency[0];
  const jitter = draft.jitter ?? net.latency[1] - net.latency[0];
  const commitLatency = () => {
    if (draft.latency === undefined && draft.jitter === undefined) return;
    void act({ do: "set", path: "network.latency", value: [base, base + jitter] });
    setDraft({});
  };
  return (
    <section className="palette" aria-label="Faults">
      <h2>Faults</h2>
      <div className="row">
        <button type="button" disabled={target === null || target.status !== "up"} onClick={() => target && void act({ do: "crash", node: target.id })}>
          Crash {target?.id ?? "node"}
        </button>
        <button type="button" disabled={target === null || target.status === "up"} onClick={() => target && void act({ do: "restart", node: target.id })}>
          Restart {target?.id ?? "node"}
        </button>
        <button type="button" disabled={groups <= 1} onClick={() => void act({ do: "heal" })}>
          Heal all
        </button>
      </div>
      <Slider
        label={`loss ${Math.round(loss * 100)} %`}
        min={0}
        max={1}
        step={0.05}
        value={loss}
        onDraft={(v) => setDraft({ ...draft, loss: v })}
        onCommit={() => {
          if (draft.loss === undefined) return;
          void act({ do: "set", path: "network.loss", value: draft.loss });
          setDraft({});
        }}
      />
      <Slider label={`latency ${base} ms`} min={1} max={500} step={1} value={base} onDraft={(v) => setDraft({ ...draft, latency: v })} onCommit={commitLatency} />
      <Slider label={`jitter ${jitter} ms`} min={0} max={500} step={1} value={jitter} onDraft={(v) => setDraft({ ...draft, jitter: v })} onCommit={commitLatency} />
      <div className="row">
        <label className="toggle">
          <input
            type="checkbox"
            checked={net.duplicate > 0}
            onChange={(e) => void act({ do: "set", path: "network.duplicate", value: e.target.checked ? 0.2 : 0 })}
          />
          duplicate (20 %)
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={net.reorder}
            onChange={(e) => void act({ do: "set", path: "network.reorder", value: e.target.checked })}
          />
          reorder
        </label>
      </div>
      <p className="hint">Drag a node away from the others to partition it; push it back to heal. Right-click a node for its menu.</p>
    </section>
  );
}

/**
 * A slider that shows the value being dragged and records one action on release (pointer or
 * key), rather than one per pixel. Arrow keys stay with the slider, not the timeline.
 */
function Slider(p: { label: string; min: number; max: number; step: number; value: number; onDraft(v: number): void; onCommit(): void }) {
  return (
    <label className="slider">
      <span>{p.label}</span>
      <input
        type="range"
        min={p.min}
        max={p.max}
        step={p.step}
        value={p.value}
        onChange={(e) => p.onDraft(Number(e.target.value))}
        onPointerUp={p.onCommit}
        onKeyUp={p.onCommit}
        onKeyDown={(e) => e.stopPropagation()}
      />
    </label>
  );
}
