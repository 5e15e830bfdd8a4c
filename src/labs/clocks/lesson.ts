// The clocks lesson. What each text says about its run is pinned in lesson.test.ts.
import type { LessonStep } from "../types.ts";

export const lesson: LessonStep[] = [
  { title: "Lamport follows causality; vectors detect concurrency", scenario: "causality", text: "TODO" },
  { title: "A fast clock: received before it was sent", scenario: "skew", text: "TODO" },
  { title: "An NTP step backwards", scenario: "ntp-step", text: "TODO" },
  { title: "Last writer wins, by the wrong clock", scenario: "lww", text: "TODO", fix: { label: "Order by HLC", set: [{ path: "params.order", value: "hlc" }] } },
  { title: "The naive HLC runs away", scenario: "naive-hlc", text: "TODO", fix: { label: "The paper's HLC", set: [{ path: "params.hlc", value: "paper" }] } },
];
