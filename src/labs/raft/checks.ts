// Checks for the Raft lab: the five safety properties of Figure 3 of the Raft paper (Ongaro &
// Ousterhout, "In Search of an Understandable Consensus Algorithm", 2014), followed event by event.
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
//
// Each check keeps only what the protocol's state bounds, as plain data (see labs/checking.ts):
// the logs it needs rebuilt, the leader of each term, the entries committed or applied at each
// index; never the events themselves.

import { defineCheck, own, put, type Check, type Violation } from "../checking.ts";
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

/**
 * One node's log as parallel arrays: position i holds log index i + 1. Each check keeps only
 * the arrays it reads; `terms` always.
 */
interface NodeLog {
  terms: number[];
  /** The seq of the append event that placed each entry (-1 for a hole). */
  seqs?: number[];
  cmds?: unknown[];
  /** With fingerprints: each entry's cmd as JSON and the id of the log prefix ending there. */
  keys?: string[];
  ids?: number[];
}

/**
 * Fingerprints of log prefixes, by hash-consing (previous prefix id, term, cmd): two logs hold
 * equal prefixes through index i exactly when their ids at i are equal, which is what Log
 * Matching needs to compare without walking whole logs.
 */
interface Prefixes {
  ids: Record<string, number>;
  count: number;
}

/** The indexes an append or truncate changed; see `applyToLog`. */
interface Changed {
  from: number;
  to: number;
}

const NOTHING: Changed = { from: Infinity, to: 0 };

/**
 * Applies an append or truncate event of `node` to its log in `logs` (made with `fresh` on its
 * first append). Returns the range of indexes [from, to] whose entry (or, with `prefixes`,
 * whose prefix) changed; to < from when entries were only deleted or nothing changed, and from
 * is then the first index deleted (Infinity if none).
 */
function applyToLog(logs: Record<string, NodeLog>, node: string, e: TraceEvent, fresh: () => NodeLog, prefixes?: Prefixes): Changed {
  if (e.kind === "truncate") {
    const from = truncateFrom(e);
    const l = own(logs, node);
    if (from === undefined || l === undefined || from > l.terms.length) return NOTHING;
    const keep = from - 1;
    l.terms.length = keep;
    if (l.seqs) l.seqs.length = keep;
    if (l.cmds) l.cmds.length = keep;
    if (l.keys) l.keys.length = keep;
    if (l.ids) l.ids.length = keep;
    return { from, to: keep };
  }
  const index = positiveInt(e.index);
  const term = termOf(e.term);
  if (index === undefined || term === undefined) return NOTHING;
  let l = own(logs, node);
  if (l === undefined) put(logs, node, (l = fresh()));
  const len = l.terms.length;
  if (index > len) {
    for (let j = len + 1; j < index; j++) putEntry(l, j, HOLE, undefined, -1);
    putEntry(l, index, term, e.cmd, e.seq);
    if (prefixes) for (let j = len + 1; j <= index; j++) l.ids![j - 1] = prefixId(prefixes, l, j);
    return { from: len + 1, to: index };
  }
  // An append at an index the node already holds replaces that one slot (the protocol
  // truncates first when it means to drop the tail, and writes that as its own event).
  putEntry(l, index, term, e.cmd, e.seq);
  let to = index;
  if (prefixes) {
    for (let j = index; j <= len; j++) {
      const id = prefixId(prefixes, l, j);
      if (j > index && id === l.ids![j - 1]) break;
      l.ids![j - 1] = id;
      to = j;
    }
  }
  return { from: index, to };
}

function putEntry(l: NodeLog, index: number, term: number, cmd: unknown, seq: number): void {
  l.terms[index - 1] = term;
  if (l.seqs) l.seqs[index - 1] = seq;
  if (l.cmds) l.cmds[index - 1] = cmd;
  if (l.keys) l.keys[index - 1] = term === HOLE ? "" : cmdKey(cmd);
}

function prefixId(p: Prefixes, l: NodeLog, index: number): number {
  const prev = index > 1 ? l.ids![index - 2]! : 0;
  const k = `${prev}|${l.terms[index - 1]!}|${l.keys![index - 1]!}`;
  let id = own(p.ids, k);
  if (id === undefined) {
    id = ++p.count;
    put(p.ids, k, id);
  }
  return id;
}

const termsOnly = (): NodeLog => ({ terms: [] });

/** Each node's log as of the event with this seq (that event included). Holes are left out. */
export function logsAt(trace: readonly TraceEvent[], seq: number): Record<string, LogEntry[]> {
  const logs: Record<string, NodeLog> = {};
  const fresh = (): NodeLog => ({ terms: [], seqs: [], cmds: [] });
  const seen: string[] = [];
  for (const e of trace) {
    if (e.seq > seq) break;
    if (!isObservation(e.kind)) continue;
    const node = nodeOf(e);
    if (node === undefined) continue;
    if (own(logs, node) === undefined) {
      put(logs, node, fresh());
      seen.push(node);
    }
    if (e.kind === "append" || e.kind === "truncate") applyToLog(logs, node, e, fresh);
  }
  const out: Record<string, LogEntry[]> = {};
  for (const node of seen) {
    const l = own(logs, node)!;
    const entries: LogEntry[] = [];
    for (let i = 0; i < l.terms.length; i++) {
      if (l.seqs![i] !== -1) entries.push({ index: i + 1, term: l.terms[i]!, cmd: l.cmds![i] });
    }
    put(out, node, entries);
  }
  return out;
}

interface ElectionState {
  /** By term: its first leader, and the other nodes already reported as leader in it. */
  terms: Record<string, { node: string; seq: number; reported: string[] }>;
}

export const electionSafety: Check<ElectionState> = defineCheck<ElectionState>({
  id: "election-safety",
  title: "At most one leader is elected in a term",
  kinds: ["role"],
  init: () => ({ terms: {} }),
  step(s, e) {
    if (e.kind !== "role" || e.role !== "leader") return;
    const node = nodeOf(e);
    const term = termOf(e.term);
    if (node === undefined || term === undefined) return;
    const prev = own(s.terms, String(term));
    if (prev === undefined) {
      put(s.terms, String(term), { node, seq: e.seq, reported: [] });
      return;
    }
    // The same node announcing itself again in its own term is not a second election.
    if (prev.node === node || prev.reported.includes(node)) return;
    prev.reported.push(node);
    return [
      {
        check: "election-safety",
        message: `${prev.node} and ${node} were both leader in term ${term}`,
        t: e.t,
        events: [prev.seq, e.seq],
      },
    ];
  },
});

interface AppendOnlyState {
  /** Each node's log, terms only. */
  logs: Record<string, NodeLog>;
  /** The nodes leading now: the term of their leader role event (as written) and its seq. */
  leading: Record<string, { term: string; seq: number }>;
}

export const leaderAppendOnly: Check<AppendOnlyState> = defineCheck<AppendOnlyState>({
  id: "leader-append-only",
  title: "A leader never overwrites or deletes entries in its log",
  kinds: ["role", "crash", "fail", "append", "truncate"],
  init: () => ({ logs: {}, leading: {} }),
  step(s, e) {
    const node = nodeOf(e);
    if (node === undefined) return;
    // A node's leadership runs from its leader role event to its next role event, crash or
    // failure: only then is the node bound by this property.
    switch (e.kind) {
      case "role":
        if (e.role === "leader") put(s.leading, node, { term: String(e.term), seq: e.seq });
        else delete s.leading[node];
        return;
      case "crash":
      case "fail":
        delete s.leading[node];
        return;
      case "append":
      case "truncate": {
        const since = own(s.leading, node);
        const terms = own(s.logs, node)?.terms;
        const len = terms?.length ?? 0;
        let found: Violation | undefined;
        if (since !== undefined) {
          if (e.kind === "truncate") {
            const from = truncateFrom(e);
            // A truncate past the end deletes nothing, so it breaks nothing.
            if (from !== undefined && from <= len) {
              found = {
                check: "leader-append-only",
                message: `${node}, leader in term ${since.term}, deleted ${from === len ? `entry ${from}` : `entries ${from} to ${len}`} of its own log`,
                t: e.t,
                events: [since.seq, e.seq],
              };
            }
          } else {
            const index = positiveInt(e.index);
            if (index !== undefined && index <= len) {
              const held = terms![index - 1]!;
              found = {
                check: "leader-append-only",
                message:
                  held === HOLE
                    ? `${node}, leader in term ${since.term}, wrote entry ${index} into its log after already holding later entries`
                    : `${node}, leader in term ${since.term}, overwrote entry ${index} (from term ${held}) in its own log instead of appending`,
                t: e.t,
                events: [since.seq, e.seq],
              };
            }
          }
        }
        applyToLog(s.logs, node, e, termsOnly);
        return found && [found];
      }
    }
  },
});

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

interface MatchingState {
  /** Each node's log: terms, seqs, cmd keys and prefix ids. */
  logs: Record<string, NodeLog>;
  prefixes: Prefixes;
  /**
   * By "index|term": the first prefix seen ending in that entry. In Raft one leader creates each
   * (index, term) entry once, on top of one prefix, so every later copy must match it.
   */
  first: Record<string, Registered>;
  /** "index|term|prefix id" of each divergence already reported. */
  reported: Record<string, true>;
}

const fingerprinted = (): NodeLog => ({ terms: [], seqs: [], keys: [], ids: [] });

export const logMatching: Check<MatchingState> = defineCheck<MatchingState>({
  id: "log-matching",
  title: "Logs with an entry of the same index and term are identical up to it",
  kinds: ["append", "truncate"],
  init: () => ({ logs: {}, prefixes: { ids: {}, count: 0 }, first: {}, reported: {} }),
  step(s, e) {
    if (e.kind !== "append" && e.kind !== "truncate") return;
    const node = nodeOf(e);
    if (node === undefined) return;
    const { from, to } = applyToLog(s.logs, node, e, fingerprinted, s.prefixes);
    if (to < from) return;
    const l = own(s.logs, node)!;
    let out: Violation[] | undefined;
    for (let j = from; j <= to; j++) {
      const v = matchAt(s, e, node, l, j);
      if (v) (out ??= []).push(v);
    }
    return out;
  },
});

function matchAt(s: MatchingState, e: TraceEvent, node: string, l: NodeLog, index: number): Violation | undefined {
  const term = l.terms[index - 1]!;
  if (term === HOLE) return;
  const ids = l.ids!;
  const keys = l.keys!;
  const seqs = l.seqs!;
  const id = ids[index - 1]!;
  const prevTerm = index > 1 ? l.terms[index - 2]! : NO_PREVIOUS;
  const prevId = index > 1 ? ids[index - 2]! : 0;
  const at = `${index}|${term}`;
  const reg = own(s.first, at);
  if (reg === undefined) {
    put(s.first, at, { id, node, seq: seqs[index - 1]!, prevTerm, prevId, key: keys[index - 1]! });
    return;
  }
  if (reg.id === id) return;
  // Both logs hold the same (index - 1, term) entry on different prefixes: that earlier
  // mismatch was already found, and every entry stacked on it would only repeat it.
  if (index > 1 && prevTerm !== HOLE && reg.prevTerm === prevTerm && reg.prevId !== prevId) return;
  if (own(s.reported, `${at}|${id}`)) return;
  put(s.reported, `${at}|${id}`, true);
  const who = reg.node === node ? `${node} (at two times)` : `${reg.node} and ${node}`;
  const why =
    reg.prevId === prevId
      ? `with different commands (${showCmd(reg.key)} vs ${showCmd(keys[index - 1]!)})`
      : reg.prevTerm !== prevTerm
        ? `but at index ${index - 1} ${reg.node} had ${describeTerm(reg.prevTerm)} and ${node} ${describeTerm(prevTerm)}`
        : `but their logs differ before index ${index}`;
  return {
    check: "log-matching",
    message: `${who} both hold an entry at index ${index} from term ${term}, ${why}`,
    t: e.t,
    events: [reg.seq, seqs[index - 1]!],
  };
}

interface Committed {
  index: number;
  term: number;
  node: string;
  /** The committing node's term at the commit: Figure 3 speaks of leaders of higher terms than this. */
  inTerm: number;
  seq: number;
}

interface CompletenessState {
  /** Each node's log, terms only. */
  logs: Record<string, NodeLog>;
  /** Each node's term, as of its last role event. */
  termOf: Record<string, number>;
  /**
   * committed[i]: the distinct entries ever committed at index i (more than one only when some
   * other property already broke).
   */
  committed: Committed[][];
  /**
   * Per node, the indexes of its current log already counted as committed, so each commit
   * event only looks at entries it newly covers.
   */
  scanned: Record<string, number>;
}

export const leaderCompleteness: Check<CompletenessState> = defineCheck<CompletenessState>({
  id: "leader-completeness",
  title: "A committed entry is in the log of every later leader",
  kinds: ["append", "truncate", "commit", "role"],
  init: () => ({ logs: {}, termOf: {}, committed: [], scanned: {} }),
  step(s, e) {
    const node = nodeOf(e);
    if (node === undefined) return;
    switch (e.kind) {
      case "append":
      case "truncate": {
        const { from } = applyToLog(s.logs, node, e, termsOnly);
        const scanned = own(s.scanned, node);
        if (scanned !== undefined && from <= scanned) put(s.scanned, node, from - 1);
        return;
      }
      case "commit": {
        const k = positiveInt(e.index);
        if (k === undefined) return;
        const terms = own(s.logs, node)?.terms ?? [];
        const upTo = Math.min(k, terms.length);
        const start = (own(s.scanned, node) ?? 0) + 1;
        for (let i = start; i <= upTo; i++) {
          const term = terms[i - 1]!;
          if (term === HOLE) continue;
          const at = (s.committed[i] ??= []);
          if (at.some((c) => c.term === term)) continue;
          at.push({ index: i, term, node, inTerm: own(s.termOf, node) ?? term, seq: e.seq });
        }
        if (upTo >= start) put(s.scanned, node, upTo);
        return;
      }
      case "role": {
        const term = termOf(e.term);
        if (term === undefined) return;
        put(s.termOf, node, term);
        if (e.role !== "leader") return;
        const terms = own(s.logs, node)?.terms ?? [];
        let missing: Committed | undefined;
        let more = 0;
        for (let i = 1; i < s.committed.length; i++) {
          const at = s.committed[i];
          if (at === undefined) continue;
          for (const c of at) {
            if (c.inTerm >= term || terms[i - 1] === c.term) continue;
            if (missing === undefined) missing = c;
            else more++;
          }
        }
        if (missing === undefined) return;
        const has = terms[missing.index - 1];
        const instead = has === undefined || has === HOLE ? "" : ` (it has an entry from term ${has} there)`;
        const also = more > 0 ? `, and ${more} more committed ${more === 1 ? "entry" : "entries"}` : "";
        return [
          {
            check: "leader-completeness",
            message: `${node} became leader in term ${term} without entry ${missing.index} from term ${missing.term}${instead}, which ${missing.node} had committed in term ${missing.inTerm}${also}`,
            t: e.t,
            events: [missing.seq, e.seq],
          },
        ];
      }
    }
  },
});

interface Applied {
  node: string;
  /** The entry's term as written, when it is a primitive (compared with ===); its text. */
  term: string | number | boolean | bigint | null | undefined;
  termIsValue: boolean;
  termText: string;
  key: string;
  seq: number;
}

interface StateMachineState {
  /** By index: the first entry applied there. */
  first: Record<string, Applied>;
  /** "index|term|cmd" of each different entry already reported. */
  reported: Record<string, true>;
}

export const stateMachineSafety: Check<StateMachineState> = defineCheck<StateMachineState>({
  id: "state-machine-safety",
  title: "No two servers apply different entries at the same index",
  kinds: ["apply"],
  init: () => ({ first: {}, reported: {} }),
  step(s, e) {
    if (e.kind !== "apply") return;
    const node = nodeOf(e);
    const index = positiveInt(e.index);
    if (node === undefined || index === undefined) return;
    const key = cmdKey(e.cmd);
    const prev = own(s.first, String(index));
    if (prev === undefined) {
      // A term that is an object (only in a broken trace) equals no other event's, as under ===.
      const termIsValue = e.term === null || (typeof e.term !== "object" && typeof e.term !== "function" && typeof e.term !== "symbol");
      put(s.first, String(index), {
        node,
        term: termIsValue ? (e.term as Applied["term"]) : undefined,
        termIsValue,
        termText: String(e.term),
        key,
        seq: e.seq,
      });
      return;
    }
    // Applying the same entry again (a restarted node replaying its log) is harmless.
    if (prev.termIsValue && prev.term === e.term && prev.key === key) return;
    const variant = `${index}|${String(e.term)}|${key}`;
    if (own(s.reported, variant)) return;
    put(s.reported, variant, true);
    const entries = `term ${prev.termText} ${showCmd(prev.key)} vs term ${String(e.term)} ${showCmd(key)}`;
    return [
      {
        check: "state-machine-safety",
        message:
          prev.node === node
            ? `${node} applied two different entries at index ${index} (${entries})`
            : `${prev.node} and ${node} applied different entries at index ${index} (${entries})`,
        t: e.t,
        events: [prev.seq, e.seq],
      },
    ];
  },
});

export const checks: Check[] = [electionSafety, leaderAppendOnly, logMatching, leaderCompleteness, stateMachineSafety];
