import { describe, expect, it } from "vitest";
import { labs } from "../labs/index.ts";
import { encodeScenario } from "../scenario/codec.ts";
import { galleryHash, openHash, type Opened } from "./route.ts";

const lab = labs[0]!;

/** Open an address that names a run (not the home page). */
function run(hash: string): Opened {
  const o = openHash(hash);
  if (o === "home") throw new Error(`${hash} opened the home page`);
  return o;
}

describe("the address", () => {
  it("opens the home page when empty and at #/", () => {
    expect(openHash("")).toBe("home");
    expect(openHash("#")).toBe("home");
    expect(openHash("#/")).toBe("home");
  });

  it("opens a lab by #/<lab> and a gallery scenario by #/<lab>/<name>", () => {
    expect(run(`#/${lab.id}`).scenario.name).toBe(lab.scenarios[0]!.name);
    const second = lab.scenarios[1]!;
    expect(run(galleryHash(lab, second)).scenario).toEqual(second);
  });

  it("opens a shared run from #s= with its params filled in", () => {
    const s = { ...lab.scenarios[1]!, seed: 99 };
    const o = run(`#s=${encodeScenario(s)}`);
    expect(o.scenario).toEqual(s);
    expect(o.params).toMatchObject({ interval: 200 });
    expect(o.notice).toBeNull();
  });

  it("answers a damaged link with a sentence and the lab's default", () => {
    const payload = encodeScenario(lab.scenarios[0]!);
    for (const bad of ["#s=%%%", `#s=${payload.slice(0, 30)}`, "#s=", "#/no-such-lab", `#/${lab.id}/no-such-scenario`, "#nonsense"]) {
      const o = run(bad);
      expect(o.notice, bad).toMatch(/\.$/);
      expect(o.scenario.lab).toBe(o.lab.id);
    }
  });
});
