// What the address bar asks for: `#/<lab>` (its default scenario), `#/<lab>/<scenario>` (a
// gallery scenario), `#s=<payload>` (a shared run), `#/` the home page. Anything else opens the
// first lab, saying why.

import { labById, labs } from "../labs/index.ts";
import type { Lab } from "../labs/types.ts";
import { decodeLink, linkFor } from "../scenario/codec.ts";
import type { Scenario } from "../scenario/types.ts";

export interface Opened {
  lab: Lab;
  scenario: Scenario;
  params: Record<string, unknown>;
  /** A readable sentence when the address could not be honoured (shown above the lab's default). */
  notice: string | null;
}

export function defaultsOf(lab: Lab, notice: string | null = null, name?: string): Opened {
  const scenario = (name !== undefined && lab.scenarios.find((s) => s.name === name)) || lab.scenarios[0]!;
  const loaded = decodeLink(linkFor(scenario), labs);
  if (!loaded.ok) throw new Error(`gallery scenario ${lab.id}/${scenario.name} does not validate: ${loaded.error}`);
  return { lab, scenario: loaded.scenario, params: loaded.params, notice };
}

/** What the address opens: a lab's run, or the home page (`#/` or no address at all). */
export function openHash(hash: string): Opened | "home" {
  const first = labs[0]!;
  const h = hash.replace(/^#/, "");
  if (h === "" || h === "/") return "home";
  if (h.startsWith("s=") || h.includes("&s=")) {
    const r = decodeLink("#" + h, labs);
    if (!r.ok) return defaultsOf(first, `${r.error} Showing the ${first.title} lab's default scenario instead.`);
    return { lab: labById(r.scenario.lab)!, scenario: r.scenario, params: r.params, notice: null };
  }
  const m = /^\/([a-z0-9-]+)(?:\/([A-Za-z0-9_-]+))?$/.exec(h);
  if (m !== null) {
    const lab = labById(m[1]!);
    if (lab === undefined) return defaultsOf(first, `There is no lab called "${m[1]}". Showing the ${first.title} lab.`);
    if (m[2] !== undefined && !lab.scenarios.some((s) => s.name === m[2])) {
      return defaultsOf(lab, `The ${lab.title} lab has no scenario called "${m[2]}". Showing its default scenario.`);
    }
    return defaultsOf(lab, null, m[2]);
  }
  return defaultsOf(first, "That address names no lab or scenario. Showing the first lab.");
}

/** The address of a gallery scenario. */
export function galleryHash(lab: Lab, scenario: Scenario): string {
  return scenario === lab.scenarios[0] ? `#/${lab.id}` : `#/${lab.id}/${scenario.name}`;
}
