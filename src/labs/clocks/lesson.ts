// The clocks lesson. What each text says about its run, and what its "Try" promises, is pinned
// in lesson.test.ts.
import type { LessonStep } from "../types.ts";

export const lesson: LessonStep[] = [
  {
    title: "Lamport follows causality; vectors detect concurrency",
    scenario: "causality",
    text:
      "Three nodes with good clocks chat and write a shared register for 15 s: 127 events. Whenever one event happened before another — 7,608 pairs — its Lamport timestamp is smaller. " +
      "But Lamport numbers every event, so it orders concurrent events too: n2's first send has Lamport 1 and n1's first, a write, Lamport 3, though neither could know of the other, and 319 of the 393 concurrent pairs get different numbers; " +
      "vector clocks tell them apart: [n2:1] and [n1:2 n3:1], neither below the other. Try: click n2's first send, then n1's first write, and read the comparison.",
  },
  {
    title: "A fast clock: received before it was sent",
    scenario: "skew",
    text:
      "n3's clock runs 300 ms ahead. By their receivers' clocks, 21 messages arrive before they were sent, yet every check stays green: Lamport, vectors and HLC follow the messages, not the clocks, and n1's and n2's HLC run up to 253 ms ahead of their own clocks, carrying n3's time. " +
      "Flip to the wall-clock view: n3's messages point backwards. Try: set n3's clock right, and no message arrives before it was sent.",
    fix: { label: "Set n3's clock right", set: [{ path: "nodes.n3.clock.offset", value: 0 }] },
  },
  {
    title: "An NTP step backwards",
    scenario: "ntp-step",
    text:
      "At 6 s NTP steps n2's clock back 800 ms. Its next event, at 6.263 s, reads 5.462 s — earlier than its event at 5.554 s — and 15 messages arrive before they were sent. " +
      "Its HLC does not go back: (5554, 0), then (6146, 1), l holding to the latest time n2 has heard of, up to 749 ms ahead of its own clock until that catches up; Lamport and vectors never read a clock at all. " +
      "Try: step another node back from the panel while the run plays.",
  },
  {
    title: "Last writer wins, by the wrong clock",
    scenario: "lww",
    text:
      "The register keeps the write with the latest physical timestamp, and n1's clock runs 1 s ahead. n1 writes n1:3 at 4.239 s, stamped 5.239 s; n2 sees it and writes n2:2 at 4.932 s, stamped 4.932 s. " +
      "The later write carries the earlier stamp, so at 5.3 s every node still holds n1:3: n2's write is lost, and over the run 6 writes are lost this way. " +
      "Try: order the register by HLC: n2:2's HLC (5239, 5) is above n1:3's (5239, 0), every node holds n2:2 at 5.3 s, and no write is lost.",
    fix: { label: "Order by HLC", set: [{ path: "params.order", value: "hlc" }] },
  },
  {
    title: "The naive HLC runs away",
    scenario: "naive-hlc",
    text:
      "Clocks here tick every 100 ms while each node acts every 40 to 60 ms, and the HLC runs the paper's first, naive rule: with no counter, every event the clock has not moved past bumps l by one tick. " +
      "l creeps ahead: the check flags n1 at 125 ms, l = 400 against a clock reading 100 (ε = 250 ms), and by 10 s l is 25.4 s ahead of physical time. " +
      "Try: the paper's rule, with its counter c: l is never more than 200 ms ahead, c stays at most 8, and every check holds.",
    fix: { label: "The paper's HLC", set: [{ path: "params.hlc", value: "paper" }] },
  },
];
