// The placeholder page: the first lab's default scenario, one Web Worker per node, played in
// virtual time, with the numbers that identify the run. The playground proper (network view,
// timeline, fault palette) replaces it; until then it shows the engine runs in the browser
// exactly as it does in Node — the trace hash here equals the CLI's for the same scenario.

import { useEffect, useState } from "react";
import * as v from "valibot";
import { labs } from "../labs/index.ts";
import type { Lab } from "../labs/types.ts";
import type { Run } from "../runtime/types.ts";
import { startInWorkers, type WorkerHandle } from "../runtime/worker-host.ts";
import type { Scenario } from "../scenario/types.ts";
import type { NodeView } from "../sim/types.ts";
import { liveWorkerCount, spawnWebWorker } from "../store/spawn-web.ts";
import type { NodeRow } from "./api.ts";

/** Virtual ms per animation frame: a 15 s scenario plays in about 2.5 s at 60 frames a second. */
const STEP_MS = 100;

/** What the page shows after each step; replaced whole, never mutated. */
interface Frame {
  time: number;
  events: number;
  hash: string;
  nodes: NodeRow[];
  workers: number;
}

const EMPTY: Frame = { time: 0, events: 0, hash: "", nodes: [], workers: 0 };

type Choice = { lab: Lab; scenario: Scenario } | { error: string };

function defaultChoice(): Choice {
  const lab = labs[0];
  const scenario = lab?.scenarios[0];
  if (lab === undefined || scenario === undefined) return { error: "No lab with a scenario is registered." };
  return { lab, scenario };
}

const CHOICE = defaultChoice();

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/**
 * Start the scenario in workers and advance it one step per animation frame up to its end.
 * Returns a function that stops it and terminates every worker it started.
 */
function play(lab: Lab, scenario: Scenario, show: (f: Frame) => void, fail: (message: string) => void): () => void {
  let stopped = false;
  let run: Run | undefined;
  // Kept here too: if setup fails, startInWorkers never returns a run whose close() would end them.
  const spawned: WorkerHandle[] = [];
  const release = () => {
    run?.close();
    for (const h of spawned) h.terminate();
  };

  const frameOf = (r: Run, views: NodeView[]): Frame => ({
    time: r.engine.now,
    events: r.engine.trace.length,
    hash: r.engine.trace.hash(),
    nodes: views.map((view, i) => ({ ...view, id: r.engine.ids[i]! })),
    workers: liveWorkerCount(),
  });

  (async () => {
    const params = v.parse(lab.params, scenario.params);
    const spawn = () => {
      const h = spawnWebWorker();
      spawned.push(h);
      return h;
    };
    const r = await startInWorkers({ scenario, labId: lab.id, protocol: lab.protocol, params }, { spawn });
    run = r;
    // Stopped while the workers were being set up: the stop found no run to close yet.
    if (stopped) release();
    while (!stopped && r.engine.now < scenario.until) {
      await nextFrame();
      if (stopped) break;
      await r.advance(Math.min(r.engine.now + STEP_MS, scenario.until));
      const views = await r.views();
      if (!stopped) show(frameOf(r, views));
    }
  })().catch((err: unknown) => {
    if (stopped) return;
    fail(`${run === undefined ? "Could not start the run" : "The run stopped"}: ${describe(err)}`);
    release();
  });

  return () => {
    stopped = true;
    release();
  };
}

export function App() {
  const [frame, setFrame] = useState<Frame>(EMPTY);
  const [error, setError] = useState<string | null>("error" in CHOICE ? CHOICE.error : null);

  useEffect(() => {
    if ("error" in CHOICE) return;
    const { lab, scenario } = CHOICE;
    // The API reads these rather than React state, so it sees a frame as soon as it exists.
    let latest = EMPTY;
    let failure: string | null = null;
    window.splitbrain = {
      labs: () => labs.map((l) => l.id),
      scenario: () => structuredClone(scenario),
      time: () => latest.time,
      traceHash: () => latest.hash,
      nodes: () => structuredClone(latest.nodes),
      workers: liveWorkerCount,
      host: () => "worker",
      error: () => failure,
    };
    const stop = play(
      lab,
      scenario,
      (f) => {
        latest = f;
        setFrame(f);
      },
      (message) => {
        failure = message;
        setError(message);
      },
    );
    return () => {
      stop();
      delete window.splitbrain;
    };
  }, []);

  const lab = "lab" in CHOICE ? CHOICE.lab : undefined;
  const scenario = "scenario" in CHOICE ? CHOICE.scenario : undefined;

  return (
    <main>
      <p className="brand">splitbrain</p>
      {lab !== undefined && (
        <header>
          <h1>{lab.title}</h1>
          <p>{lab.summary}</p>
        </header>
      )}
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {scenario !== undefined && (
        <section aria-labelledby="run-title">
          <h2 id="run-title">{scenario.title ?? scenario.name ?? "Default scenario"}</h2>
          <dl className="stats">
            <dt>Virtual time</dt>
            <dd>
              <progress max={scenario.until} value={frame.time} aria-hidden="true" /> {seconds(frame.time)} of{" "}
              {seconds(scenario.until)}
            </dd>
            <dt>Trace events</dt>
            <dd>{frame.events}</dd>
            <dt>Trace hash</dt>
            <dd>
              <code>{frame.hash || "—"}</code>
            </dd>
            <dt>Web Workers</dt>
            <dd>{frame.workers}</dd>
          </dl>
          <table className="nodes">
            <caption>Nodes</caption>
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Status</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {frame.nodes.map((n) => (
                <tr key={n.id} data-status={n.status}>
                  <th scope="row">{n.id}</th>
                  <td>{n.status}</td>
                  <td>{details(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A lab's own view fields that read as one word or number (gossip: its total); nested ones wait for the lab's view. */
function details(n: NodeRow): string {
  return Object.entries(n)
    .filter(([k, val]) => k !== "id" && k !== "status" && ["string", "number", "boolean"].includes(typeof val))
    .map(([k, val]) => `${k} ${String(val)}`)
    .join(", ");
}
