// The lab picker, the current lesson step (with previous/next and a one-click change when the
// step asks for one), and the gallery of each lab's scenarios (each a link).
import { useId } from "react";
import type { Lab, LessonStep } from "../../labs/types.ts";
import { applyFromStart, labs } from "../../store/controller.ts";
import { usePlayground } from "../../store/state.ts";
import { galleryHash } from "../../store/route.ts";

export function LabPicker() {
  const lab = usePlayground((s) => s.lab);
  return (
    <nav className="labs" aria-label="Labs">
      <ul>
        {labs.map((l) => (
          <li key={l.id}>
            <a href={`#/${l.id}`} aria-current={l.id === lab?.id ? "page" : undefined}>
              {l.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The address of a lesson step's scenario. */
export function stepHash(lab: Lab, step: LessonStep): string {
  const s = lab.scenarios.find((x) => x.name === step.scenario);
  return s === undefined ? `#/${lab.id}` : galleryHash(lab, s);
}

/** The current step, one at a time: what happens, what to try, and the way on. */
export function Lesson() {
  const lab = usePlayground((s) => s.lab);
  const scenario = usePlayground((s) => s.scenario);
  const headingId = useId();
  if (lab === null) return null;
  const k = lab.lesson.findIndex((step) => step.scenario === scenario?.name);
  const step = k >= 0 ? lab.lesson[k]! : null;
  const prev = k > 0 ? lab.lesson[k - 1]! : null;
  const next = k >= 0 && k + 1 < lab.lesson.length ? lab.lesson[k + 1]! : null;
  // A fix already in the timeline at t = 0 needs no second click.
  const applied =
    step?.fix !== undefined &&
    step.fix.set.every((c) => scenario?.timeline.some((a) => a.t === 0 && a.do === "set" && a.path === c.path && JSON.stringify(a.value) === JSON.stringify(c.value)));
  return (
    <section className="lesson" aria-labelledby={headingId}>
      {step !== null ? (
        <>
          <p className="step-of">
            Lesson · step {k + 1} of {lab.lesson.length}
          </p>
          <h2 id={headingId}>{step.title}</h2>
          <p className="step-text">{step.text}</p>
          {step.fix !== undefined && (
            <button type="button" className="fix" disabled={applied} onClick={() => void applyFromStart(step.fix!.set)}>
              {applied ? `${step.fix.label}: applied from 0 s` : `${step.fix.label} from 0 s and replay`}
            </button>
          )}
        </>
      ) : (
        <>
          <p className="step-of">Free play</p>
          <h2 id={headingId}>{scenario?.title ?? "A shared run"}</h2>
          <p className="step-text">
            This run is not a lesson step. <a href={stepHash(lab, lab.lesson[0]!)}>Start the lesson</a> or pick a scenario below.
          </p>
        </>
      )}
      <nav className="step-nav" aria-label="Lesson steps">
        {prev !== null ? (
          <a href={stepHash(lab, prev)} rel="prev">
            ← {prev.title}
          </a>
        ) : (
          <span />
        )}
        {next !== null && (
          <a href={stepHash(lab, next)} rel="next">
            {next.title} →
          </a>
        )}
      </nav>
      <details className="all-steps">
        <summary>All steps and the gallery</summary>
        <ol>
          {lab.lesson.map((s, i) => (
            <li key={s.title}>
              <a href={stepHash(lab, s)} aria-current={i === k ? "step" : undefined}>
                {s.title}
              </a>
            </li>
          ))}
        </ol>
        <h3>Gallery</h3>
        <ul className="gallery">
          {lab.scenarios.map((s) => (
            <li key={s.name}>
              <a href={galleryHash(lab, s)}>{s.title ?? s.name}</a>
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
