// The fault palette: every control becomes a timeline action at the current virtual time, so
// the run stays a function of the scenario and a shared link replays it.

import { act } from "../../store/controller.ts";
import { usePlayground } from "../../store/state.ts";
import { Slider } from "../controls/Slider.tsx";

export function FaultPalette() {
  // The network as the engine has it now, after every `set` so far.
  const net = usePlayground((s) => s.network);
  const nodes = usePlayground((s) => s.nodes);
  const selected = usePlayground((s) => s.selected);
  const groups = new Set(nodes.map((n) => n.group)).size;
  const target = nodes.find((n) => n.id === selected) ?? null;
  if (net === null) return null;
  const base = net.latency[0];
  const jitter = net.latency[1] - net.latency[0];
  return (
    <section className="palette" aria-label="Faults">
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
      <Slider label={(v) => `loss ${Math.round(v * 100)} %`} min={0} max={1} step={0.05} value={net.loss} onSettle={(v) => void act({ do: "set", path: "network.loss", value: v })} />
      <Slider label={(v) => `latency ${v} ms`} min={1} max={500} step={1} value={base} onSettle={(v) => void act({ do: "set", path: "network.latency", value: [v, v + jitter] })} />
      <Slider label={(v) => `jitter ${v} ms`} min={0} max={500} step={1} value={jitter} onSettle={(v) => void act({ do: "set", path: "network.latency", value: [base, base + v] })} />
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
      <p className="hint">Select a node to crash or restart it (or right-click it). Drag a node away from the others to partition it; push it back to heal.</p>
    </section>
  );
}
