// The gossip lesson: three steps from "rumours spread" to "and nothing is ever lost".
import type { LessonStep } from "../types.ts";

export const lesson: LessonStep[] = [
  {
    title: "A rumour spreads",
    scenario: "steady",
    text:
      "Each node counts its own increments and, every 200 ms, tells one peer picked at random everything it knows. " +
      "Watch a new increment at n1 reach every node. Try: pause just after an increment and step forward one event at a time — how many rounds until all five agree?",
  },
  {
    title: "Both halves keep counting",
    scenario: "partition-heal",
    text:
      "At 2 s the network splits in two. Both sides go on counting, and each only sees its own increments. " +
      "At 9 s it heals and gossip merges the halves by taking the maximum per node. Try: drag n3 over to n1's side before the heal and see which totals change.",
  },
  {
    title: "Lost, doubled, out of order — still right",
    scenario: "lossy",
    text:
      "A third of the messages are lost, a fifth delivered twice, and they overtake each other; n6 crashes and comes back. " +
      "Merging by max does not care: the totals only arrive later. Try: raise the loss to 90 % with the slider and watch how long agreement takes.",
  },
];
