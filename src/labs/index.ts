// The registry of labs. The CLI, the workers, the conformance test and the page all read it:
// adding a lab means adding it here (and its view to views.ts).

import { gossipLab } from "./gossip/index.ts";
import type { Lab } from "./types.ts";

export const labs: readonly Lab[] = [gossipLab];

export function labById(id: string): Lab | undefined {
  return labs.find((l) => l.id === id);
}
