// Checks for the Raft lab: the five safety properties of Figure 3 of the Raft paper (Ongaro &
// Ousterhout, "In Search of an Understandable Consensus Algorithm", 2014), over a finished trace.
//
// - Election Safety: at most one leader per term.
// - Leader Append-Only: a leader never overwrites or deletes entries of its own log.
// - Log Matching: two logs holding an entry with the same index and term agree up to there.
// - Leader Completeness: an entry committed in a term is in the log of every leader of a
//   later term.
// - State Machine Safety: no two servers apply different entries at the same index.
//
// The protocol writes what it does as observation events (`role`, `append`, `truncate`,
// `commit`, `apply`); these checks rebuild each node's log from them. Logs are persistent
// (Figure 2, "Persistent state on all servers"), so a crash and a restart keep them; roles are
// volatile, so a crash or a failure ends a node's leadership.

import type { Check, Violation } from "../types.ts";
import type { TraceEvent } from "../../sim/trace.ts";

export interface LogEntry {
  index: number;
  term: number;
  cmd: unknown;
}

// A slot the log never had an append for (an append beyond the end): only in broken traces,
// but the later entries still have to sit at their own indexes.
const HOLE = -1;
// The term "before" index 1, so entry 1's predecessor compares equal on every node.
const NO_PREVIOUS = -2;

function nodeOf(e: TraceEvent): string | undefined {
  return typeof e.node === "string" ? e.node : undefined;
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 ? v : undefined;
}

function termOf(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Where a truncate starts; 0 reads as "the whole log". (`from` is typed for `send` events.) */
function truncateFrom(e: TraceEvent): number | undefined {
  const from: unknown = e.from;
  return from === 0 ? 1 : positiveInt(from);
}

function cmdKey(cmd: unknown): string {
  return JSON.stringify(cmd) ?? "undefined";
}

function showCmd(key: string): string {
  return key.length > 40 ? `${key.slice(0, 37)}...` : key;
}

function isObservation(kind: string): boolean {
  return kind === "role" || kind === "append" || kind === "truncate" || kind === "commit" || kind === "apply";
}

/** One node's log as parallel arrays: position i holds log index i + 1. */
interface NodeLog {
  terms: number[];
  cmds: unknown[];
  /** The seq of the append event that placed each entry (-1 for a hole). */
  seqs: number[];
  /** With fingerprints: each entry's cmd as JSON and the id of the log prefix ending there. */
  keys: string[];
  ids: number[];
}

/**
 * Every node's log, replayed from append and truncate events. With `fingerprints`, each prefix
 * of each log gets an id by hash-consing (previous prefix id, term, cmd): two logs hold equal
 * prefixes through index i exactly when their ids at i are equal, which is what Log Matching
 * needs to compare without walking whole logs.
 */
class LogBook {
  readonly logs = new Map<string, NodeLog>();
  private readonly interned = new Map<string, number>();

  constructor(private readonly fingerprints: boolean) {}

  log(node: string): NodeLog {
    let l = this.logs.get(node);
    if (l === undefined) {
      l = { terms: [], cmds: [], seqs: [], keys: [], ids: [] };
      this.logs.set(node, l);
    }
    return l;
  }

  length(node: string): number {
    return this.logs.get(node)?.terms.length ?? 0;
  }

  /**
   * Applies an append or truncate event. Returns the range of indexes [from, to] whose entry
   * (or, with fingerprints, whose prefix) changed; to < from when entries were only deleted or
   * nothing changed, and from is then the first index deleted (Infinity if none).
   */
  apply(e: TraceEvent): { from: number; to: number } {
    const node = nodeOf(e);
    if (node === undefined) return { from: Infinity, to: 0 };
    if (e.kind === "truncate") {
      const from = truncateFrom(e);
      const l = this.logs.get(node);
      if (from === undefined || l === undefined || from > l.terms.length) return { from: Infinity, to: 0 };
      const keep = from - 1;
      l.terms.length = keep;
      l.cmds.length = keep;
      l.seqs.length = keep;
      if (this.fingerprints) {
        l.keys.length = keep;
        l.ids.length = keep;
      }
      return { from, to: keep };
    }
    const index = positiveInt(e.index);
    const term = termOf(e.term);
    if (index === undefined || term === undefined) return { from: Infinity, to: 0 };
    const l = this.log(node);
    const len = l.terms.length;
    if (index > len) {
      for (let j = len + 1; j < index; j++) this.put(l, j, HOLE, undefined, -1);
      this.put(l, index, term, e.cmd, e.seq);
      if (this.fingerprints) for (let j = len + 1; j <= index; j++) l.ids[j - 1] = this.prefixId(l, j);
      return { from: len + 1, to: index };
    }
    // An append at an index the node already holds replaces that one slot (the protocol
    // truncates first when it means to drop the tail, and writes that as its own event).
    this.put(l, index, term, e.cmd, e.seq);
    let to = index;
    if (this.fingerprints) {
      for (let j = index; j <= len; j++) {
        const id = this.prefixId(l, j);
        if (j > index && id === l.ids[j - 1]) break;
        l.ids[j - 1] = id;
        to = j;
      }
    }
    return { from: index, to };
  }

  private put(l: NodeLog, index: number, term: number, cmd: unknown, seq: number): void {
    l.terms[index - 1] = term;
    l.cmds[index - 1] = cmd;
    l.seqs[index - 1] = seq;
    if (this.fingerprints) l.keys[index - 1] = term === HOLE ? "" : cmdKey(cmd);
  }

  private prefixId(l: NodeLog, index: number): number {
    const prev = index > 1 ? l.ids[index - 2]! : 0;
    const k = `${prev}|${l.terms[index - 1]!}|${l.keys[index - 1]!}`;
    let id = this.interned.get(k);
    if (id === undefined) {
      id = this.interned.size + 1;
      this.interned.set(k, id);
    }
    return id;
  }
}

/** Each node's log as of the event with this seq (that event included). Holes are left out. */
export function logsAt(trace: readonly TraceEvent[], seq: number): Record<string, LogEntry[]> {
  const book = new LogBook(false);
  const seen: string[] = [];
  for (const e of trace) {
    if (e.seq > seq) break;
    if (!isObservation(e.kind)) continue;
    const node = nodeOf(e);
    if (node === undefined) continue;
    if (!book.logs.has(node)) {
      book.log(node);
      seen.push(node);
    }
    if (e.kind === "append" || e.kind === "truncate") book.apply(e);
  }
  const out: Record<string, LogEntry[]> = {};
  for (const node of seen) {
    const l = book.log(node);
    const entries: LogEntry[] = [];
    for (let i = 0; i < l.terms.length; i++) {
      if (l.seqs[i] !== -1) entries.push({ index: i + 1, term: l.terms[i]!, cmd: l.cmds[i] });
    }
    out[node] = entries;
  }
  return out;
}

export const electionSafety: Check = {
  id: "election-safety",
  title: "At most one leader is elected in a term",
  run(trace) {
    const out: Violation[] = [];
    const first = new Map<number, { node: string; seq: number }>();
    const reported = new Set<string>();
    for (const e of trace) {
      if (e.kind !== "role" || e.role !== "leader") continue;
      const node = nodeOf(e);
      const term = termOf(e.term);
      if (node === undefined || term === undefined) continue;
      const prev = first.get(term);
      if (prev === undefined) {
        first.set(term, { node, seq: e.seq });
        continue;
      }
      // The same node announcing itself again in its own term is not a second election.
      if (prev.node === node || reported.has(`${term}|${node}`)) continue;
      reported.add(`${term}|${node}`);
      out.push({
        check: "election-safety",
        message: `${prev.node} and ${node} were both leader in term ${term}`,
        t: e.t,
        events: [prev.seq, e.seq],
      });
    }
    return out;
  },
};

export const leaderAppendOnly: Check = {
  id: "leader-append-only",
  title: "A leader never overwrites or deletes entries in its log",
  run(trace) {
    const out: Violation[] = [];
    const book = new LogBook(false);
    // A node's leadership runs from its leader role event to its next role event, crash or
    // failure: only then is the node bound by this property.
    const leading = new Map<string, TraceEvent>();
    for (const e of trace) {
      const node = nodeOf(e);
      if (node === undefined) continue;
      switch (e.kind) {
        case "role":
          if (e.role === "leader") leading.set(node, e);
          else leading.delete(node);
          break;
        case "crash":
        case "fail":
          leading.delete(node);
          break;
        case "append":
        case "truncate": {
          const since = leading.get(node);
          const len = book.length(node);
          if (since !== undefined) {
            const term = String(since.term);
            if (e.kind === "truncate") {
              const from = truncateFrom(e);
              // A truncate past the end deletes nothing, so it breaks nothing.
              if (from !== undefined && from <= len) {
                out.push({
                  check: "leader-append-only",
                  message: `${node}, leader in term ${term}, deleted ${from === len ? `entry ${from}` : `entries ${from} to ${len}`} of its own log`,
                  t: e.t,
                  events: [since.seq, e.seq],
                });
              }
            } else {
              const index = positiveInt(e.index);
              if (index !== undefined && index <= len) {
                const held = book.log(node).terms[index - 1]!;
                out.push({
                  check: "leader-append-only",
                  message:
                    held === HOLE
                      ? `${node}, leader in term ${term}, wrote entry ${index} into its log after already holding later entries`
                      : `${node}, leader in term ${term}, overwrote entry ${index} (from term ${held}) in its own log instead of appending`,
                  t: e.t,
                  events: [since.seq, e.seq],
                });
              }
            }
          }
          book.apply(e);
          break;
        }
      }
    }
    return out;
  },
};

interface Registered {
  id: number;
  node: string;
  seq: number;
  prevTerm: number;
  prevId: number;
  key: string;
}

function describeTerm(term: number): string {
  return term === HOLE ? "no entry" : term === NO_PREVIOUS ? "nothing" : `an entry from term ${term}`;
}

export const logMatching: Check = {
  id: "log-matching",
  title: "Logs with an entry of the same index and term are identical up to it",
  run(trace) {
    const out: Violation[] = [];
    const book = new LogBook(true);
    // The first prefix seen for each (index, term): in Raft one leader creates each
    // (index, term) entry once, on top of one prefix, so every later copy must match it.
    const first = new Map<string, Registered>();
    const reported = new Set<string>();

    const check = (e: TraceEvent, node: string, l: NodeLog, index: number): void => {
      const term = l.terms[index - 1]!;
      if (term === HOLE) return;
      const id = l.ids[index - 1]!;
      const prevTerm = index > 1 ? l.terms[index - 2]! : NO_PREVIOUS;
      const prevId = index > 1 ? l.ids[index - 2]! : 0;
      const at = `${index}|${term}`;
      const reg = first.get(at);
      if (reg === undefined) {
        first.set(at, { id, node, seq: l.seqs[index - 1]!, prevTerm, prevId, key: l.keys[index - 1]! });
        return;
      }
      if (reg.id === id) return;
      // Both logs hold the same (index - 1, term) entry on different prefixes: that earlier
      // mismatch was already found, and every entry stacked on it would only repeat it.
      if (index > 1 && prevTerm !== HOLE && reg.prevTerm === prevTerm && reg.prevId !== prevId) return;
      if (reported.has(`${at}|${id}`)) return;
      reported.add(`${at}|${id}`);
      const who = reg.node === node ? `${node} (at two times)` : `${reg.node} and ${node}`;
      const why =
        reg.prevId === prevId
          ? `with different commands (${showCmd(reg.key)} vs ${showCmd(l.keys[index - 1]!)})`
          : reg.prevTerm !== prevTerm
            ? `but at index ${index - 1} ${reg.node} had ${describeTerm(reg.prevTerm)} and ${node} ${describeTerm(prevTerm)}`
            : `but their logs differ before index ${index}`;
      out.push({
        check: "log-matching",
        message: `${who} both hold an entry at index ${index} from term ${term}, ${why}`,
        t: e.t,
        events: [reg.seq, l.seqs[index - 1]!],
      });
    };

    for (const e of trace) {
      if (e.kind !== "append" && e.kind !== "truncate") continue;
      const node = nodeOf(e);
      if (node === undefined) continue;
      const { from, to } = book.apply(e);
      const l = book.log(node);
      for (let j = from; j <= to; j++) check(e, node, l, j);
    }
    return out;
  },
};

interface Committed {
  index: number;
  term: number;
  node: string;
  /** The committing node's term at the commit: Figure 3 speaks of leaders of higher terms than this. */
  inTerm: number;
  seq: number;
}

export const leaderCompleteness: Check = {
  id: "leader-completeness",
  title: "A committed entry is in the log of every later leader",
  run(trace) {
    const out: Violation[] = [];
    const book = new LogBook(false);
    const termOfNode = new Map<string, number>();
    // committed[i]: the distinct entries ever committed at index i (more than one only when
    // some other property already broke).
    const committed: Committed[][] = [];
    // Per node, the indexes of its current log already counted as committed, so each commit
    // event only looks at entries it newly covers.
    const scanned = new Map<string, number>();

    for (const e of trace) {
      const node = nodeOf(e);
      if (node === undefined) continue;
      switch (e.kind) {
        case "append":
        case "truncate": {
          const { from } = book.apply(e);
          const s = scanned.get(node);
          if (s !== undefined && from <= s) scanned.set(node, from - 1);
          break;
        }
        case "commit": {
          const k = positiveInt(e.index);
          if (k === undefined) break;
          const l = book.log(node);
          const upTo = Math.min(k, l.terms.length);
          const start = (scanned.get(node) ?? 0) + 1;
          for (let i = start; i <= upTo; i++) {
            const term = l.terms[i - 1]!;
            if (term === HOLE) continue;
            const at = (committed[i] ??= []);
            if (at.some((c) => c.term === term)) continue;
            at.push({ index: i, term, node, inTerm: termOfNode.get(node) ?? term, seq: e.seq });
          }
          if (upTo >= start) scanned.set(node, upTo);
          break;
        }
        case "role": {
          const term = termOf(e.term);
          if (term === undefined) break;
          termOfNode.set(node, term);
          if (e.role !== "leader") break;
          const terms = book.log(node).terms;
          let missing: Committed | undefined;
          let more = 0;
          for (let i = 1; i < committed.length; i++) {
            const at = committed[i];
            if (at === undefined) continue;
            for (const c of at) {
              if (c.inTerm >= term || terms[i - 1] === c.term) continue;
              if (missing === undefined) missing = c;
              else more++;
            }
          }
          if (missing === undefined) break;
          const has = terms[missing.index - 1];
          const instead = has === undefined || has === HOLE ? "" : ` (it has an entry from term ${has} there)`;
          const also = more > 0 ? `, and ${more} more committed ${more === 1 ? "entry" : "entries"}` : "";
          out.push({
            check: "leader-completeness",
            message: `${node} became leader in term ${term} without entry ${missing.index} from term ${missing.term}${instead}, which ${missing.node} had committed in term ${missing.inTerm}${also}`,
            t: e.t,
            events: [missing.seq, e.seq],
          });
          break;
        }
      }
    }
    return out;
  },
};

export const stateMachineSafety: Check = {
  id: "state-machine-safety",
  title: "No two servers apply different entries at the same index",
  run(trace) {
    const out: Violation[] = [];
    const first = new Map<number, { node: string; term: unknown; key: string; seq: number }>();
    const reported = new Set<string>();
    for (const e of trace) {
      if (e.kind !== "apply") continue;
      const node = nodeOf(e);
      const index = positiveInt(e.index);
      if (node === undefined || index === undefined) continue;
      const key = cmdKey(e.cmd);
      const prev = first.get(index);
      if (prev === undefined) {
        first.set(index, { node, term: e.term, key, seq: e.seq });
        continue;
      }
      // Applying the same entry again (a restarted node replaying its log) is harmless.
      if (prev.term === e.term && prev.key === key) continue;
      const variant = `${index}|${String(e.term)}|${key}`;
      if (reported.has(variant)) continue;
      reported.add(variant);
      const entries = `term ${String(prev.term)} ${showCmd(prev.key)} vs term ${String(e.term)} ${showCmd(key)}`;
      out.push({
        check: "state-machine-safety",
        message:
          prev.node === node
            ? `${node} applied two different entries at index ${index} (${entries})`
            : `${prev.node} and ${node} applied different entries at index ${index} (${entries})`,
        t: e.t,
        events: [prev.seq, e.seq],
      });
    }
    return out;
  },
};

export const checks: Check[] = [electionSafety, leaderAppendOnly, logMatching, leaderCompleteness, stateMachineSafety];
