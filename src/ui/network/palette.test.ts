import { describe, expect, it } from "vitest";
import { kindIndexOf, OTHER_KIND, paletteOf, toneStyle } from "./palette.ts";

const kinds = [
  { kind: "vote", light: "#0072b2", dark: "#3d9be0" },
  { kind: "append", light: "#e69f00", dark: "#f0b000" },
  { kind: "reply", light: "rgb(0 158 115)", dark: "hsl(160 100% 40%)" },
];
const tones = {
  leader: { fill: "#fbe3a6", stroke: "#8a5a00", darkFill: "#5a4515", darkStroke: "#f0b44c" },
  candidate: { fill: "#d6ebfa", stroke: "#0b5c91", darkFill: "#17374f", darkStroke: "#7cc4f5" },
};

describe("the palette", () => {
  it("sets one variable a kind, in legend order, with the scheme's colour", () => {
    const light = paletteOf(kinds, undefined, false);
    const dark = paletteOf(kinds, undefined, true);
    expect(light.vars).toEqual({ "--sb-kind-other": OTHER_KIND.light, "--k0": "#0072b2", "--k1": "#e69f00", "--k2": "rgb(0 158 115)" });
    expect(dark.vars).toMatchObject({ "--sb-kind-other": OTHER_KIND.dark, "--k0": "#3d9be0", "--k1": "#f0b000", "--k2": "hsl(160 100% 40%)" });
    expect(light.kindColours).toEqual(["#0072b2", "#e69f00", "rgb(0 158 115)"]);
    expect(dark.other).toBe(OTHER_KIND.dark);
  });

  it("takes any number of kinds, and a kind it was not given is the neutral one", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ kind: `k${i}`, light: `#${String(i).padStart(6, "0")}`, dark: "#ffffff" }));
    const p = paletteOf(many, undefined, false);
    expect(p.vars["--k19"]).toBe("#000019");
    expect(kindIndexOf(p, "k17")).toBe(17);
    expect(kindIndexOf(p, "gossip")).toBe(-1);
  });

  it("sets a fill and a stroke variable per tone, and a toned node points at them", () => {
    const light = paletteOf(kinds, tones, false);
    const dark = paletteOf(kinds, tones, true);
    expect(light.vars).toMatchObject({ "--t0-fill": "#fbe3a6", "--t0-stroke": "#8a5a00", "--t1-fill": "#d6ebfa", "--t1-stroke": "#0b5c91" });
    expect(dark.vars).toMatchObject({ "--t0-fill": "#5a4515", "--t0-stroke": "#f0b44c", "--t1-fill": "#17374f", "--t1-stroke": "#7cc4f5" });
    expect(toneStyle(light, "candidate")).toBe("--tone-fill: var(--t1-fill); --tone-stroke: var(--t1-stroke); --tone-width: 2.5");
  });

  it("leaves a node plain when it has no tone or one the lab did not declare", () => {
    const p = paletteOf(kinds, tones, false);
    expect(toneStyle(p, undefined)).toBeNull();
    expect(toneStyle(p, "follower")).toBeNull();
    expect(toneStyle(paletteOf(kinds, undefined, false), "leader")).toBeNull();
  });
});
