// The network view's colours that come from the lab: one per message kind (any number of
// kinds) and a fill and stroke per node tone. The lab gives both schemes; the view picks one
// with a media query (NetworkView's useDarkScheme) and hands the result to both sides:
//
//  - CSS custom properties on the view's <figure>: --k0, --k1, … for the kinds in legend
//    order, --t0-fill/--t0-stroke, … for the tones in the order the lab declares them, and
//    --sb-kind-other for a kind the lab did not declare. network.css never names a kind or a
//    tone; a node's tone is wired to its variables by one inline custom property (draw.ts);
//  - plain colour strings for the canvas the messages are painted on, which cannot read CSS
//    variables per dot.
//
// One object feeds both, so the legend, the nodes and the messages cannot disagree.

import type { KindColour, ToneColour } from "../../store/frame.ts";

/** A kind the lab does not declare: a neutral grey that reads on both backgrounds. */
export const OTHER_KIND = { light: "#9aa1ad", dark: "#6b7280" } as const;

export interface Palette {
  dark: boolean;
  /** Kind → its index in the legend (and its variable, --k<index>). */
  kindIndex: ReadonlyMap<string, number>;
  /** The colour of each kind, in legend order, for this scheme. */
  kindColours: readonly string[];
  /** The colour of a kind not in the legend. */
  other: string;
  /** Tone → its index (and its variables, --t<index>-fill, --t<index>-stroke). */
  toneIndex: ReadonlyMap<string, number>;
  /** The custom properties to set on the view's root element. */
  vars: Readonly<Record<string, string>>;
}

export function paletteOf(
  kinds: readonly KindColour[],
  tones: Readonly<Record<string, ToneColour>> | undefined,
  dark: boolean,
): Palette {
  const kindIndex = new Map<string, number>();
  const kindColours: string[] = [];
  const vars: Record<string, string> = {};
  const other = dark ? OTHER_KIND.dark : OTHER_KIND.light;
  vars["--sb-kind-other"] = other;
  kinds.forEach((k, i) => {
    // The first declaration of a kind wins, like the legend shows it.
    if (!kindIndex.has(k.kind)) kindIndex.set(k.kind, i);
    const c = dark ? k.dark : k.light;
    kindColours.push(c);
    vars[`--k${i}`] = c;
  });
  const toneIndex = new Map<string, number>();
  Object.entries(tones ?? {}).forEach(([name, t], i) => {
    toneIndex.set(name, i);
    vars[`--t${i}-fill`] = dark ? t.darkFill : t.fill;
    vars[`--t${i}-stroke`] = dark ? t.darkStroke : t.stroke;
  });
  return { dark, kindIndex, kindColours, other, toneIndex, vars };
}

/** The colour index of a message kind: its place in the legend, or -1 when the lab did not declare it. */
export function kindIndexOf(p: Pick<Palette, "kindIndex">, kind: string): number {
  return p.kindIndex.get(kind) ?? -1;
}

/** A toned node's outline is a little heavier than a plain one's (2), so the tone reads without its colour too. */
export const TONE_STROKE_WIDTH = 2.5;

/**
 * What a node with this tone carries inline: its tone's variables under the names
 * network.css reads, or null for no tone or one the lab did not declare (a plain node).
 */
export function toneStyle(p: Pick<Palette, "toneIndex">, tone: string | undefined): string | null {
  const i = tone === undefined ? undefined : p.toneIndex.get(tone);
  return i === undefined ? null : `--tone-fill: var(--t${i}-fill); --tone-stroke: var(--t${i}-stroke); --tone-width: ${TONE_STROKE_WIDTH}`;
}
