// The gossip lesson: three steps from "rumours spread" to "and nothing is ever lost".
// What each text says about its run, and what its "Try" promises, is pinned in lesson.test.ts.
import type { LessonStep } from "../types.ts";

export const lesson: LessonStep[] = [
  {
    title: "A rumour spreads",
    scenario: "steady",
    text:
      "Each node counts its own increments and, every 200 ms, tells one peer picked at random everything it knows. " +
      "Watch each increment at n1 reach every node. Try: pause at 4 s, when n2 adds 2, and step forward one event at a time: the news reaches the other four one by one, and all five show 12 at 4.52 s.",
  },
  {
    title: "Both halves keep counting",
    scenario: "partition-heal",
    text:
      "At 2 s the network splits n1 and n2 from n3, n4 and n5. Both sides go on counting, and each only sees its own increments: n1's side reaches 5, the other 3. " +
      "At 9 s it heals and gossip merges the halves by taking the maximum per node: all five show 8. " +
      "Try: between 6 s and the heal, drag n3 over to n1's side: n1, n2 and n3 reach 8 within a second, while n4 and n5 stay at 3 until 9 s.",
  },
  {
    title: "Lost, doubled, out of order — still right",
    scenario: "lossy",
    text:
      "30 % of the messages are lost, a fifth of the rest delivered twice, and some arrive after ones sent later; n6 crashes at 5 s and comes back at 8 s knowing only its own count. " +
      "Merging by max does not care: the totals only arrive later, and from 8.23 s all seven show 10. " +
      "Try: go back to 0 s and raise the loss to 90 % with the slider: all seven show 10 only from 10.35 s.",
  },
];
