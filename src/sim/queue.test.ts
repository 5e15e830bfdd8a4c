import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "./queue.ts";

describe("the event queue", () => {
  it("pops earlier times first", () => {
    const q = new EventQueue<{ t: number; seq: number }>();
    q.push({ t: 30, seq: 0 });
    q.push({ t: 10, seq: 1 });
    q.push({ t: 20, seq: 2 });
    expect([q.pop()!.t, q.pop()!.t, q.pop()!.t]).toEqual([10, 20, 30]);
    expect(q.pop()).toBeUndefined();
  });

  it("breaks ties at equal times by sequence number, whatever the insertion order", () => {
    const q = new EventQueue<{ t: number; seq: number }>();
    for (const seq of [5, 2, 9, 0, 7]) q.push({ t: 100, seq });
    const out: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.seq);
    expect(out).toEqual([0, 2, 5, 7, 9]);
  });

  it("pops any set of events in (t, seq) order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue<{ t: number; seq: number }>();
        times.forEach((t, seq) => q.push({ t, seq }));
        const expected = times.map((t, seq) => ({ t, seq })).sort((a, b) => a.t - b.t || a.seq - b.seq);
        const out = [];
        for (let e = q.pop(); e; e = q.pop()) out.push(e);
        expect(out).toEqual(expected);
      }),
    );
  });

  it("rebuilds from a snapshot of its items", () => {
    const q = new EventQueue<{ t: number; seq: number }>();
    [4, 1, 3, 1, 2].forEach((t, seq) => q.push({ t, seq }));
    const r = EventQueue.from(structuredClone([...q.items()]));
    const out: string[] = [];
    for (let e = r.pop(); e; e = r.pop()) out.push(`${e.t}/${e.seq}`);
    expect(out).toEqual(["1/1", "1/3", "2/4", "3/2", "4/0"]);
  });
});
