// The architecture holds: imports point down the layers (DESIGN.md), nothing imports itself
// round a cycle, and every lab is complete — its page half registered, its lesson's scenarios
// in its gallery, every message kind its protocols send declared with a colour.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { labs } from "../src/labs/index.ts";
import { labViews } from "../src/labs/views.ts";
import { Simulation } from "../src/sim/simulation.ts";
import { messageKindOf } from "../src/sim/types.ts";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** Layers from the bottom; a file may import its own layer and those below, never above. */
const RANK: Record<string, number> = { geometry: 0, scenario: 1, sim: 2, runtime: 3, labs: 4, store: 5, cli: 6, ui: 6 };

/** A lab's page half (React): it may use the page's shared controls, and the store must not load it. */
const pageHalf = (file: string) => /^labs\/(.+\.tsx|views\.ts|ui-types\.ts)$/.test(file);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

/** Every relative import of every source file (type-only ones too), as paths under src/. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const abs of files(SRC)) {
    const text = readFileSync(abs, "utf8");
    const deps: string[] = [];
    for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|import\s+"(\.[^"]+)"/g)) {
      const spec = m[1] ?? m[2]!;
      if (/\.(css|mjs)$/.test(spec)) continue;
      deps.push(relative(SRC, resolve(dirname(abs), spec)));
    }
    g.set(relative(SRC, abs), deps);
  }
  return g;
}

const layerOf = (file: string) => file.split("/")[0]!;

describe("the layers", () => {
  const g = graph();

  it("import only their own layer and those below (a lab's page half may use ui/controls)", () => {
    const wrong: string[] = [];
    for (const [file, deps] of g) {
      const from = layerOf(file);
      for (const dep of deps) {
        const to = layerOf(dep);
        if (RANK[from] === undefined || RANK[to] === undefined) continue;
        // Below, or within; ui and cli sit side by side and never import each other.
        const allowed = RANK[to]! < RANK[from]! || to === from || (pageHalf(file) && dep.startsWith("ui/controls/"));
        const storeLoadsReact = from === "store" && pageHalf(dep);
        if (!allowed || storeLoadsReact) wrong.push(`${file} → ${dep}`);
      }
    }
    expect(wrong).toEqual([]);
    // The check sees the graph: it knows the store imports the labs' registry.
    expect(g.get("store/controller.ts")).toContain("labs/index.ts");
  });

  it("have no import cycles", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (f: string) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        cycles.push([...stack.slice(stack.indexOf(f)), f].join(" → "));
        return;
      }
      state.set(f, "open");
      stack.push(f);
      for (const d of g.get(f) ?? []) if (g.has(d)) visit(d);
      stack.pop();
      state.set(f, "done");
    };
    for (const f of [...g.keys()].sort()) visit(f);
    expect(cycles).toEqual([]);
  });
});

describe("every lab", () => {
  for (const lab of labs) {
    it(`${lab.id}: has its page half, its lesson's scenarios, and declares every message kind it sends`, () => {
      expect(labViews[lab.id], "labs/views.ts has no entry").toBeDefined();
      const names = new Set(lab.scenarios.map((s) => s.name));
      for (const step of lab.lesson) expect(names.has(step.scenario), step.title).toBe(true);
      const declared = new Set(lab.messageKinds.map((k) => k.kind));
      const sent = new Set<string>();
      for (const s of lab.scenarios) {
        const sim = new Simulation(s, lab.protocol, v.parse(lab.params, s.params), undefined, lab.actions);
        sim.runUntil(s.until);
        for (const e of sim.engine.trace.events) if (e.kind === "send") sent.add(messageKindOf(lab.protocol, e.msg) ?? "(no kind)");
      }
      expect(sent.size).toBeGreaterThan(0);
      expect([...sent].filter((k) => !declared.has(k))).toEqual([]);
    });
  }

  it("is listed in the page's registry, and the page lists no other", () => {
    expect(Object.keys(labViews).sort()).toEqual(labs.map((l) => l.id).sort());
  });
});
