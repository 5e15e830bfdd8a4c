// One typed definition a lab: its folder's index.ts calls `defineLab` with everything the
// engine, the CLI and the page need; what can be derived (the roles, from the protocols) is
// derived here, so it is said once, and what would silently break a run is refused here.

import { ACTION_NAME } from "../scenario/actions.ts";
import { CORE_KINDS } from "../scenario/core-actions.ts";
import { rolesOf } from "../sim/types.ts";
import type { Lab, LabDefinition } from "./types.ts";

/** Trace kinds the engine writes itself; a lab action recorded under one would be misread. */
const ENGINE_KINDS = new Set(["send", "deliver", "drop", "timer", "note", "fail", "init"]);

/** Keys every trace event has; a lab action's fields are recorded beside them. */
const EVENT_KEYS = new Set(["t", "seq", "kind", "do"]);

export function defineLab<V extends { status: "up" }>(def: LabDefinition<V>): Lab {
  for (const a of def.actions ?? []) {
    const says = (what: string) => new Error(`the ${def.id} lab's action "${a.do}" ${what}`);
    if (!ACTION_NAME.test(a.do)) throw says("needs a name of a-z, 0-9 and - (starting with a letter)");
    if (CORE_KINDS.has(a.do)) throw says("takes the name of a core action");
    const traced = a.traceAs ?? a.do;
    if (!ACTION_NAME.test(traced) || ENGINE_KINDS.has(traced) || CORE_KINDS.has(traced)) throw says(`would be recorded as "${traced}", the name of a core action or trace event (give it a traceAs)`);
    const clash = Object.keys(a.fields).find((f) => EVENT_KEYS.has(f));
    if (clash !== undefined) throw says(`has a field "${clash}", which every trace event has already`);
  }
  // The registry holds every lab alike; this lab's protocols make every view it will be handed
  // one of theirs or a DownView, which is what its label and tone were written against.
  return { ...(def as unknown as Omit<Lab, "roles">), roles: rolesOf(def.protocol) };
}
