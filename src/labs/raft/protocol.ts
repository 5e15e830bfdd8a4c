// Raft, as Figure 2 of the paper writes it (Ongaro & Ousterhout, "In Search of an
// Understandable Consensus Algorithm", 2014). Each handler applies the rules that concern its
// input; the comments name them. Three of the safety rules can be switched off by the
// scenario (params.rules) so a learner can watch what each one prevents:
//   electionRestriction (§5.4.1)  vote only for a candidate whose log is at least as up to date;
//   currentTermCommit   (§5.4.2)  count replicas only for entries of the leader's own term (Figure 8);
//   persistVote         (Figure 2) votedFor is persistent state: it survives a crash.
//
// The state machine is a small key-value map. Commands carry a client id and a sequence
// number, and the state machine ignores a sequence number it has already applied for that
// client, so a retried or duplicated command takes effect once.

import type { RaftParams } from "./params.ts";
import { step, type Ctx, type Effect, type Protocol } from "../../sim/types.ts";

export type Role = "follower" | "candidate" | "leader";

export interface Entry {
  term: number;
  cmd: ClientCommand;
}

/** A client's request; a bare string from a scenario becomes `{ client: null, seq: null, op }`. */
export interface ClientCommand {
  client: string | null;
  seq: number | null;
  op: string;
}

export interface Rules {
  electionRestriction: boolean;
  currentTermCommit: boolean;
  persistVote: boolean;
}

export interface RaftState {
  self: string;
  // Persistent state on all servers (Figure 2).
  currentTerm: number;
  votedFor: string | null;
  /** log[0] is index 1. */
  log: Entry[];
  // Volatile state on all servers.
  commitIndex: number;
  lastApplied: number;
  role: Role;
  /** The leader this node last heard from in its current term. */
  leader: string | null;
  /** Votes received in the current election (candidates). */
  votes: string[];
  // Volatile state on leaders, reinitialized after election.
  nextIndex: Record<string, number>;
  matchIndex: Record<string, number>;
  // The state machine and its client sessions (last sequence number applied per client).
  kv: Record<string, string>;
  sessions: Record<string, number>;
  /** For the view's draining ring: when the election timer fires (local clock) and its length. */
  electionDeadline: number;
  electionTimeout: number;
}

export type RaftMsg =
  | { type: "RequestVote"; term: number; candidateId: string; lastLogIndex: number; lastLogTerm: number }
  | { type: "RequestVoteReply"; term: number; voteGranted: boolean }
  | {
      type: "AppendEntries";
      term: number;
      leaderId: string;
      prevLogIndex: number;
      prevLogTerm: number;
      entries: Entry[];
      leaderCommit: number;
    }
  /** `matchIndex`: the last index known to match on success; on failure, the follower's log length (a hint for nextIndex). */
  | { type: "AppendEntriesReply"; term: number; success: boolean; matchIndex: number }
  | { type: "ClientRequest"; cmd: ClientCommand };

/** Entries a leader sends in one AppendEntries at most. */
const BATCH = 32;

/** The lab's params as every host hands them over: parsed, defaults filled (params.ts). */
function config(ctx: Ctx): RaftParams {
  return ctx.params as RaftParams;
}

export function normalizeCommand(cmd: unknown): ClientCommand | null {
  if (typeof cmd === "string") return cmd.trim() === "" ? null : { client: null, seq: null, op: cmd.trim() };
  if (typeof cmd !== "object" || cmd === null) return null;
  const c = cmd as Record<string, unknown>;
  if (typeof c.op !== "string" || c.op.trim() === "") return null;
  return {
    client: typeof c.client === "string" ? c.client : null,
    seq: typeof c.seq === "number" && Number.isFinite(c.seq) ? c.seq : null,
    op: c.op.trim(),
  };
}

export function commandText(cmd: ClientCommand): string {
  return cmd.client === null ? cmd.op : `${cmd.op} (${cmd.client}#${cmd.seq ?? "?"})`;
}

const lastIndex = (s: RaftState) => s.log.length;
const lastTerm = (s: RaftState) => s.log[s.log.length - 1]?.term ?? 0;
const termAt = (s: RaftState, index: number) => (index === 0 ? 0 : (s.log[index - 1]?.term ?? -1));
const majority = (ctx: Ctx) => Math.floor((ctx.peers.length + 1) / 2) + 1;

/**
 * A mutable step: handlers build the next state and its effects, then return them.
 *
 * The state handed in belongs to the caller (the player keeps it to seek back to), so it is
 * never written: the first edit of a step copies it (`edit`), and every later edit of that step
 * goes into the copy. One shallow copy per step at most, however many rules change a field;
 * a step that changes nothing returns the state it was given.
 */
class Out {
  effects: Effect[] = [];
  private owned: boolean;
  constructor(
    public s: RaftState,
    readonly ctx: Ctx,
    /** `s` is new and nobody else's (init): edit it in place from the start. */
    fresh = false,
  ) {
    this.owned = fresh;
  }
  /** This step's own copy of the state, to write fields of (lists and maps inside are still shared: replace them, never edit them). */
  edit(): RaftState {
    if (!this.owned) {
      this.s = copyState(this.s);
      this.owned = true;
    }
    return this.s;
  }
  send(to: string, msg: RaftMsg) {
    this.effects.push({ type: "send", to, msg });
  }
  note(text: string) {
    this.effects.push({ type: "note", text });
  }
  observe(kind: string, data: Record<string, unknown>) {
    this.effects.push({ type: "observe", kind, data });
  }
  done() {
    return step(this.s, this.effects);
  }
}

/** A shallow copy, field by field in RaftState's order (a spread of a 15-field object costs more, on every step). */
function copyState(s: RaftState): RaftState {
  return {
    self: s.self,
    currentTerm: s.currentTerm,
    votedFor: s.votedFor,
    log: s.log,
    commitIndex: s.commitIndex,
    lastApplied: s.lastApplied,
    role: s.role,
    leader: s.leader,
    votes: s.votes,
    nextIndex: s.nextIndex,
    matchIndex: s.matchIndex,
    kv: s.kv,
    sessions: s.sessions,
    electionDeadline: s.electionDeadline,
    electionTimeout: s.electionTimeout,
  };
}

function resetElectionTimer(o: Out): void {
  const [lo, hi] = config(o.ctx).electionTimeout;
  // Randomized timeouts (§5.2) make split votes rare: one node usually times out first.
  const after = o.ctx.rng.range(lo, hi);
  const s = o.edit();
  s.electionDeadline = o.ctx.now + after;
  s.electionTimeout = after;
  o.effects.push({ type: "setTimer", name: "election", after });
}

function setRole(o: Out, role: Role): void {
  o.edit().role = role;
  o.observe("role", { role, term: o.s.currentTerm });
}

/** All servers: if an RPC carries a term T > currentTerm, set currentTerm = T and convert to follower. */
function observeTerm(o: Out, term: number): void {
  if (term <= o.s.currentTerm) return;
  const wasLeader = o.s.role === "leader";
  const s = o.edit();
  s.currentTerm = term;
  s.votedFor = null;
  s.leader = null;
  s.votes = [];
  if (wasLeader) {
    o.note(`${o.s.self} saw term ${term} and steps down`);
    o.effects.push({ type: "cancelTimer", name: "heartbeat" });
    resetElectionTimer(o);
  }
  setRole(o, "follower");
}

function startElection(o: Out): void {
  const old = o.s.currentTerm;
  // Candidates (§5.2): increment currentTerm, vote for self, reset the election timer, ask everyone.
  const s = o.edit();
  s.currentTerm = old + 1;
  s.votedFor = s.self;
  s.votes = [s.self];
  s.leader = null;
  setRole(o, "candidate");
  o.note(`${o.s.self} timed out in term ${old} and asks for votes for term ${old + 1}`);
  resetElectionTimer(o);
  for (const p of o.ctx.peers) {
    o.send(p, { type: "RequestVote", term: o.s.currentTerm, candidateId: o.s.self, lastLogIndex: lastIndex(o.s), lastLogTerm: lastTerm(o.s) });
  }
  if (o.s.votes.length >= majority(o.ctx)) becomeLeader(o);
}

function becomeLeader(o: Out): void {
  const next: Record<string, number> = {};
  const match: Record<string, number> = {};
  for (const p of o.ctx.peers) {
    next[p] = lastIndex(o.s) + 1;
    match[p] = 0;
  }
  const s = o.edit();
  s.leader = s.self;
  s.nextIndex = next;
  s.matchIndex = match;
  setRole(o, "leader");
  o.note(`${o.s.self} won term ${o.s.currentTerm} with ${o.s.votes.length} of ${o.ctx.peers.length + 1} votes`);
  o.effects.push({ type: "cancelTimer", name: "election" });
  s.electionDeadline = 0;
  s.electionTimeout = 0;
  // Upon election: send initial empty AppendEntries (heartbeat) to each server.
  broadcastAppend(o);
  o.effects.push({ type: "setTimer", name: "heartbeat", after: config(o.ctx).heartbeat });
}

function sendAppend(o: Out, peer: string): void {
  const s = o.s;
  const next = s.nextIndex[peer] ?? lastIndex(s) + 1;
  const prevLogIndex = next - 1;
  o.send(peer, {
    type: "AppendEntries",
    term: s.currentTerm,
    leaderId: s.self,
    prevLogIndex,
    prevLogTerm: termAt(s, prevLogIndex),
    entries: s.log.slice(prevLogIndex, prevLogIndex + BATCH),
    leaderCommit: s.commitIndex,
  });
}

function broadcastAppend(o: Out): void {
  for (const p of o.ctx.peers) sendAppend(o, p);
}

/** Leaders: commit the highest N that a majority has replicated (of the current term, unless the rule is off). */
function advanceCommit(o: Out): void {
  const s = o.s;
  const rules = config(o.ctx).rules;
  for (let n = lastIndex(s); n > s.commitIndex; n--) {
    if (rules.currentTermCommit && termAt(s, n) !== s.currentTerm) continue;
    let count = 1;
    for (const p of o.ctx.peers) if ((s.matchIndex[p] ?? 0) >= n) count++;
    if (count >= majority(o.ctx)) {
      commitTo(o, n);
      return;
    }
  }
}

function commitTo(o: Out, index: number): void {
  if (index <= o.s.commitIndex) return;
  o.edit().commitIndex = index;
  o.observe("commit", { index });
  if (o.s.role === "leader") o.note(`${o.s.self} committed up to entry ${index}`);
  applyCommitted(o);
}

/** All servers: while commitIndex > lastApplied, apply log[lastApplied + 1] to the state machine. */
function applyCommitted(o: Out): void {
  if (o.s.commitIndex <= o.s.lastApplied) return;
  let { kv, sessions, lastApplied } = o.s;
  while (o.s.commitIndex > lastApplied) {
    lastApplied++;
    const e = o.s.log[lastApplied - 1]!;
    o.observe("apply", { index: lastApplied, term: e.term, cmd: e.cmd });
    const { client, seq } = e.cmd;
    if (client !== null && seq !== null && seq <= (sessions[client] ?? 0)) {
      o.note(`${o.s.self} ignored a duplicate: ${client}#${seq} was already applied`);
      continue;
    }
    if (client !== null && seq !== null) sessions = { ...sessions, [client]: seq };
    kv = applyOp(kv, e.cmd.op);
  }
  const s = o.edit();
  s.kv = kv;
  s.sessions = sessions;
  s.lastApplied = lastApplied;
}

/** `set k=v` (or `set k v`), `del k`; anything else changes nothing. */
export function applyOp(kv: Record<string, string>, op: string): Record<string, string> {
  const set = /^set\s+([^\s=]+)\s*(?:=\s*|\s+)(.*)$/.exec(op);
  if (set !== null) return { ...kv, [set[1]!]: set[2]! };
  const del = /^del\s+(\S+)$/.exec(op);
  if (del !== null && del[1]! in kv) {
    const next = { ...kv };
    delete next[del[1]!];
    return next;
  }
  return kv;
}

function submit(o: Out, cmd: ClientCommand, from: string | null): void {
  const s = o.s;
  if (s.role === "leader") {
    o.edit().log = [...s.log, { term: s.currentTerm, cmd }];
    o.observe("append", { index: lastIndex(o.s), term: s.currentTerm, cmd });
    o.note(`${s.self} appends "${commandText(cmd)}" at index ${lastIndex(o.s)} in term ${s.currentTerm}`);
    broadcastAppend(o);
    if (o.ctx.peers.length === 0) advanceCommit(o);
  } else if (s.leader !== null && s.leader !== from) {
    o.note(`${s.self} forwards "${commandText(cmd)}" to the leader it knows, ${s.leader}`);
    o.send(s.leader, { type: "ClientRequest", cmd });
  } else {
    o.note(`${s.self} knows no leader: "${commandText(cmd)}" is refused, the client must retry`);
  }
}

function onRequestVote(o: Out, from: string, m: Extract<RaftMsg, { type: "RequestVote" }>): void {
  observeTerm(o, m.term);
  const s = o.s;
  const rules = config(o.ctx).rules;
  // §5.4.1: the candidate's log is at least as up to date as ours (last term, then length).
  const upToDate = m.lastLogTerm > lastTerm(s) || (m.lastLogTerm === lastTerm(s) && m.lastLogIndex >= lastIndex(s));
  let grant = false;
  let why = "";
  if (m.term < s.currentTerm) why = `its term ${m.term} is behind ${s.currentTerm}`;
  else if (s.votedFor !== null && s.votedFor !== m.candidateId) why = `it already voted for ${s.votedFor} in term ${s.currentTerm}`;
  else if (!upToDate && rules.electionRestriction) why = `its log is less up to date`;
  else grant = true;
  if (grant) {
    o.edit().votedFor = m.candidateId;
    o.note(`${s.self} votes for ${m.candidateId} in term ${s.currentTerm}`);
    // Granting a vote resets the election timer (Followers, Figure 2).
    resetElectionTimer(o);
  } else {
    o.note(`${s.self} refuses its vote to ${m.candidateId}: ${why}`);
  }
  o.send(from, { type: "RequestVoteReply", term: o.s.currentTerm, voteGranted: grant });
}

function onRequestVoteReply(o: Out, from: string, m: Extract<RaftMsg, { type: "RequestVoteReply" }>): void {
  observeTerm(o, m.term);
  const s = o.s;
  if (s.role !== "candidate" || m.term !== s.currentTerm || !m.voteGranted || s.votes.includes(from)) return;
  o.edit().votes = [...s.votes, from];
  if (o.s.votes.length >= majority(o.ctx)) becomeLeader(o);
}

function onAppendEntries(o: Out, from: string, m: Extract<RaftMsg, { type: "AppendEntries" }>): void {
  observeTerm(o, m.term);
  let s = o.s;
  // 1. Reply false if term < currentTerm.
  if (m.term < s.currentTerm) {
    o.send(from, { type: "AppendEntriesReply", term: s.currentTerm, success: false, matchIndex: lastIndex(s) });
    return;
  }
  // Two leaders in one term: only possible with a safety rule switched off. Say so, and
  // refuse rather than follow: this node is a leader of the same term.
  if (s.role === "leader") {
    o.note(`${s.self} leads term ${s.currentTerm} and hears from another leader, ${m.leaderId}: two leaders in one term`);
    o.send(from, { type: "AppendEntriesReply", term: s.currentTerm, success: false, matchIndex: lastIndex(s) });
    return;
  }
  // A current leader exists: candidates return to follower; everyone resets the election timer.
  if (s.role === "candidate") setRole(o, "follower");
  if (o.s.leader !== m.leaderId) o.edit().leader = m.leaderId;
  resetElectionTimer(o);
  s = o.s;
  // 2. Reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm.
  if (m.prevLogIndex > lastIndex(s) || termAt(s, m.prevLogIndex) !== m.prevLogTerm) {
    const why = m.prevLogIndex > lastIndex(s) ? `no entry at index ${m.prevLogIndex}` : `the entry at index ${m.prevLogIndex} is from term ${termAt(s, m.prevLogIndex)}, not ${m.prevLogTerm}`;
    o.note(`${s.self} rejected AppendEntries: ${why}`);
    o.send(from, { type: "AppendEntriesReply", term: s.currentTerm, success: false, matchIndex: Math.min(lastIndex(s), m.prevLogIndex - 1) });
    return;
  }
  // 3. If an existing entry conflicts with a new one (same index, different terms), delete it
  //    and all that follow. 4. Append any new entries not already in the log.
  let log = s.log;
  m.entries.forEach((e, k) => {
    const index = m.prevLogIndex + 1 + k;
    const have = log[index - 1];
    if (have !== undefined && have.term === e.term) return;
    if (have !== undefined) {
      o.observe("truncate", { from: index });
      log = log.slice(0, index - 1);
    }
    log = [...log, e];
    o.observe("append", { index, term: e.term, cmd: e.cmd });
  });
  if (log !== s.log) o.edit().log = log;
  const match = m.prevLogIndex + m.entries.length;
  // 5. If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry).
  if (m.leaderCommit > o.s.commitIndex) commitTo(o, Math.min(m.leaderCommit, match));
  o.send(from, { type: "AppendEntriesReply", term: o.s.currentTerm, success: true, matchIndex: match });
}

function onAppendEntriesReply(o: Out, from: string, m: Extract<RaftMsg, { type: "AppendEntriesReply" }>): void {
  observeTerm(o, m.term);
  const s = o.s;
  if (s.role !== "leader" || m.term !== s.currentTerm) return;
  if (m.success) {
    // Replies may arrive late, twice or out of order: only ever move matchIndex forward.
    const match = Math.max(s.matchIndex[from] ?? 0, m.matchIndex);
    const next = Math.max(s.nextIndex[from] ?? 1, match + 1);
    // A heartbeat's reply usually changes nothing: copy the maps only when it does.
    if (match !== s.matchIndex[from] || next !== s.nextIndex[from]) {
      const e = o.edit();
      e.matchIndex = { ...s.matchIndex, [from]: match };
      e.nextIndex = { ...s.nextIndex, [from]: next };
    }
    advanceCommit(o);
    if ((o.s.nextIndex[from] ?? 1) <= lastIndex(o.s)) sendAppend(o, from);
  } else {
    // Log inconsistency: decrement nextIndex (skipping to the follower's hint) and retry.
    const next = Math.max(1, Math.min((s.nextIndex[from] ?? 1) - 1, m.matchIndex + 1));
    o.edit().nextIndex = { ...s.nextIndex, [from]: next };
    sendAppend(o, from);
  }
}

/** What a Raft node shows while it is up (the page's panel, labels and tones read it). */
export type RaftView = {
  status: "up";
  role: Role;
  term: number;
  votedFor: RaftState["votedFor"];
  leader: RaftState["leader"];
  log: Entry[];
  commitIndex: number;
  lastApplied: number;
  kv: RaftState["kv"];
  /** The leader's bookkeeping; null on the others. */
  nextIndex: RaftState["nextIndex"] | null;
  matchIndex: RaftState["matchIndex"] | null;
  /** A candidate's votes so far; null on the others. */
  votes: RaftState["votes"] | null;
  electionDeadline: number;
  electionTimeout: number;
};

export const raft: Protocol<RaftState, RaftMsg, unknown, RaftView> = {
  init(ctx, persisted) {
    const p = (persisted ?? {}) as Partial<Pick<RaftState, "currentTerm" | "votedFor" | "log">>;
    const s: RaftState = {
      self: ctx.self,
      currentTerm: p.currentTerm ?? 0,
      votedFor: p.votedFor ?? null,
      log: p.log ?? [],
      commitIndex: 0,
      lastApplied: 0,
      role: "follower",
      leader: null,
      votes: [],
      nextIndex: {},
      matchIndex: {},
      kv: {},
      sessions: {},
      electionDeadline: 0,
      electionTimeout: 0,
    };
    const o = new Out(s, ctx, true);
    setRole(o, "follower");
    if (persisted !== undefined) o.note(`${ctx.self} restarts in term ${s.currentTerm} with ${s.log.length} log entries`);
    resetElectionTimer(o);
    return o.done();
  },

  onTimer(state, name, ctx) {
    const o = new Out(state, ctx);
    if (name === "election" && state.role !== "leader") startElection(o);
    else if (name === "heartbeat" && state.role === "leader") {
      broadcastAppend(o);
      o.effects.push({ type: "setTimer", name: "heartbeat", after: config(ctx).heartbeat });
    }
    return o.done();
  },

  onMessage(state, from, msg, ctx) {
    const o = new Out(state, ctx);
    switch (msg.type) {
      case "RequestVote":
        onRequestVote(o, from, msg);
        break;
      case "RequestVoteReply":
        onRequestVoteReply(o, from, msg);
        break;
      case "AppendEntries":
        onAppendEntries(o, from, msg);
        break;
      case "AppendEntriesReply":
        onAppendEntriesReply(o, from, msg);
        break;
      case "ClientRequest":
        submit(o, msg.cmd, from);
        break;
    }
    return o.done();
  },

  onCommand(state, cmd, ctx) {
    const o = new Out(state, ctx);
    const c = normalizeCommand(cmd);
    if (c === null) o.note(`${state.self} ignored a command it cannot read: ${JSON.stringify(cmd)}`);
    else submit(o, c, null);
    return o.done();
  },

  persist(state, ctx) {
    // Figure 2's persistent state. With the persistVote rule off, votedFor is (wrongly) lost.
    const keepVote = config(ctx).rules.persistVote;
    return { currentTerm: state.currentTerm, votedFor: keepVote ? state.votedFor : null, log: state.log };
  },

  view(state) {
    return {
      status: "up",
      role: state.role,
      term: state.currentTerm,
      votedFor: state.votedFor,
      leader: state.leader,
      log: state.log,
      commitIndex: state.commitIndex,
      lastApplied: state.lastApplied,
      kv: state.kv,
      nextIndex: state.role === "leader" ? state.nextIndex : null,
      matchIndex: state.role === "leader" ? state.matchIndex : null,
      votes: state.role === "candidate" ? state.votes : null,
      electionDeadline: state.electionDeadline,
      electionTimeout: state.electionTimeout,
    };
  },

  messageKind(msg) {
    switch (msg.type) {
      case "RequestVote":
        return "RequestVote";
      case "RequestVoteReply":
        return msg.voteGranted ? "vote granted" : "vote refused";
      case "AppendEntries":
        return msg.entries.length > 0 ? "AppendEntries" : "heartbeat";
      case "AppendEntriesReply":
        return msg.success ? "append ok" : "append rejected";
      case "ClientRequest":
        return "ClientRequest";
    }
  },
};

export const MESSAGE_KINDS = ["RequestVote", "vote granted", "vote refused", "heartbeat", "AppendEntries", "append ok", "append rejected", "ClientRequest"] as const;
