// The event queue: a binary min-heap ordered by (t, seq).
//
// `seq` is handed out by the engine in the order events are scheduled, so two events at the
// same virtual time pop in the order they were created. That tie-break is what makes the
// run a function of the scenario alone, and it is the order the worker host reproduces when
// it merges results from several workers (runtime/worker-host.ts).
//
// A heap, not a sorted array: a busy run holds thousands of in-flight messages and timers,
// and inserting into a sorted array costs O(n) per event.

export interface Keyed {
  t: number;
  seq: number;
}

export function before(a: Keyed, b: Keyed): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

export class EventQueue<E extends Keyed> {
  private heap: E[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  push(e: E): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (!before(e, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = e;
  }

  pop(): E | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      const n = h.length;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r]!, h[l]!) ? r : l;
        if (!before(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  /** The queued events in heap order (not sorted): for snapshots. */
  items(): readonly E[] {
    return this.heap;
  }

  /** Rebuild from a snapshot's items. Any order is accepted. */
  static from<E extends Keyed>(items: readonly E[]): EventQueue<E> {
    const q = new EventQueue<E>();
    for (const e of items) q.push(e);
    return q;
  }
}
