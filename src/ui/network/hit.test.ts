import { describe, expect, it } from "vitest";
import { VIEW_SIZE } from "./geometry.ts";
import { fitView, HIT_MIN_PX, HIT_RADIUS, hitMessage, hitRadiusOf, toElementCoords, toViewCoords } from "./hit.ts";

const m = (key: string, x: number, y: number) => ({ key, x, y, message: { key } });

describe("where the view sits in its element", () => {
  it("fits the square view into a wide box by its height: at the start, or centred", () => {
    expect(fitView(1000, 600, "start")).toEqual({ scale: 1, x: 0, y: 0 });
    expect(fitView(1000, 600, "center")).toEqual({ scale: 1, x: 200, y: 0 });
  });

  it("fits it into a tall box by its width, always centred vertically", () => {
    expect(fitView(300, 500, "start")).toEqual({ scale: 0.5, x: 0, y: 100 });
    expect(fitView(300, 500, "center")).toEqual({ scale: 0.5, x: 0, y: 100 });
  });

  it("maps element pixels to view units and back", () => {
    const fit = fitView(1200, 900, "center");
    expect(fit.scale).toBe(1.5);
    const p = toViewCoords(fit, 150 + 450, 450);
    expect(p.x).toBeCloseTo(VIEW_SIZE / 2, 9);
    expect(p.y).toBeCloseTo(VIEW_SIZE / 2, 9);
    const back = toElementCoords(fit, p.x, p.y);
    expect(back.x).toBeCloseTo(600, 9);
    expect(back.y).toBeCloseTo(450, 9);
  });

  it("maps nothing while the element has no size", () => {
    const p = toViewCoords(fitView(0, 0), 10, 10);
    expect(Number.isNaN(p.x)).toBe(true);
    expect(hitMessage([m("1", 0, 0)], p.x, p.y)).toBeNull();
  });
});

describe("which message a pointer is on", () => {
  const messages = [m("1", 100, 100), m("2", 110, 100), m("3", 300, 300), m("3.1", 300, 300)];

  it("is the nearest within the hit radius", () => {
    expect(hitMessage(messages, 101, 100)).toBe("1");
    expect(hitMessage(messages, 108, 101)).toBe("2");
    expect(hitMessage(messages, 300 + HIT_RADIUS - 0.5, 300)).not.toBeNull();
  });

  it("is none farther than the radius from every message", () => {
    expect(hitMessage(messages, 200, 200)).toBeNull();
    expect(hitMessage(messages, 300 + HIT_RADIUS + 0.5, 300)).toBeNull();
    expect(hitMessage([], 100, 100)).toBeNull();
  });

  it("is the one painted later of two at the same place (it is on top)", () => {
    expect(hitMessage(messages, 300, 301)).toBe("3.1");
  });

  it("is found through the element's pixels as the canvas paints it", () => {
    const fit = fitView(800, 400, "start");
    const at = toElementCoords(fit, 110, 100);
    const p = toViewCoords(fit, at.x + 1, at.y - 1);
    expect(hitMessage(messages, p.x, p.y, hitRadiusOf(fit))).toBe("2");
  });

  it("never asks for less than a fingertip on a small view", () => {
    expect(hitRadiusOf(fitView(900, 900))).toBe(HIT_RADIUS);
    const small = fitView(300, 300);
    expect(hitRadiusOf(small) * small.scale).toBe(HIT_MIN_PX);
  });
});
