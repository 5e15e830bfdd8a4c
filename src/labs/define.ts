// One typed definition a lab: its folder's index.ts calls `defineLab` with everything the
// engine, the CLI and the page need; what can be derived (the roles, from the protocols) is
// derived here, so it is said once.

import { rolesOf } from "../sim/types.ts";
import type { Lab, LabDefinition } from "./types.ts";

export function defineLab(def: LabDefinition): Lab {
  return { ...def, roles: rolesOf(def.protocol) };
}
