// Messages in flight, painted on a <canvas> laid over the SVG. Thousands of SVG groups moved
// every frame cost the page style, layout and paint work on each; on the canvas a frame is a
// few drawing calls, and the SVG underneath is left alone unless a node, link or hull changes.
// The canvas is used whatever the count: one path for every lab, and even the Raft lab's
// handful of messages then stops re-rendering the SVG each frame.
//
// This module only paints: where each message is, its colour index, whether it falls or is
// selected, all come from the scene (scene.ts); where the view sits in the element from
// hit.ts, which also answers which message a pointer is on.
//
// Two ways to paint, the same dots either way:
//  - up to VECTOR_LIMIT messages, each is an arc filled and stroked by the 2D context;
//  - above it, each dot is stamped into an ImageData from a pre-drawn bitmap (one per colour,
//    flying or falling, at the current pixel scale, drawn by the 2D context with the same
//    arcs), then copied to the canvas in one putImageData. Without a GPU the 2D context
//    rasterizes thousands of anti-aliased arcs, or even thousands of drawImage calls, far too
//    slowly for 60 fps; a plain loop over a few hundred thousand pixels does not.
// The selected message is always drawn last, with its ring, by the 2D context.

import type { ViewFit } from "./hit.ts";
import type { SceneMessage } from "./scene.ts";

/** Dot radius and outline width, view units (what network.css drew the SVG dots with). */
export const DOT_RADIUS = 5;
const DOT_STROKE = 1.5;
const SELECTED_STROKE = 2.5;
const RING_RADIUS = 9;
const RING_STROKE = 1.5;

/** The colours a frame is painted with (palette.ts for the kinds, network.css for the rest). */
export interface CanvasColours {
  kinds: readonly string[];
  other: string;
  /** The page background: the dot's outline, so touching dots stay apart. */
  background: string;
  /** Text colour: a falling dot's dashed outline. */
  foreground: string;
  /** The selection ring. */
  select: string;
}

/** What the bench and tests can read off the canvas element (`canvas.netviewProbe`). */
export interface NetviewProbe {
  /** Messages painted in the last frame. */
  messages: number;
  /** Frames painted so far. */
  paints: number;
  /** Canvas size in device pixels. */
  width: number;
  height: number;
  /** Where each message of the last frame is, in CSS px from the canvas's top-left (worked out when asked). */
  spots(): { key: string; x: number; y: number; selected: boolean }[];
}

export type ProbedCanvas = HTMLCanvasElement & { netviewProbe?: NetviewProbe };

/** Above this many messages the dots are stamped as pixels instead of drawn as arcs. */
export const VECTOR_LIMIT = 300;

/** A pre-drawn dot: non-premultiplied RGBA pixels, one uint32 each (the platform's byte order, as ImageData's buffer reads). */
export interface Sprite {
  width: number;
  height: number;
  pixels: Uint32Array;
  /** Per row, where its painted pixels start and end (exclusive): the loop skips the corners. */
  runs: Int32Array;
  /** Per row, the run of fully opaque pixels inside that (start, end): copied without blending. */
  solid: Int32Array;
  /** The dot's centre inside it, device pixels. */
  cx: number;
  cy: number;
}

/** A box in device pixels, x0/y0 inclusive, x1/y1 exclusive; empty when x0 >= x1. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const EMPTY: Box = { x0: 0, y0: 0, x1: 0, y1: 0 };

/** ImageData's bytes are R, G, B, A; read as one uint32 that is A<<24 | B<<16 | G<<8 | R on a little-endian machine. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class MessageCanvas {
  private readonly ctx: CanvasRenderingContext2D | null;
  /** Pre-drawn dots by colour index (+1, so the undeclared kind's -1 is 0), flying and falling. */
  private sprites: (Sprite | undefined)[] = [];
  /** Device pixels per view unit the sprites were drawn for, and with which colours. */
  private spriteScale = 0;
  private spriteColours: CanvasColours | null = null;
  private cssWidth = 0;
  private cssHeight = 0;
  /** The pixel buffer stamped into (pixel mode), and what of it the last frame covered. */
  private image: ImageData | null = null;
  private buffer: Uint32Array | null = null;
  private lastBox: Box = EMPTY;
  private mode: "vector" | "pixels" = "vector";
  private fills: (string[] & { other: string }) | null = null;
  private fillsFor: CanvasColours | null = null;
  private last: { messages: readonly SceneMessage[]; fit: ViewFit } = { messages: [], fit: { scale: 0, x: 0, y: 0 } };
  private readonly probe: NetviewProbe = {
    messages: 0,
    paints: 0,
    width: 0,
    height: 0,
    spots: () => {
      const { messages, fit } = this.last;
      return messages.map((m) => ({ key: m.message.key, x: fit.x + m.x * fit.scale, y: fit.y + m.y * fit.scale, selected: m.selected }));
    },
  };

  constructor(private readonly canvas: ProbedCanvas) {
    this.ctx = canvas.getContext("2d");
    canvas.netviewProbe = this.probe;
  }

  /** The canvas's CSS size and the device pixel ratio; resizes the backing store when they change. */
  resize(cssWidth: number, cssHeight: number, dpr: number): void {
    const d = dpr > 0 && Number.isFinite(dpr) ? dpr : 1;
    const w = Math.max(0, Math.round(cssWidth * d));
    const h = Math.max(0, Math.round(cssHeight * d));
    this.cssWidth = cssWidth;
    this.cssHeight = cssHeight;
    if (this.canvas.width !== w || this.canvas.height !== h) {
      // Resizing clears the canvas; the pixel buffer starts over with it.
      this.canvas.width = w;
      this.canvas.height = h;
      this.image = null;
      this.buffer = null;
      this.lastBox = EMPTY;
    }
    this.probe.width = w;
    this.probe.height = h;
  }

  /** Paint one frame: `fit` places the view in the canvas (CSS px), `messages` in painting order. */
  paint(messages: readonly SceneMessage[], fit: ViewFit, colours: CanvasColours): void {
    const ctx = this.ctx;
    const canvas = this.canvas;
    if (ctx === null) return;
    this.probe.paints++;
    this.probe.messages = messages.length;
    this.last = { messages, fit };
    const drawable = canvas.width > 0 && canvas.height > 0 && this.cssWidth > 0 && fit.scale > 0;
    // Device pixels per CSS px: the backing store was rounded, so take its own ratio.
    const kx = drawable ? canvas.width / this.cssWidth : 1;
    const ky = drawable && this.cssHeight > 0 ? canvas.height / this.cssHeight : kx;
    const pixels = drawable && messages.length > VECTOR_LIMIT && LITTLE_ENDIAN;
    if (!pixels || this.mode !== "pixels") {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
    }
    if ((pixels ? "pixels" : "vector") !== this.mode) {
      // Switching ways: the pixel buffer no longer matches the canvas.
      this.buffer?.fill(0);
      this.lastBox = EMPTY;
      this.mode = pixels ? "pixels" : "vector";
    }
    if (!drawable) return;

    let selected: SceneMessage | null = null;
    if (pixels) selected = this.stampAll(ctx, messages, fit, kx, ky, colours);
    else {
      ctx.setTransform(kx * fit.scale, 0, 0, ky * fit.scale, fit.x * kx, fit.y * ky);
      const fills = this.fillsOf(ctx, colours);
      ctx.lineWidth = DOT_STROKE;
      let dashed: boolean | null = null;
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i]!;
        if (m.selected) {
          selected = m;
          continue;
        }
        // Styles are set only when they change from the previous dot's: most dots share them.
        const fill = m.colour >= 0 && m.colour < fills.length ? fills[m.colour]! : fills.other;
        if (ctx.fillStyle !== fill) ctx.fillStyle = fill;
        if (ctx.globalAlpha !== m.opacity) ctx.globalAlpha = m.opacity;
        if (dashed !== m.falling) {
          dashed = m.falling;
          ctx.setLineDash(m.falling ? [2, 2] : []);
          ctx.strokeStyle = m.falling ? colours.foreground : colours.background;
        }
        ctx.beginPath();
        ctx.arc(m.x, m.y, DOT_RADIUS, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
      ctx.setLineDash([]);
    }
    if (selected !== null) {
      ctx.setTransform(kx * fit.scale, 0, 0, ky * fit.scale, fit.x * kx, fit.y * ky);
      drawSelected(ctx, selected, colours);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }

  /**
   * The kinds' colours as this context spells them (a colour it cannot parse becomes the
   * neutral one), worked out once per set of colours, so the loop compares and sets strings
   * the context needs no parsing for.
   */
  private fillsOf(ctx: CanvasRenderingContext2D, colours: CanvasColours): string[] & { other: string } {
    if (this.fills !== null && this.fillsFor === colours) return this.fills;
    const spell = (c: string, fallback: string): string => {
      ctx.fillStyle = fallback;
      ctx.fillStyle = c;
      return String(ctx.fillStyle);
    };
    const other = spell(colours.other, "#9aa1ad");
    const fills = Object.assign(
      colours.kinds.map((c) => spell(c, other)),
      { other },
    );
    this.fills = fills;
    this.fillsFor = colours;
    return fills;
  }

  /** Drop the probe (the element may outlive the view in a test). */
  destroy(): void {
    if (this.canvas.netviewProbe === this.probe) delete this.canvas.netviewProbe;
  }

  /** Pixel mode: stamp every dot but the selected one into the buffer and copy what changed to the canvas. Returns the selected message. */
  private stampAll(ctx: CanvasRenderingContext2D, messages: readonly SceneMessage[], fit: ViewFit, kx: number, ky: number, colours: CanvasColours): SceneMessage | null {
    const W = this.canvas.width;
    const H = this.canvas.height;
    if (this.image === null || this.buffer === null || this.image.width !== W || this.image.height !== H) {
      this.image = ctx.createImageData(W, H);
      this.buffer = new Uint32Array(this.image.data.buffer);
      this.lastBox = { x0: 0, y0: 0, x1: W, y1: H };
    }
    const buf = this.buffer;
    const unit = fit.scale * kx;
    if (unit !== this.spriteScale || colours !== this.spriteColours) {
      this.sprites = [];
      this.spriteScale = unit;
      this.spriteColours = colours;
    }
    // Clear what the last frame stamped; this frame's box grows as dots land.
    const last = this.lastBox;
    for (let y = last.y0; y < last.y1; y++) buf.fill(0, y * W + last.x0, y * W + last.x1);
    const box = { x0: W, y0: H, x1: 0, y1: 0 };

    let selected: SceneMessage | null = null;
    const ox = fit.x * kx;
    const oy = fit.y * ky;
    const sx = fit.scale * kx;
    const sy = fit.scale * ky;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      if (m.selected) {
        selected = m;
        // Its ring is drawn over the pixels: the next frame must clear where it was.
        const r = (RING_RADIUS + RING_STROKE) * unit + 1;
        const cx = ox + m.x * sx;
        const cy = oy + m.y * sy;
        grow(box, Math.floor(cx - r), Math.floor(cy - r), Math.ceil(cx + r), Math.ceil(cy + r), W, H);
        continue;
      }
      if (m.opacity <= 0) continue;
      const sprite = this.sprite(m.colour, m.falling, colours);
      const x0 = Math.round(ox + m.x * sx - sprite.cx);
      const y0 = Math.round(oy + m.y * sy - sprite.cy);
      stamp(buf, W, H, sprite, x0, y0, m.opacity, box);
    }
    const dirty = union(last, box);
    if (dirty.x1 > dirty.x0 && dirty.y1 > dirty.y0) {
      ctx.putImageData(this.image, 0, 0, dirty.x0, dirty.y0, dirty.x1 - dirty.x0, dirty.y1 - dirty.y0);
    }
    this.lastBox = box.x1 > box.x0 ? box : EMPTY;
    return selected;
  }

  private sprite(colour: number, falling: boolean, colours: CanvasColours): Sprite {
    const key = 2 * (colour + 1) + (falling ? 1 : 0);
    let s = this.sprites[key];
    if (s !== undefined) return s;
    const unit = this.spriteScale;
    const reach = (DOT_RADIUS + DOT_STROKE) * unit + 1;
    const size = Math.max(2, Math.ceil(2 * reach));
    const image = document.createElement("canvas");
    image.width = size;
    image.height = size;
    const g = image.getContext("2d", { willReadFrequently: true });
    let pixels = new Uint32Array(size * size);
    if (g !== null) {
      g.setTransform(unit, 0, 0, unit, size / 2, size / 2);
      drawDot(g, 0, 0, colour, falling, 1, colours);
      pixels = new Uint32Array(g.getImageData(0, 0, size, size).data.buffer.slice(0));
    }
    s = spriteOf(size, size, pixels);
    this.sprites[key] = s;
    return s;
  }
}

/** One dot at view point x, y, the context's transform mapping view units to device pixels. */
function drawDot(ctx: CanvasRenderingContext2D, x: number, y: number, colour: number, falling: boolean, opacity: number, colours: CanvasColours): void {
  ctx.globalAlpha = opacity;
  ctx.beginPath();
  ctx.arc(x, y, DOT_RADIUS, 0, 2 * Math.PI);
  // A colour the canvas cannot parse leaves the previous fillStyle: the neutral grey.
  ctx.fillStyle = colours.other;
  ctx.fillStyle = colourOf(colour, colours);
  ctx.fill();
  ctx.lineWidth = DOT_STROKE;
  if (falling) {
    ctx.setLineDash([2, 2]);
    ctx.strokeStyle = colours.foreground;
  } else {
    ctx.setLineDash([]);
    ctx.strokeStyle = colours.background;
  }
  ctx.stroke();
}

/** The selected message: its dot with a heavier outline in the selection colour, and a ring round it. */
function drawSelected(ctx: CanvasRenderingContext2D, m: SceneMessage, colours: CanvasColours): void {
  ctx.globalAlpha = m.opacity;
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.arc(m.x, m.y, RING_RADIUS, 0, 2 * Math.PI);
  ctx.lineWidth = RING_STROKE;
  ctx.strokeStyle = colours.select;
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(m.x, m.y, DOT_RADIUS, 0, 2 * Math.PI);
  ctx.fillStyle = colours.other;
  ctx.fillStyle = colourOf(m.colour, colours);
  ctx.fill();
  ctx.lineWidth = SELECTED_STROKE;
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function colourOf(index: number, colours: CanvasColours): string {
  return index >= 0 && index < colours.kinds.length ? colours.kinds[index]! : colours.other;
}

function grow(box: Box, x0: number, y0: number, x1: number, y1: number, W: number, H: number): void {
  if (x0 < box.x0) box.x0 = Math.max(0, x0);
  if (y0 < box.y0) box.y0 = Math.max(0, y0);
  if (x1 > box.x1) box.x1 = Math.min(W, x1);
  if (y1 > box.y1) box.y1 = Math.min(H, y1);
}

function union(a: Box, b: Box): Box {
  if (a.x1 <= a.x0) return b;
  if (b.x1 <= b.x0) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/** A sprite from its pixels: the row runs worked out, centred. */
export function spriteOf(width: number, height: number, pixels: Uint32Array): Sprite {
  const runs = new Int32Array(2 * height);
  const solid = new Int32Array(2 * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let a = 0;
    let b = width;
    while (a < width && pixels[row + a]! >>> 24 === 0) a++;
    while (b > a && pixels[row + b - 1]! >>> 24 === 0) b--;
    runs[2 * y] = a;
    runs[2 * y + 1] = b;
    // The longest stretch of opaque pixels in the run.
    let sa = a;
    let sb = a;
    for (let x = a; x < b; ) {
      if (pixels[row + x]! >>> 24 !== 255) {
        x++;
        continue;
      }
      let e = x;
      while (e < b && pixels[row + e]! >>> 24 === 255) e++;
      if (e - x > sb - sa) [sa, sb] = [x, e];
      x = e;
    }
    solid[2 * y] = sa;
    solid[2 * y + 1] = sb;
  }
  return { width, height, pixels, runs, solid, cx: width / 2, cy: height / 2 };
}

/**
 * Stamp a sprite with its top-left at x0, y0 into a W × H buffer of non-premultiplied RGBA
 * (one uint32 a pixel, little-endian: alpha in the top byte), `opacity` scaling its alpha,
 * "source over" what is there; grows `box` by what it covered. The hot loop of a frame with
 * thousands of messages: most pixels are a dot's opaque inside or land on nothing, and are
 * one write; only an anti-aliased edge over another dot is blended.
 */
export function stamp(buf: Uint32Array, W: number, H: number, s: Sprite, x0: number, y0: number, opacity: number, box: Box): void {
  const sx0 = x0 < 0 ? -x0 : 0;
  const sy0 = y0 < 0 ? -y0 : 0;
  const sx1 = Math.min(s.width, W - x0);
  const sy1 = Math.min(s.height, H - y0);
  if (sx0 >= sx1 || sy0 >= sy1) return;
  grow(box, x0 + sx0, y0 + sy0, x0 + sx1, y0 + sy1, W, H);
  const px = s.pixels;
  const runs = s.runs;
  const sw = s.width;
  const k = opacity >= 1 ? 256 : Math.max(0, Math.round(opacity * 256));
  if (k === 0) return;
  if (k === 256 && sx0 === 0 && sx1 === sw) {
    // Whole rows inside the buffer, full opacity (nearly every dot): each row's opaque stretch
    // is copied as it is (a plain loop: cheaper than a typed array's set() for a dozen
    // pixels), and only the anti-aliased ends are blended.
    const solid = s.solid;
    for (let sy = sy0; sy < sy1; sy++) {
      const a = runs[2 * sy]!;
      const b = runs[2 * sy + 1]!;
      const oa = solid[2 * sy]!;
      const ob = solid[2 * sy + 1]!;
      const si = sy * sw;
      const di = (y0 + sy) * W + x0;
      for (let x = oa; x < ob; x++) buf[di + x] = px[si + x]!;
      edge(buf, px, si, di, a, ob > oa ? oa : b);
      if (ob > oa) edge(buf, px, si, di, ob, b);
    }
    return;
  }
  for (let sy = sy0; sy < sy1; sy++) {
    const a = Math.max(runs[2 * sy]!, sx0);
    const b = Math.min(runs[2 * sy + 1]!, sx1);
    let si = sy * sw + a;
    let di = (y0 + sy) * W + x0 + a;
    const end = si + (b - a);
    if (k === 256) {
      for (; si < end; si++, di++) {
        const src = px[si]!;
        if (src >= 0xff000000) buf[di] = src;
        else if (src !== 0) {
          const dst = buf[di]!;
          buf[di] = dst === 0 ? src : over(src, src >>> 24, dst);
        }
      }
    } else {
      for (; si < end; si++, di++) {
        const src = px[si]!;
        const sa = ((src >>> 24) * k) >> 8;
        if (sa === 0) continue;
        const dst = buf[di]!;
        buf[di] = dst === 0 ? ((sa << 24) | (src & 0xffffff)) >>> 0 : over(src, sa, dst);
      }
    }
  }
}

/** Pixels a..b of a sprite row (starting at `si` in the sprite, `di` in the buffer), at full opacity, over what is there. */
function edge(buf: Uint32Array, px: Uint32Array, si: number, di: number, a: number, b: number): void {
  for (let x = a; x < b; x++) {
    const src = px[si + x]!;
    if (src >= 0xff000000) buf[di + x] = src;
    else if (src !== 0) {
      const dst = buf[di + x]!;
      buf[di + x] = dst === 0 ? src : over(src, src >>> 24, dst);
    }
  }
}

/** `src` (its alpha taken as `sa`) over `dst`, both non-premultiplied: a = sa + da(1 - sa), c = (cs·sa + cd·da(1 - sa)) / a. */
function over(src: number, sa: number, dst: number): number {
  const da = dst >>> 24;
  if (da === 255) {
    // Over an opaque pixel (inside another dot, the usual case): stays opaque, integer weights.
    const w = 255 - sa;
    const r = ((src & 0xff) * sa + (dst & 0xff) * w + 127) / 255;
    const g = (((src >>> 8) & 0xff) * sa + ((dst >>> 8) & 0xff) * w + 127) / 255;
    const b = (((src >>> 16) & 0xff) * sa + ((dst >>> 16) & 0xff) * w + 127) / 255;
    return (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
  }
  const dw = (da * (255 - sa)) / 255;
  const a = sa + dw;
  if (a <= 0) return 0;
  const r = ((src & 0xff) * sa + (dst & 0xff) * dw) / a;
  const g = (((src >>> 8) & 0xff) * sa + ((dst >>> 8) & 0xff) * dw) / a;
  const b = (((src >>> 16) & 0xff) * sa + ((dst >>> 16) & 0xff) * dw) / a;
  return (((a + 0.5) << 24) | ((b + 0.5) << 16) | ((g + 0.5) << 8) | (r + 0.5)) >>> 0;
}
