// Who can talk to whom, derived from where the nodes are.
//
// The rule that makes dragging a partition (DESIGN.md, "Look and feel"): two nodes are linked
// while they are within `reach` of each other; the partition groups are the connected
// components of that graph. A scripted `partition` does the reverse: it lays the groups out
// as separate clusters, so that a later drag starts from positions that agree with the script.

export interface Point {
  x: number;
  y: number;
}

/** Group number per node index: connected components of the within-reach graph, numbered in node order. */
export function componentsOf(points: readonly Point[], reach: number): number[] {
  const n = points.length;
  const group = new Array<number>(n).fill(-1);
  const r2 = reach * reach;
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (group[s] !== -1) continue;
    group[s] = next;
    const stack = [s];
    while (stack.length > 0) {
      const i = stack.pop()!;
      const pi = points[i]!;
      for (let j = 0; j < n; j++) {
        if (group[j] !== -1) continue;
        const pj = points[j]!;
        const dx = pi.x - pj.x;
        const dy = pi.y - pj.y;
        if (dx * dx + dy * dy <= r2) {
          group[j] = next;
          stack.push(j);
        }
      }
    }
    next++;
  }
  return group;
}

/** Renumber groups by first appearance so that equal partitions compare equal. */
export function normalizeGroups(group: readonly number[]): number[] {
  const seen = new Map<number, number>();
  return group.map((g) => {
    let k = seen.get(g);
    if (k === undefined) {
      k = seen.size;
      seen.set(g, k);
    }
    return k;
  });
}

export function groupCount(group: readonly number[]): number {
  let max = -1;
  for (const g of group) if (g > max) max = g;
  return max + 1;
}

/** Groups as lists of node ids, in node order. */
export function groupsAsIds(group: readonly number[], ids: readonly string[]): string[][] {
  const out: string[][] = [];
  group.forEach((g, i) => {
    (out[g] ??= []).push(ids[i]!);
  });
  return out.filter((g) => g !== undefined);
}

/**
 * Nodes evenly on a circle around the centre: the default layout. Neighbours sit 0.32 apart
 * at most, inside the default reach, so the ring starts connected.
 */
export function circleLayout(n: number, radius = n <= 1 ? 0 : Math.min(0.32, 0.16 / Math.sin(Math.PI / n))): Point[] {
  const pts: Point[] = [];
  for (let i = 0; i < n; i++) {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    pts.push({ x: round3(0.5 + radius * Math.cos(a)), y: round3(0.5 + radius * Math.sin(a)) });
  }
  return pts;
}

/**
 * Positions that realise `group` (group number per node): each group a tight cluster, the
 * clusters apart. Up to four groups sit on a circle; more go on a 3×3 grid. Clusters stay
 * separated by more than `reach` for the sizes the labs use (up to 9 nodes a group).
 */
export function clusterLayout(group: readonly number[], reach: number): Point[] {
  const g = groupCount(group);
  const centres: Point[] = [];
  if (g <= 1) return circleLayout(group.length);
  for (let k = 0; k < g; k++) {
    if (g <= 4) {
      const a = Math.PI + (2 * Math.PI * k) / g;
      const r = g === 4 ? 0.38 : 0.34;
      centres.push({ x: 0.5 + r * Math.cos(a), y: 0.5 + r * Math.sin(a) });
    } else {
      centres.push({ x: 0.1 + 0.4 * (k % 3), y: 0.1 + 0.4 * Math.floor(k / 3) });
    }
  }
  const members: number[][] = [];
  group.forEach((gi, i) => (members[gi] ??= []).push(i));
  const out: Point[] = new Array(group.length);
  members.forEach((list, k) => {
    const c = centres[k]!;
    const r = list.length <= 1 ? 0 : Math.min(reach * 0.45, 0.06 + 0.015 * list.length);
    list.forEach((i, j) => {
      const a = -Math.PI / 2 + (2 * Math.PI * j) / list.length;
      out[i] = { x: round3(clamp01(c.x + r * Math.cos(a))), y: round3(clamp01(c.y + r * Math.sin(a))) };
    });
  });
  return out;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
