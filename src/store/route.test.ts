import { describe, expect, it } from "vitest";
import { labs } from "../labs/index.ts";
import { encodeScenario, ERRORS } from "../scenario/codec.ts";
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

  it("answers a damaged link with a sentence saying what was wrong, and the lab's default", () => {
    const payload = encodeScenario(lab.scenarios[0]!);
    const bad: [string, string][] = [
      ["#s=%%%", ERRORS.alphabet],
      [`#s=${payload.slice(0, 30)}`, ERRORS.incomplete],
      ["#s=", ERRORS.empty],
      ["#/no-such-lab", 'no lab called "no-such-lab"'],
      [`#/${lab.id}/no-such-scenario`, `no scenario called "no-such-scenario"`],
      ["#nonsense", "names no lab or scenario"],
    ];
    for (const [hash, why] of bad) {
      const o = run(hash);
      expect(o.notice, hash).toContain(why);
      expect(o.notice, hash).toMatch(/\.$/);
      expect(o.scenario, hash).toEqual(o.lab.scenarios[0]);
    }
    // A bad scenario name keeps the lab it named, even when that is not the first lab.
    const other = labs.at(-1)!;
    expect(other.id).not.toBe(lab.id);
    const o = run(`#/${other.id}/no-such-scenario`);
    expect(o.lab.id).toBe(other.id);
    expect(o.notice).toContain(`The ${other.title} lab has no scenario called "no-such-scenario"`);
  });
});
