// The home page: one card a lab — what it teaches, a picture of its network, and its lesson
// steps as links.
import { labs } from "../store/controller.ts";
import type { Lab } from "../labs/types.ts";
import { stepHash } from "./panels/LabNav.tsx";

/** The lab's default scenario's nodes and links, drawn small. */
function Picture({ lab }: { lab: Lab }) {
  const nodes = lab.scenarios[0]!.nodes;
  const at = (u: number) => 12 + u * 96;
  return (
    <svg className="card-picture" viewBox="0 0 120 120" aria-hidden="true" focusable="false">
      {nodes.flatMap((a, i) =>
        nodes.slice(i + 1).map((b) => <line key={`${a.id}-${b.id}`} x1={at(a.x)} y1={at(a.y)} x2={at(b.x)} y2={at(b.y)} />),
      )}
      {nodes.map((n) => (
        <circle key={n.id} cx={at(n.x)} cy={at(n.y)} r={7} />
      ))}
    </svg>
  );
}

export function Home() {
  return (
    <main className="home">
      <div className="home-intro">
        <h1>Learn distributed systems by breaking them</h1>
        <p>
          Real protocols run on simulated nodes, each in its own Web Worker. Drag nodes apart to partition them, crash them, add loss and latency,
          scrub time back and forth — and share the exact run as a link.
        </p>
      </div>
      <ul className="cards">
        {labs.map((lab) => (
          <li key={lab.id} className="card">
            <a className="card-head" href={`#/${lab.id}`}>
              <Picture lab={lab} />
              <h2>{lab.title}</h2>
            </a>
            <p>{lab.summary}</p>
            <p className="production">{lab.inProduction}</p>
            <ol aria-label={`${lab.title} lesson`}>
              {lab.lesson.map((step) => (
                <li key={step.title}>
                  <a href={stepHash(lab, step)}>{step.title}</a>
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
    </main>
  );
}
