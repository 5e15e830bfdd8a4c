// The resilience lesson. What each text says about its run is pinned in lesson.test.ts.
import type { LessonStep } from "../types.ts";

export const lesson: LessonStep[] = [
  { title: "A downstream outage, with a circuit breaker", scenario: "outage-breaker", text: "TODO. Try: TODO." },
];
