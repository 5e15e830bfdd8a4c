// A Raft node as the page reads its view (protocol.ts `view`), read defensively: a down node's
// view carries only its status. Pure, so the store can label and tone nodes without loading
// the lab's React panel.
import type { NodeView, NodeViewOf } from "../../sim/types.ts";
import type { Entry, RaftView, Role } from "./protocol.ts";

export interface RaftNode {
  id: string;
  status: string;
  up: boolean;
  role: Role;
  term: number;
  votedFor: string | null;
  log: Entry[];
  commitIndex: number;
  nextIndex: Record<string, number> | null;
  matchIndex: Record<string, number> | null;
  votes: string[] | null;
  electionDeadline: number;
  electionTimeout: number;
}

const num = (v: unknown, d = 0) => (typeof v === "number" && Number.isFinite(v) ? v : d);
const str = (v: unknown) => (typeof v === "string" ? v : null);
const record = (v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, number>) : null);

/** A node view read defensively: a down node's view carries only its status. */
export function raftNode(id: string, view: NodeView): RaftNode {
  const role = view.role === "leader" || view.role === "candidate" ? view.role : "follower";
  return {
    id,
    status: view.status,
    up: view.status === "up",
    role,
    term: num(view.term),
    votedFor: str(view.votedFor),
    log: Array.isArray(view.log) ? (view.log as Entry[]) : [],
    commitIndex: num(view.commitIndex),
    nextIndex: record(view.nextIndex),
    matchIndex: record(view.matchIndex),
    votes: Array.isArray(view.votes) ? (view.votes as string[]) : null,
    electionDeadline: num(view.electionDeadline),
    electionTimeout: num(view.electionTimeout),
  };
}

export function raftLabel(view: NodeViewOf<RaftView>): string {
  if (view.status !== "up") return view.status;
  if (view.role === "leader") return `leader · term ${view.term}`;
  if (view.role === "candidate") {
    const votes = view.votes?.length ?? 0;
    return `candidate · term ${view.term} (${votes} ${votes === 1 ? "vote" : "votes"})`;
  }
  // The vote is in the panel's table; under a node it crowds a small partition's labels.
  return `follower · term ${view.term}`;
}

export function raftTone(view: NodeViewOf<RaftView>): Role | undefined {
  return view.status === "up" ? view.role : undefined;
}

