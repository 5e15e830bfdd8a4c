// The Raft lesson: each step opens a gallery scenario and asks the learner to try something.
import type { LessonStep } from "../types.ts";

export const lesson: LessonStep[] = [
  {
    title: "The first election",
    scenario: "first-election",
    text:
      "Every node starts as a follower with a randomized election timer (the draining ring). The first to run out becomes a candidate and asks for votes; " +
      "with a majority it leads, and its heartbeats keep the others waiting. Try: type a command for a follower and watch it go to the leader, then to every log, then commit.",
  },
];
