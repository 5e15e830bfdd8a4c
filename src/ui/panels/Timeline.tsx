// The timeline: play/pause, step back and forward, speed, and a scrubber over the whole run
// with the timeline's actions marked on it. Play is open-ended: the scrubber's range grows as
// the learner plays past the script's end, which stays marked. Every control is a real button or input, so it
// is reachable by keyboard and named for screen readers.

import { pause, play, seek, setSpeed, stepBack, stepForward } from "../../store/controller.ts";
import { marksOf, usePlayground, SPEEDS, type PlaygroundState } from "../../store/state.ts";
import { memo, useLayoutEffect, useMemo, useRef } from "react";

/** Drawn, not typed: the media-control characters are missing from many system fonts. */
function Icon({ name }: { name: "back" | "play" | "pause" | "forward" }) {
  const paths = {
    back: "M5 4h2v12H5zM17 4v12L8 10z",
    play: "M6 4v12l10-6z",
    pause: "M5 4h4v12H5zM11 4h4v12h-4z",
    forward: "M13 4h2v12h-2zM3 4v12l9-6z",
  };
  return (
    <svg width="16" height="16" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="currentColor" />
    </svg>
  );
}

export function formatTime(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(3)} s` : `${(ms / 1000).toFixed(1)} s`;
}

function speedLabel(s: number): string {
  return s >= 1 ? `${s}×` : `1/${Math.round(1 / s)}×`;
}

// The controls read playing and speed; only the clock and the scrubber read the time, so a
// frame of play re-renders those two and leaves the buttons and the marks alone.
export function Timeline() {
  const playing = usePlayground((s) => s.playing);
  const speed = usePlayground((s) => s.speed);
  return (
    <section className="timeline" aria-label="Timeline">
      <div className="timeline-controls">
        <button type="button" onClick={stepBackNow} aria-label="Step back one event" title="Step back one event (←)">
          <Icon name="back" />
        </button>
        <button
          type="button"
          className="play"
          onClick={() => (playing ? pause() : play())}
          aria-label={playing ? "Pause" : "Play"}
          title={playing ? "Pause (space)" : "Play (space)"}
        >
          <Icon name={playing ? "pause" : "play"} />
        </button>
        <button type="button" onClick={stepForwardNow} aria-label="Step forward one event" title="Step forward one event (→)">
          <Icon name="forward" />
        </button>
        <label className="speed">
          <span>speed</span>
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} aria-label="Playback speed">
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {speedLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <Clock />
      </div>
      <Scrub />
    </section>
  );
}

const stepBackNow = () => void stepBack();
const stepForwardNow = () => void stepForward();

function Clock() {
  const time = usePlayground((s) => s.time);
  const until = usePlayground((s) => s.horizon);
  const scriptEnd = usePlayground((s) => s.scriptEnd);
  return (
    <>
      <output className="clock" aria-live="off" data-testid="clock">
        <span>
          {formatTime(time)} / {formatTime(until)}
        </span>
      </output>
      {time >= scriptEnd && scriptEnd > 0 && (
        <span className="past-script" data-testid="past-script">
          past the script's end ({formatTime(scriptEnd)}): playing on
        </span>
      )}
    </>
  );
}

function Scrub() {
  const until = usePlayground((s) => s.horizon);
  const scriptEnd = usePlayground((s) => s.scriptEnd);
  return (
    <div className="scrub">
      <TimeRange />
      {scriptEnd < until && (
        <span className="script-end" style={{ left: `${(100 * scriptEnd) / until}%` }} title={`The scenario's script ends at ${formatTime(scriptEnd)}`} aria-hidden="true" />
      )}
      <Marks until={until} />
    </div>
  );
}

/**
 * The scrubber's range input. Its value moves every frame, so it is written to the element
 * straight from the store, and only what changed: re-rendered by React each frame, the input
 * also had its type and name written again, which restyles it and its thumb.
 */
function TimeRange() {
  const ref = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    const el = ref.current!;
    const show = (s: PlaygroundState) => {
      // The range first: a value past the old maximum would be clamped to it.
      const max = String(s.horizon);
      const value = String(Math.round(s.time));
      const text = formatTime(s.time);
      if (el.max !== max) el.max = max;
      if (el.value !== value) el.value = value;
      if (el.getAttribute("aria-valuetext") !== text) el.setAttribute("aria-valuetext", text);
    };
    show(usePlayground.getState());
    return usePlayground.subscribe(show);
  }, []);
  return (
    <input
      ref={ref}
      type="range"
      min={0}
      step={1}
      aria-label="Virtual time"
      onChange={(e) => void seek(Number(e.target.value))}
      onKeyDown={(e) => e.stopPropagation()}
    />
  );
}

/** The timeline's actions on the scrubber: they move only when the scenario or the range does. */
const Marks = memo(function Marks({ until }: { until: number }) {
  const scenario = usePlayground((s) => s.scenario);
  const lab = usePlayground((s) => s.lab);
  const marks = useMemo(() => marksOf(scenario, lab), [scenario, lab]);
  return (
    <ol className="marks" aria-label="Actions on the timeline">
      {marks.map((m, i) => (
        <li key={i} style={{ left: `${until > 0 ? (100 * m.t) / until : 0}%` }}>
          <button type="button" title={`${formatTime(m.t)}: ${m.label}`} aria-label={`Seek to ${formatTime(m.t)}: ${m.label}`} onClick={() => void seek(m.t)} />
        </li>
      ))}
    </ol>
  );
});
