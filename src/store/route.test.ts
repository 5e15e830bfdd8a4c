import { describe, expect, it } from "vitest";
import { labs } from "../labs/index.ts";
import { encodeScenario } from "../scenario/codec.ts";
import { galleryHash, openHash } from "./route.ts";

const lab = labs[0]!;

describe("the address", () => {
  it("opens the first lab's default scenario when empty", () => {
    const o = openHash("");
    expect(o.lab.id).toBe(lab.id);
    expect(o.scenario).toEqual(lab.scenarios[0]);
    expect(o.notice).toBeNull();
  });

  it("opens a lab by #/<lab> and a gallery scenario by #/<lab>/<name>", () => {
    expect(openHash(`#/${lab.id}`).scenario.name).toBe(lab.scenarios[0]!.name);
    const second = lab.scenarios[1]!;
    expect(openHash(galleryHash(lab, second)).scenario).toEqual(second);
  });

  it("opens a shared run from #s= with its params filled in", () => {
    const s = { ...lab.scenarios[1]!, seed: 99 };
    const o = openHash(`#s=${encodeScenario(s)}`);
    expect(o.scenario).toEqual(s);
    expect(o.params).toMatchObject({ interval: 200 });
    expect(o.notice).toBeNull();
  });

  it("answers a damaged link with a sentence and the lab's default", () => {
    const payload = encodeScenario(lab.scenarios[0]!);
    for (const bad of ["#s=%%%", `#s=${payload.slice(0, 30)}`, "#s=", "#/no-such-lab", `#/${lab.id}/no-such-scenario`]) {
      const o = openHash(bad);
      expect(o.notice, bad).toMatch(/\.$/);
      expect(o.scenario.lab).toBe(o.lab.id);
    }
  });
});
