// The playground: a home page with every lab, and one screen per lab — the network view and
// the timeline, the current lesson step and the lab's own panel, with faults and narration in
// drawers the learner opens over the stage. The page starts every node in its own Web
// Worker; every drag, click and slider becomes a timeline action, so the link replays the run.

import { memo, useEffect, useState } from "react";
import type { LabUi } from "../labs/ui-types.ts";
import { labViews } from "../labs/views.ts";
import { startInWorkers } from "../runtime/worker-host.ts";
import { act, configure, currentPlayer, dismissUndo, openAddress, seek, select, shareLink, stepBack, stepForward, togglePlay, undoReplace } from "../store/controller.ts";
import type { ActionAt } from "../scenario/types.ts";
import { reachOf, usePlayground } from "../store/state.ts";
import { spawnWebWorker } from "../store/spawn-web.ts";
import { installApi } from "./api.ts";
import { Home } from "./Home.tsx";
import { NetworkView } from "./network/NetworkView.tsx";
import { Details } from "./panels/Details.tsx";
import { FaultPalette } from "./panels/FaultPalette.tsx";
import { LabPicker, Lesson } from "./panels/LabNav.tsx";
import { Narration } from "./panels/Narration.tsx";
import { NodeMenu, type MenuAt } from "./panels/NodeMenu.tsx";
import { Timeline } from "./panels/Timeline.tsx";
import { Violations } from "./panels/Violations.tsx";

configure((cfg) => startInWorkers(cfg, { spawn: spawnWebWorker }));

const TEXT_INPUTS = new Set(["text", "search", "email", "number", "password", "tel", "url"]);

/** Whether the learner is typing: keys then belong to the field. */
function typing(el: HTMLElement | null): boolean {
  if (el === null) return false;
  if (el.isContentEditable || el.tagName === "TEXTAREA") return true;
  return el.tagName === "INPUT" && TEXT_INPUTS.has((el as HTMLInputElement).type);
}

/** Space plays or pauses wherever focus is, except in a text field; arrows step outside controls. */
function onKey(e: KeyboardEvent): void {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const el = e.target as HTMLElement | null;
  if (typing(el) || usePlayground.getState().lab === null) return;
  if (e.key === " ") {
    e.preventDefault();
    togglePlay();
    return;
  }
  const tag = el?.tagName ?? "";
  if (["INPUT", "SELECT"].includes(tag)) return;
  if (e.key === "ArrowRight") {
    e.preventDefault();
    void stepForward();
  } else if (e.key === "ArrowLeft") {
    e.preventDefault();
    void stepBack();
  }
}

function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setMatches(m.matches);
    on();
    m.addEventListener("change", on);
    return () => m.removeEventListener("change", on);
  }, [query]);
  return matches;
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

  const home = usePlayground((s) => s.home);
  const lab = usePlayground((s) => s.lab);
  const [copied, setCopied] = useState(false);

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
    <div className={home ? "app app-home" : "app"}>
      <header className="top">
        <p className="brand">
          <a href="#/" aria-label="splitbrain: home, every lab">
            splitbrain
          </a>
        </p>
        <LabPicker />
        {lab !== null && (
          <div className="share">
            <span className="hash" title="Trace hash: equal hashes, equal runs">
              trace <TraceHash />
            </span>
            <button type="button" onClick={() => void copy()}>
              {copied ? "Link copied" : "Copy link"}
            </button>
          </div>
        )}
      </header>
      {home ? <Home /> : lab !== null && <LabScreen />}
    </div>
  );
}

/** The trace hash: it changes with every event, so it alone reads it, not the page around it. */
function TraceHash() {
  const hash = usePlayground((s) => s.hash);
  return <code data-testid="trace-hash">{hash || "—"}</code>;
}

type Drawer = "faults" | "narration";

/** One lab on one screen: the stage and timeline on the left, the lesson and the lab's panel on the right. */
function LabScreen() {
  // What changes every frame (time, nodes, messages) is read by the parts that draw it, not
  // here: the screen's frame, the lesson and the drawers stay still while the run plays.
  const lab = usePlayground((s) => s.lab)!;
  const notice = usePlayground((s) => s.notice);
  const error = usePlayground((s) => s.error);
  const undo = usePlayground((s) => s.undo);
  const reducedMotion = useMedia("(prefers-reduced-motion: reduce)");
  // Side by side (app.css: wider than 60rem) the drawers open over the stage's right part, so
  // the network sits at its left; stacked, the drawers go below it.
  const wide = useMedia("(min-width: 60.01rem)");
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const [drawers, setDrawers] = useState<Record<Drawer, boolean>>({ faults: false, narration: false });
  const ui = labViews[lab.id];
  // Which view fills the stage: the network, the lab's own stage, or both side by side.
  const [shown, setShown] = useState<"network" | "stage" | "both">(ui?.stage?.opens ?? "network");
  // Each lab opens with its own choice; the learner's switch holds while they stay in the lab.
  const [shownFor, setShownFor] = useState(lab.id);
  if (shownFor !== lab.id) {
    setShownFor(lab.id);
    setShown(ui?.stage?.opens ?? "network");
  }
  const stage = ui?.stage;
  const view = stage === undefined ? "network" : shown;
  const toggle = (d: Drawer) => setDrawers((o) => ({ ...o, [d]: !o[d] }));
  const drawerButton = (d: Drawer, label: string) => (
    <button type="button" className="drawer-toggle" aria-expanded={drawers[d]} aria-controls={`drawer-${d}`} onClick={() => toggle(d)}>
      {label}
    </button>
  );

  return (
    <main className="stage">
      <div className="left">
        <div className="stage-head">
          <h1>{lab.title}</h1>
          <p className="summary">{lab.summary}</p>
          {stage !== undefined && (
            <div className="view-switch" role="group" aria-label="What the stage shows">
              {(
                [
                  ["network", "Network"],
                  ["stage", stage.title],
                  ["both", "Both"],
                ] as const
              ).map(([key, label]) => (
                <button key={key} type="button" aria-pressed={view === key} onClick={() => setShown(key)}>
                  {label}
                </button>
              ))}
            </div>
          )}
          <div className="drawer-toggles">
            {drawerButton("faults", "Faults")}
            {drawerButton("narration", "What happened")}
          </div>
        </div>
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
        <div className={`canvas view-${view}`}>
          {view !== "stage" && <Network reducedMotion={reducedMotion} onNodeMenu={setMenu} align={wide && view === "network" ? "start" : "center"} />}
          {view !== "network" && stage !== undefined && (
            <section className="lab-stage" aria-label={stage.title}>
              <LabStage stage={stage} />
            </section>
          )}
          <div className="drawers">
            <Details />
            {drawers.faults && (
              <div id="drawer-faults" className="drawer">
                <h2>
                  Faults
                  <button type="button" className="close" aria-label="Close the faults" onClick={() => toggle("faults")}>
                    ×
                  </button>
                </h2>
                <FaultPalette />
              </div>
            )}
            {drawers.narration && (
              <div id="drawer-narration" className="drawer">
                <h2>
                  What happened
                  <button type="button" className="close" aria-label="Close what happened" onClick={() => toggle("narration")}>
                    ×
                  </button>
                </h2>
                <Narration />
              </div>
            )}
          </div>
        </div>
        {undo !== null && (
          <p className="undo" role="status">
            {undo.message}.{" "}
            <button type="button" onClick={() => void undoReplace()}>
              Undo
            </button>{" "}
            <button type="button" className="close" aria-label="Dismiss" onClick={dismissUndo}>
              ×
            </button>
          </p>
        )}
        <Timeline />
      </div>
      <aside className="right">
        <Lesson />
        {ui !== undefined && (
          <section className="lab-panel" aria-label={`${lab.title} state`}>
            <LabPanel View={ui.View} />
          </section>
        )}
        <Violations />
        <p className="production">{lab.inProduction}</p>
      </aside>
      {menu !== null && <NodeMenu at={menu} onClose={() => setMenu(null)} />}
    </main>
  );
}

// Callbacks made once, so the parts below get the same props each frame and React can skip
// what did not change.
const actNow = (a: ActionAt): void => void act(a);
const seekNow = (t: number): void => void seek(t);
const selectNow = (id: string): void => select(id);
const dragEnd = (id: string, x: number, y: number): void => void act({ do: "move", node: id, x, y });

/** The network view, with what it draws read here: the part of the screen that moves every frame. */
const Network = memo(function Network(props: { reducedMotion: boolean; align: "start" | "center"; onNodeMenu(at: MenuAt): void }) {
  const { onNodeMenu } = props;
  const lab = usePlayground((s) => s.lab)!;
  const nodes = usePlayground((s) => s.nodes);
  const messages = usePlayground((s) => s.messages);
  const time = usePlayground((s) => s.time);
  const reach = reachOf(usePlayground((s) => s.network));
  const selected = usePlayground((s) => s.selected);
  return (
    <NetworkView
      nodes={nodes}
      reach={reach}
      time={time}
      messages={messages}
      kinds={lab.messageKinds}
      tones={lab.tones}
      reducedMotion={props.reducedMotion}
      selected={selected}
      onSelectNode={selectNow}
      onSelectMessage={selectNow}
      onDragEnd={dragEnd}
      onNodeMenu={(id, x, y) => onNodeMenu({ id, x, y })}
      align={props.align}
    />
  );
});

/** The lab's own panel, with the node views, time and params it reads. */
const LabPanel = memo(function LabPanel({ View }: { View: LabUi["View"] }) {
  const rows = usePlayground((s) => s.rows);
  const time = usePlayground((s) => s.time);
  const params = usePlayground((s) => s.params);
  const series = usePlayground((s) => s.series);
  return <View nodes={rows} time={time} params={params} act={actNow} events={currentPlayer()?.trace.events ?? []} series={series} seek={seekNow} />;
});

/** The lab's own stage, with its reducers' series. */
const LabStage = memo(function LabStage({ stage }: { stage: NonNullable<LabUi["stage"]> }) {
  const series = usePlayground((s) => s.series);
  const rows = usePlayground((s) => s.rows);
  const time = usePlayground((s) => s.time);
  const params = usePlayground((s) => s.params);
  return <stage.Stage series={series} time={time} nodes={rows} params={params} act={actNow} seek={seekNow} />;
});
