// The playground: one screen per lab — the network view, the lab's own panel, the timeline,
// the fault palette, narration and the lesson. The page starts every node in its own Web
// Worker; every drag, click and slider becomes a timeline action, so the link replays the run.

import { useEffect, useState } from "react";
import { labViews } from "../labs/views.ts";
import { startInWorkers } from "../runtime/worker-host.ts";
import {
  act,
  configure,
  currentPlayer,
  openAddress,
  seek,
  select,
  shareLink,
  stepBack,
  stepForward,
  togglePlay,
  usePlayground,
} from "../store/playground.ts";
import { spawnWebWorker } from "../store/spawn-web.ts";
import { installApi } from "./api.ts";
import { NetworkView } from "./network/NetworkView.tsx";
import { Details } from "./panels/Details.tsx";
import { FaultPalette } from "./panels/FaultPalette.tsx";
import { LabPicker, Lesson } from "./panels/LabNav.tsx";
import { Narration } from "./panels/Narration.tsx";
import { NodeMenu, type MenuAt } from "./panels/NodeMenu.tsx";
import { Timeline } from "./panels/Timeline.tsx";

configure((cfg) => startInWorkers(cfg, { spawn: spawnWebWorker }));

/** Keys that drive playback, unless the learner is typing or working a control. */
function onKey(e: KeyboardEvent): void {
  const el = e.target as HTMLElement | null;
  const tag = el?.tagName ?? "";
  if (["INPUT", "SELECT", "TEXTAREA"].includes(tag) || el?.isContentEditable) return;
  if (e.key === " " && tag !== "BUTTON" && tag !== "A") {
    e.preventDefault();
    togglePlay();
  } else if (e.key === "ArrowRight") {
    e.preventDefault();
    void stepForward();
  } else if (e.key === "ArrowLeft") {
    e.preventDefault();
    void stepBack();
  }
}

function usePrefersReducedMotion(): boolean {
  const query = "(prefers-reduced-motion: reduce)";
  const [reduced, setReduced] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setReduced(m.matches);
    m.addEventListener("change", on);
    return () => m.removeEventListener("change", on);
  }, []);
  return reduced;
}

export function App() {
  useEffect(() => {
    const uninstall = installApi();
    void openAddress(location.hash);
    const onHash = () => void openAddress(location.hash);
    window.addEventListener("hashchange", onHash);
    window.addEventListener("keydown", onKey);
    return () => {
      uninstall();
      window.removeEventListener("hashchange", onHash);
      window.removeEventListener("keydown", onKey);
    };
  }, []);

  const lab = usePlayground((s) => s.lab);
  const notice = usePlayground((s) => s.notice);
  const error = usePlayground((s) => s.error);
  const hash = usePlayground((s) => s.hash);
  const scenario = usePlayground((s) => s.scenario);
  const nodes = usePlayground((s) => s.nodes);
  const rows = usePlayground((s) => s.rows);
  const messages = usePlayground((s) => s.messages);
  const time = usePlayground((s) => s.time);
  const reach = usePlayground((s) => s.reach);
  const selected = usePlayground((s) => s.selected);
  const params = usePlayground((s) => s.params);
  const reducedMotion = usePrefersReducedMotion();
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const [copied, setCopied] = useState(false);
  const ui = lab === null ? undefined : labViews[lab.id];

  const copy = async () => {
    const link = shareLink();
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // No clipboard permission (an insecure origin, a test browser): the address bar has it too.
      history.replaceState(null, "", link);
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  return (
    <div className="app">
      <header className="top">
        <p className="brand">
          <a href="#/">splitbrain</a>
        </p>
        <LabPicker />
        <div className="share">
          <span className="hash" title="Trace hash: equal hashes, equal runs">
            trace <code data-testid="trace-hash">{hash || "—"}</code>
          </span>
          <button type="button" onClick={() => void copy()}>
            {copied ? "Link copied" : "Copy link"}
          </button>
        </div>
      </header>
      {lab !== null && (
        <div className="intro">
          <h1>{lab.title}</h1>
          <p>
            {lab.summary}
            {scenario?.title !== undefined && (
              <>
                {" "}
                <strong>{scenario.title}.</strong>
              </>
            )}
          </p>
        </div>
      )}
      {notice !== null && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <main className="stage">
        <div className="left">
          <NetworkView
            nodes={nodes}
            reach={reach}
            time={time}
            messages={messages}
            kinds={lab?.messageKinds ?? []}
            reducedMotion={reducedMotion}
            selected={selected}
            onSelectNode={(id) => select(id)}
            onSelectMessage={(key) => select(key)}
            onDragEnd={(id, x, y) => void act({ do: "move", node: id, x, y })}
            onNodeMenu={(id, x, y) => setMenu({ id, x, y })}
          />
          <Timeline />
        </div>
        <aside className="right">
          {ui !== undefined && (
            <section className="lab-panel" aria-label={`${lab!.title} state`}>
              <ui.View
                nodes={rows}
                time={time}
                params={params}
                act={(a) => void act(a)}
                events={currentPlayer()?.trace.events ?? []}
                seek={(t) => void seek(t)}
              />
            </section>
          )}
          <Details />
          <FaultPalette />
          <Narration />
          <Lesson />
        </aside>
      </main>
      {menu !== null && <NodeMenu at={menu} onClose={() => setMenu(null)} />}
    </div>
  );
}
