import { describe, expect, it } from "vitest";
import { spriteOf, stamp, type Box } from "./canvas.ts";

/** RGBA bytes → the uint32 ImageData's buffer reads on a little-endian machine. */
const px = (r: number, g: number, b: number, a: number) => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
const rgba = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const box = (): Box => ({ x0: 1e9, y0: 1e9, x1: 0, y1: 0 });

/** A 4 × 3 sprite: an opaque middle, half-transparent ends, empty corners. */
const RED = px(200, 10, 10, 255);
const EDGE = px(200, 10, 10, 128);
const sprite = spriteOf(
  4,
  3,
  new Uint32Array([
    0, EDGE, EDGE, 0, //
    EDGE, RED, RED, EDGE,
    0, EDGE, EDGE, 0,
  ]),
);

describe("stamping dots into pixels", () => {
  it("works out each row's painted run and its opaque stretch", () => {
    expect([...sprite.runs]).toEqual([1, 3, 0, 4, 1, 3]);
    expect([...sprite.solid]).toEqual([1, 1, 1, 3, 1, 1]);
  });

  it("copies a sprite onto empty pixels as it is, and says what it covered", () => {
    const buf = new Uint32Array(6 * 5);
    const b = box();
    stamp(buf, 6, 5, sprite, 1, 1, 1, b);
    expect(buf[1 * 6 + 1]).toBe(0);
    expect(buf[1 * 6 + 2]).toBe(EDGE);
    expect(buf[2 * 6 + 2]).toBe(RED);
    expect(buf[2 * 6 + 1]).toBe(EDGE);
    expect(b).toEqual({ x0: 1, y0: 1, x1: 5, y1: 4 });
  });

  it("blends a translucent edge over a dot already there (source over)", () => {
    const buf = new Uint32Array(4 * 3).fill(px(0, 0, 200, 255));
    stamp(buf, 4, 3, sprite, 0, 0, 1, box());
    // 128/255 of (200, 10, 10) over opaque (0, 0, 200): opaque, each channel mixed by those weights.
    expect(rgba(buf[1]!)).toEqual([100, 5, 105, 255]);
    // A corner the sprite leaves empty keeps what was there.
    expect(buf[0]).toBe(px(0, 0, 200, 255));
  });

  it("scales the alpha by a falling dot's opacity", () => {
    const buf = new Uint32Array(4 * 3);
    stamp(buf, 4, 3, sprite, 0, 0, 0.5, box());
    expect(rgba(buf[1 * 4 + 1]!)).toEqual([200, 10, 10, 127]);
    expect(rgba(buf[1 * 4]!)).toEqual([200, 10, 10, 64]);
    const none = new Uint32Array(4 * 3);
    stamp(none, 4, 3, sprite, 0, 0, 0, box());
    expect([...none].every((v) => v === 0)).toBe(true);
  });

  it("clips at the buffer's edges, and a dot wholly outside paints nothing", () => {
    const buf = new Uint32Array(3 * 2);
    const b = box();
    stamp(buf, 3, 2, sprite, -1, -1, 1, b);
    // Sprite row 1 (EDGE RED RED EDGE) lands on buffer row 0 from x = -1.
    expect([...buf.subarray(0, 3)]).toEqual([RED, RED, EDGE]);
    expect([...buf.subarray(3, 6)]).toEqual([EDGE, EDGE, 0]);
    expect(b).toEqual({ x0: 0, y0: 0, x1: 3, y1: 2 });
    const outside = box();
    stamp(buf, 3, 2, sprite, 10, 10, 1, outside);
    expect(outside.x1).toBe(0);
  });
});
