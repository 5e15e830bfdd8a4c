// The lab picker, the gallery of each lab's scenarios (each a link), and the lesson.
import { galleryHash } from "../../store/route.ts";
import { labs, usePlayground } from "../../store/playground.ts";

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

export function Lesson() {
  const lab = usePlayground((s) => s.lab);
  const scenario = usePlayground((s) => s.scenario);
  if (lab === null) return null;
  return (
    <section className="lesson" aria-label="Lesson">
      <h2>Lesson</h2>
      <ol>
        {lab.lesson.map((step) => {
          const s = lab.scenarios.find((x) => x.name === step.scenario);
          const current = scenario?.name === step.scenario;
          return (
            <li key={step.title} className={current ? "current" : undefined}>
              <a href={s ? galleryHash(lab, s) : `#/${lab.id}`} aria-current={current ? "step" : undefined}>
                {step.title}
              </a>
              {current && <p>{step.text}</p>}
            </li>
          );
        })}
      </ol>
      <h3>Gallery</h3>
      <ul className="gallery">
        {lab.scenarios.map((s) => (
          <li key={s.name}>
            <a href={galleryHash(lab, s)}>{s.title ?? s.name}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
