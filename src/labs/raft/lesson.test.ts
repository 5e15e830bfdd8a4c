// The Raft lesson keeps its word: every fact a step states about its run, and every "Try",
// done here the way the page does it (a timeline action at the time the learner acts; a step's
// fix prepended as `set` actions at t = 0), gives what the text says.

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { CLOCK_PATH } from "../../scenario/leaves.ts";
import type { Action, Scenario } from "../../scenario/types.ts";
import { Result } from "../../sim/testing.ts";
import type { TraceEvent } from "../../sim/trace.ts";
import { labs } from "../index.ts";
import type { LessonStep } from "../types.ts";
import { raftLab } from "./index.ts";
import { lesson } from "./lesson.ts";
import { labKit } from "../testing.ts";
import type { RaftMsg } from "./protocol.ts";

const { gallery, stepFor, play, withActions, violations } = labKit(raftLab);

/** The scenario as the page replays it after the step's one-click fix: its `set`s at t = 0, first. */
function withFix(s: Scenario, step: LessonStep): Scenario {
  const sets: Action[] = step.fix!.set.map(({ path, value }) => ({ t: 0, do: "set", path, value }));
  return { ...s, timeline: [...sets, ...s.timeline] };
}

/** A command typed into the panel's command box. */
const learner = (t: number, node: string, seq: number, op: string): Action => ({ t, do: "command", node, cmd: { client: "learner", seq, op } });

const leaders = (r: Result) => r.of("role").filter((e) => e.role === "leader").map((e) => `${e.node}@${e.term}`);
const ms = (t: number) => Math.round(t);
const ops = (r: Result, node: string) => (r.view(node).log as { cmd: { op: string } }[]).map((e) => e.cmd.op);

/** Candidates per term and the votes each got (its own included), from the RequestVote replies sent. */
function votesByTerm(r: Result): Map<number, Record<string, number>> {
  const out = new Map<number, Record<string, number>>();
  for (const e of r.events) {
    if (e.kind === "role" && e.role === "candidate") {
      const term = out.get(e.term as number) ?? {};
      term[e.node!] ??= 1;
      out.set(e.term as number, term);
    }
    const m = e.msg as RaftMsg | undefined;
    if (e.kind === "send" && m?.type === "RequestVoteReply" && m.voteGranted) {
      const term = out.get(m.term)!;
      term[e.to!] = (term[e.to!] ?? 0) + 1;
    }
  }
  return out;
}

/** Terms in which somebody stood and nobody won. */
function splitTerms(r: Result): number[] {
  const won = new Set(r.of("role").filter((e) => e.role === "leader").map((e) => e.term as number));
  return [...votesByTerm(r).keys()].filter((t) => !won.has(t));
}

/** Messages `from` sent `to` that arrived, in order of arrival. */
function delivered(r: Result, from: string, to: string, after = 0): { t: number; msg: RaftMsg }[] {
  const sent = new Map<number, TraceEvent>();
  const out: { t: number; msg: RaftMsg }[] = [];
  for (const e of r.events) {
    if (e.kind === "send") sent.set(e.id!, e);
    else if (e.kind === "deliver" && e.from === from && e.to === to && e.t > after) out.push({ t: e.t, msg: sent.get(e.id!)!.msg as RaftMsg });
  }
  return out;
}

const ALL_RULES_ON = { electionRestriction: true, currentTermCommit: true, persistVote: true };

describe("every lab's lesson", () => {
  for (const lab of labs) {
    it(`every step of the ${lab.id} lesson opens a gallery scenario that exists`, () => {
      const names = lab.scenarios.map((s) => s.name);
      expect(lab.lesson.length).toBeGreaterThan(0);
      for (const step of lab.lesson) expect(names, step.title).toContain(step.scenario);
    });

    it(`every step of the ${lab.id} lesson says it in two to four sentences, ending with a Try`, () => {
      for (const step of lab.lesson) {
        const sentences = step.text.match(/[.!?](?=\s|$)/g)?.length ?? 0;
        expect(sentences, step.title).toBeGreaterThanOrEqual(2);
        expect(sentences, step.title).toBeLessThanOrEqual(4);
        expect(step.text, step.title).toMatch(/ Try: /);
      }
    });

    it(`every fix in the ${lab.id} lesson sets params the lab accepts, or a clock of one of its nodes`, () => {
      for (const step of lab.lesson) {
        if (step.fix === undefined) continue;
        const s = lab.scenarios.find((x) => x.name === step.scenario)!;
        expect(step.fix.set.length, step.title).toBeGreaterThan(0);
        const params: Record<string, unknown> = { ...s.params };
        for (const { path, value } of step.fix.set) {
          // A node's clock (the clocks lab sets one right) or a param.
          const clock = CLOCK_PATH.exec(path);
          if (clock !== null) {
            expect(s.nodes.map((n) => n.id), step.title).toContain(clock[1]);
            continue;
          }
          const [head, key] = path.split(".");
          expect(head, step.title).toBe("params");
          params[key!] = value;
        }
        expect(() => v.parse(lab.params, params), step.title).not.toThrow();
      }
    });
  }
});

describe("the Raft lesson", () => {
  it("has the eight steps, and the three rule-switch steps each offer a fix", () => {
    expect(lesson.map((s) => s.scenario)).toEqual([
      "first-election",
      "leader-crash",
      "split-vote",
      "isolated-leader",
      "catch-up",
      "figure-8",
      "no-election-restriction",
      "forgotten-vote",
    ]);
    expect(lesson.filter((s) => s.fix !== undefined).map((s) => s.scenario)).toEqual(["figure-8", "no-election-restriction", "forgotten-vote"]);
  });

  it("each fix writes the whole rules object with its scenario's one rule switched back on", () => {
    for (const step of lesson.filter((s) => s.fix !== undefined)) {
      const off = gallery(step.scenario).params.rules as Record<string, boolean>;
      expect(Object.values(off), step.title).toEqual([false]);
      expect(step.fix!.set, step.title).toEqual([{ path: "params.rules", value: ALL_RULES_ON }]);
    }
  });

  describe("The first election", () => {
    const step = stepFor("first-election");

    it("n5's timer runs out first, at 0.16 s, and n5 wins term 1 with 3 of 5 votes", () => {
      const r = play(gallery("first-election"));
      const first = r.of("role").find((e) => e.role === "candidate")!;
      expect([first.node, first.term, ms(first.t)]).toEqual(["n5", 1, 158]);
      expect(step.text).toContain("at 0.16 s");
      expect(leaders(r)).toEqual(["n5@1"]);
      expect(votesByTerm(r).get(1)!.n5).toBe(3);
      expect(violations(r)).toEqual([]);
    });

    it("its heartbeats keep the others waiting: nobody stands again in the whole run", () => {
      const r = play(gallery("first-election"));
      expect(r.of("role").filter((e) => e.role === "candidate" && e.t > 300)).toEqual([]);
      expect(r.views().map((n) => n.term)).toEqual([1, 1, 1, 1, 1]);
    });

    it("Try: a command sent to a follower goes to n5, then into every log, then commits everywhere", () => {
      const r = play(withActions(gallery("first-election"), learner(2_000, "n3", 1, "set z=5")));
      const cmd = { client: "learner", seq: 1, op: "set z=5" };
      const forward = delivered(r, "n3", "n5", 2_000).find((d) => d.msg.type === "ClientRequest")!;
      expect(forward.msg).toEqual({ type: "ClientRequest", cmd });
      const appends = r.of("append").filter((e) => e.t >= 2_000);
      expect(appends.map((e) => e.node)).toEqual(["n5", expect.any(String), expect.any(String), expect.any(String), expect.any(String)]);
      expect(appends.map((e) => e.node).sort()).toEqual(["n1", "n2", "n3", "n4", "n5"]);
      expect(appends.every((e) => e.index === 3 && e.term === 1)).toBe(true);
      const commits = r.of("commit").filter((e) => e.index === 3);
      expect(commits[0]!.node).toBe("n5");
      expect(commits.map((e) => e.node).sort()).toEqual(["n1", "n2", "n3", "n4", "n5"]);
      expect(Math.min(...commits.map((e) => e.t))).toBeGreaterThan(Math.max(...appends.slice(0, 3).map((e) => e.t)));
      for (const n of r.views()) expect(n).toMatchObject({ commitIndex: 3, kv: { x: "3", y: "4", z: "5" } });
    });
  });

  describe("The leader crashes", () => {
    const step = stepFor("leader-crash");

    it("n5 crashes at 2 s, term 2 splits, n1 wins term 3 at 2.5 s and commits \"set x=2\", and the returning n5 follows it", () => {
      const r = play(gallery("leader-crash"));
      expect(r.of("crash").map((e) => [e.node, e.t])).toEqual([["n5", 2_000]]);
      expect(splitTerms(r)).toEqual([2]);
      expect(votesByTerm(r).get(2)).toEqual({ n2: 2, n1: 1, n3: 1 });
      const won = r.of("role").filter((e) => e.role === "leader");
      expect(won.map((e) => [e.node, e.term, ms(e.t)])).toEqual([
        ["n5", 1, 224],
        ["n1", 3, 2_502],
      ]);
      const x2 = r.of("commit").find((e) => e.node === "n1" && e.index === 2)!;
      expect(ms(x2.t)).toBe(3_613);
      expect(ops(r, "n1")[1]).toBe("set x=2");
      expect(r.of("restart").map((e) => [e.node, e.t])).toEqual([["n5", 5_000]]);
      expect(r.of("note").some((e) => e.t === 5_000 && e.text === "n5 restarts in term 1 with 1 log entries")).toBe(true);
      expect(r.view("n5")).toMatchObject({ role: "follower", term: 3, leader: "n1", commitIndex: 3 });
      expect(step.text).toContain("n1 wins term 3 at 2.5 s");
      expect(violations(r)).toEqual([]);
    });

    // Crash n1 at 3 s; the other three elect n3 and commit a command. Then crash n3 at 4.5 s:
    // n2 and n4 cannot get three votes, and n2 refuses the next command.
    const twoDown = [{ t: 3_000, do: "crash", node: "n1" } as Action, learner(4_000, "n3", 1, "set z=1")];
    const threeDown = [...twoDown, { t: 4_500, do: "crash", node: "n3" } as Action, learner(4_800, "n2", 2, "set z=2")];

    it("Try: with n1 crashed too (two of five down), the other three elect n3 and commit a command", () => {
      const r = play(withActions(gallery("leader-crash"), ...twoDown), 4_500);
      expect(leaders(r)).toEqual(["n5@1", "n1@3", "n3@5"]);
      expect(r.views().filter((n) => n.status === "down").length).toBe(2);
      const z1 = r.of("commit").filter((e) => e.index === 2);
      expect(z1.map((e) => e.node).sort()).toEqual(["n2", "n3", "n4"]);
      for (const n of ["n2", "n3", "n4"]) expect(r.view(n)).toMatchObject({ commitIndex: 2, kv: { x: "1", z: "1" } });
      expect(violations(r)).toEqual([]);
    });

    it("Try: crash that leader as well (three of five down) and nobody wins, nothing more commits", () => {
      const r = play(withActions(gallery("leader-crash"), ...threeDown));
      const noMajority = r.of("role").filter((e) => e.t > 4_500 && e.t < 5_000);
      expect(noMajority.filter((e) => e.role === "leader")).toEqual([]);
      expect(noMajority.filter((e) => e.role === "candidate").length).toBeGreaterThan(0);
      expect(r.of("note").some((e) => e.t === 4_800 && /n2 knows no leader/.test(e.text as string))).toBe(true);
      expect(r.of("append").some((e) => (e.cmd as { op: string }).op === "set z=2")).toBe(false);
      expect(r.of("commit").filter((e) => e.t > 4_500).every((e) => (e.index as number) <= 2)).toBe(true);
      expect(Math.max(...r.views().map((n) => (n.commitIndex as number | undefined) ?? 0))).toBe(2);
      expect(step.text).toContain("until n5 is back");
      // Once n5 is back at 5 s, three are up again and n2 wins a term.
      expect(leaders(r).at(-1)).toBe("n2@9");
    });
  });

  describe("A split vote", () => {
    const step = stepFor("split-vote");

    it("three of four time out within 35 ms; term 1 splits 2–1–1, term 2 too, and n1 wins term 3 at 0.7 s", () => {
      const r = play(gallery("split-vote"));
      const term1 = r.of("role").filter((e) => e.role === "candidate" && e.term === 1);
      expect(term1.map((e) => e.node)).toEqual(["n3", "n1", "n4"]);
      expect(ms(term1[2]!.t - term1[0]!.t)).toBe(34);
      expect(votesByTerm(r).get(1)).toEqual({ n3: 2, n1: 1, n4: 1 });
      expect(votesByTerm(r).get(2)).toEqual({ n1: 1, n2: 2, n4: 1 });
      expect(splitTerms(r)).toEqual([1, 2]);
      const won = r.of("role").filter((e) => e.role === "leader");
      expect(won.map((e) => [e.node, e.term, ms(e.t)])).toEqual([["n1", 3, 698]]);
      expect(votesByTerm(r).get(3)!.n1).toBe(3);
      expect(step.text).toContain("n3 gets 2 votes, n1 and n4 one each");
    });

    it("Try: an election timeout of 150–175 ms from 0 s splits terms 1 to 5 and n3 first wins term 6, at 1.04 s", () => {
      const narrow: Action = { t: 0, do: "set", path: "params.electionTimeout", value: [150, 175] };
      const r = play(withActions(gallery("split-vote"), narrow));
      expect(splitTerms(r)).toEqual([1, 2, 3, 4, 5]);
      const first = r.of("role").find((e) => e.role === "leader")!;
      expect([first.node, first.term, ms(first.t)]).toEqual(["n3", 6, 1_044]);
      expect(step.text).toContain("150–175 ms");
      expect(step.text).toContain("n3, wins only term 6, at 1.04 s");
      // The default range, for comparison: two split terms and a leader at 0.7 s.
      const plain = play(gallery("split-vote"));
      expect(splitTerms(r).length).toBeGreaterThan(splitTerms(plain).length);
      expect(first.t).toBeGreaterThan(plain.of("role").find((e) => e.role === "leader")!.t);
    });

    it("Try: narrower ranges from 0 s split more terms and elect later than the default 150–300 ms", () => {
      const plain = play(gallery("split-vote"));
      const firstLeader = (r: Result) => r.of("role").find((e) => e.role === "leader")!;
      for (const range of [
        [150, 160],
        [150, 175],
        [150, 200],
      ]) {
        const r = play(withActions(gallery("split-vote"), { t: 0, do: "set", path: "params.electionTimeout", value: range }));
        expect(splitTerms(r).length, String(range)).toBeGreaterThan(splitTerms(plain).length);
        expect(firstLeader(r).t, String(range)).toBeGreaterThan(firstLeader(plain).t);
      }
    });
  });

  describe("The leader in a minority", () => {
    const step = stepFor("isolated-leader");

    it("n5, cut off with n1 at 2 s, accepts \"set x=lost\" and never commits it", () => {
      const r = play(gallery("isolated-leader"));
      expect(r.of("partition").map((e) => [e.t, e.groups])).toEqual([[2_000, [["n1", "n5"], ["n2", "n3", "n4"]]]]);
      const lost = r.of("append").filter((e) => (e.cmd as { op: string }).op === "set x=lost");
      expect(lost.map((e) => [e.node, e.index, e.term])).toEqual([
        ["n5", 2, 1],
        ["n1", 2, 1],
      ]);
      expect(r.of("role").some((e) => e.node === "n5" && e.t > 2_000 && e.t < 5_500)).toBe(false);
      expect(r.of("commit").some((e) => (e.node === "n5" || e.node === "n1") && e.index === 2 && e.t < 5_500)).toBe(false);
      expect(r.of("apply").some((e) => (e.cmd as { op: string }).op === "set x=lost")).toBe(false);
    });

    it("the other three split seven terms, n3 wins term 9 and commits \"set x=kept\"; on heal at 5.5 s n5 steps down and both copies of \"set x=lost\" are overwritten", () => {
      const r = play(gallery("isolated-leader"));
      expect(splitTerms(r)).toEqual([2, 3, 4, 5, 6, 7, 8]);
      expect(leaders(r)).toEqual(["n5@1", "n3@9"]);
      const kept = r.of("commit").find((e) => e.node === "n3" && e.index === 2)!;
      expect(ms(kept.t)).toBe(4_094);
      expect(r.of("heal").map((e) => e.t)).toEqual([5_500]);
      const down = r.of("role").find((e) => e.node === "n5" && e.t > 5_500)!;
      expect([down.role, down.term]).toEqual(["follower", 9]);
      expect(r.of("truncate").map((e) => [e.node, e.from])).toEqual([
        ["n1", 2],
        ["n5", 2],
      ]);
      for (const n of ["n1", "n2", "n3", "n4", "n5"]) expect(ops(r, n)).toEqual(["set x=1", "set x=kept"]);
      expect(step.text).toContain("after seven split terms n3 wins term 9");
      expect(violations(r)).toEqual([]);
    });

    // Dragging n1 into the other cluster (the two clusters' centres are (0.16, 0.5) and (0.84, 0.5)).
    const drag = (t: number): Action => ({ t, do: "move", node: "n1", x: 0.84, y: 0.5 });

    it("Try: n1 dragged over to the majority at 3 s wins, and \"set x=lost\" commits after all", () => {
      const r = play(withActions(gallery("isolated-leader"), drag(3_000)));
      expect(r.of("partition").at(-1)!.groups).toEqual([["n1", "n2", "n3", "n4"], ["n5"]]);
      expect(leaders(r)).toEqual(["n5@1", "n1@7"]);
      for (const n of ["n1", "n2", "n3", "n4", "n5"]) {
        expect(ops(r, n)).toEqual(["set x=1", "set x=lost", "set x=kept"]);
        expect(r.view(n)).toMatchObject({ commitIndex: 3, kv: { x: "kept" } });
      }
      expect(r.of("apply").filter((e) => (e.cmd as { op: string }).op === "set x=lost").length).toBe(5);
      expect(violations(r)).toEqual([]);
    });

    it("Try: dragged any time from 2.6 to 3.5 s, n1 leads and \"set x=lost\" commits", () => {
      for (const t of [2_600, 3_000, 3_200, 3_500]) {
        const r = play(withActions(gallery("isolated-leader"), drag(t)));
        expect(leaders(r).at(-1), String(t)).toMatch(/^n1@/);
        expect(r.of("apply").some((e) => e.node === "n2" && (e.cmd as { op: string }).op === "set x=lost"), String(t)).toBe(true);
      }
    });
  });

  describe("A follower far behind", () => {
    const step = stepFor("catch-up");

    it("n1 is down from 0.5 s while ten commands commit on the other four", () => {
      const r = play(gallery("catch-up"), 3_999);
      expect(r.of("crash").map((e) => [e.node, e.t])).toEqual([["n1", 500]]);
      for (const n of ["n2", "n3", "n4", "n5"]) expect(r.view(n)).toMatchObject({ commitIndex: 10 });
      expect(r.view("n1").status).toBe("down");
      expect(r.of("append").some((e) => e.node === "n1")).toBe(false);
    });

    it("n5 still has nextIndex 1 for n1, so its first AppendEntries after the restart at 4 s carries all ten entries, and nothing is rejected", () => {
      const r = play(gallery("catch-up"));
      expect((r.view("n5").nextIndex as Record<string, number>).n1).toBe(11);
      const first = delivered(r, "n5", "n1", 4_000).find((d) => d.msg.type === "AppendEntries")!;
      expect(first.msg).toMatchObject({ prevLogIndex: 0, prevLogTerm: 0 });
      expect((first.msg as Extract<RaftMsg, { type: "AppendEntries" }>).entries.length).toBe(10);
      expect(ms(first.t)).toBe(4_032);
      const appends = r.of("append").filter((e) => e.node === "n1");
      expect(appends.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(new Set(appends.map((e) => e.t)).size).toBe(1);
      const rejected = r.of("send").filter((e) => (e.msg as RaftMsg).type === "AppendEntriesReply" && !(e.msg as { success: boolean }).success);
      expect(rejected).toEqual([]);
      expect(r.view("n1")).toMatchObject({ commitIndex: 10 });
      expect(step.text).toContain("nextIndex for n1 is still 1");
      expect(violations(r)).toEqual([]);
    });

    it("n5's nextIndex for n1 is 1 just before n1 restarts", () => {
      const r = play(gallery("catch-up"), 3_999);
      expect(r.view("n5")).toMatchObject({ role: "leader", nextIndex: { n1: 1 } });
    });

    it("Try: with n5 crashed between 3 s and 4 s, n1 rejects the new leader's AppendEntries and the leader moves nextIndex back to 1", () => {
      for (const t of [3_000, 3_500, 3_900]) {
        const r = play(withActions(gallery("catch-up"), { t, do: "crash", node: "n5" }));
        const leader = r.of("role").filter((e) => e.role === "leader" && e.t > t).at(-1)!.node!;
        expect(leader, String(t)).not.toBe("n1");
        const ae = delivered(r, leader, "n1", 4_000)
          .filter((d) => d.msg.type === "AppendEntries")
          .map((d) => d.msg as Extract<RaftMsg, { type: "AppendEntries" }>);
        expect(ae[0]!.prevLogIndex, String(t)).toBe(10);
        const full = ae.findIndex((m) => m.prevLogIndex === 0);
        expect(full, String(t)).toBeGreaterThan(0);
        expect(ae[full]!.entries.length, String(t)).toBe(10);
        expect(ae.slice(0, full).every((m) => m.prevLogIndex === 10), String(t)).toBe(true);
        expect(r.of("note").some((e) => e.node === "n1" && e.text === "n1 rejected AppendEntries: no entry at index 10"), String(t)).toBe(true);
        expect(r.view("n1"), String(t)).toMatchObject({ commitIndex: 10 });
        expect((r.view("n1").log as unknown[]).length, String(t)).toBe(10);
        expect(violations(r), String(t)).toEqual([]);
      }
    });
  });

  describe("Figure 8, with the commit rule off", () => {
    const step = stepFor("figure-8");

    it("n1 commits its term-3 entry in term 14, n5 wins term 18 and overwrites it: the checker flags exactly two violations", () => {
      const r = play(gallery("figure-8"));
      expect(leaders(r)).toEqual(["n2@3", "n5@7", "n1@14", "n5@18"]);
      const commit = r.of("commit").find((e) => e.node === "n1")!;
      expect(commit.index).toBe(1);
      expect(r.of("apply").find((e) => e.node === "n1")).toMatchObject({ index: 1, term: 3, cmd: { op: "set x=1" } });
      expect(r.of("append").find((e) => e.node === "n3" && e.t < commit.t)).toMatchObject({ index: 1, term: 3 });
      expect(r.view("n5").log).toEqual([{ term: 7, cmd: { client: "c1", seq: 2, op: "set x=2" } }]);
      expect(r.of("truncate").map((e) => [e.node, e.from])).toEqual([["n3", 1]]);
      expect(ops(r, "n3")).toEqual(["set x=2"]);
      expect(violations(r).map((x) => [x.check, ms(x.t)])).toEqual([
        ["leader-completeness", 4_733],
        ["state-machine-safety", 4_894],
      ]);
      expect(step.text).toContain("two violations: Leader Completeness and State Machine Safety");
    });

    it("Try (the fix, from t = 0): with the rule back on n1 never commits the old entry, and the checks find nothing", () => {
      const r = play(withFix(gallery("figure-8"), step));
      expect(r.of("set").map((e) => [e.t, e.path])).toEqual([[0, "params.rules"]]);
      expect(leaders(r)).toEqual(["n2@3", "n5@7", "n1@14", "n5@18"]);
      expect(r.of("commit")).toEqual([]);
      expect(violations(r)).toEqual([]);
    });
  });

  describe("Voting for a stale log", () => {
    const step = stepFor("no-election-restriction");

    it("n5 runs up to term 14 alone, all four vote for its empty log, and it overwrites two committed commands: two violations", () => {
      const r = play(gallery("no-election-restriction"));
      expect(leaders(r)).toEqual(["n4@1", "n5@14"]);
      expect(votesByTerm(r).get(14)).toEqual({ n5: 5 });
      const won = r.of("role").find((e) => e.node === "n5" && e.role === "leader")!;
      expect(won.t).toBeGreaterThan(3_000);
      expect(r.of("append").some((e) => e.node === "n5" && e.t < won.t)).toBe(false);
      expect(r.of("commit").filter((e) => e.index === 2 && e.t < 3_000).map((e) => e.node).sort()).toEqual(["n1", "n2", "n3", "n4"]);
      expect(r.of("truncate").map((e) => [e.node, e.from]).sort()).toEqual([
        ["n1", 1],
        ["n2", 1],
        ["n3", 1],
        ["n4", 1],
      ]);
      for (const n of ["n1", "n2", "n3", "n4", "n5"]) expect(ops(r, n)).toEqual(["set x=stale"]);
      expect(violations(r).map((x) => x.check)).toEqual(["leader-completeness", "state-machine-safety"]);
      expect(step.text).toContain("runs its term up to 14");
    });

    it("Try (the fix, from t = 0): n5's term 14 forces an election, which only the up-to-date n4 wins, and the checks find nothing", () => {
      const r = play(withFix(gallery("no-election-restriction"), step));
      expect(leaders(r)).toEqual(["n4@1", "n4@15"]);
      expect(votesByTerm(r).get(14)).toEqual({ n5: 1 });
      expect(r.of("role").filter((e) => e.node === "n4" && e.t > 3_000).map((e) => `${e.role}@${e.term}`)).toEqual(["follower@14", "candidate@15", "leader@15"]);
      for (const n of ["n1", "n2", "n3", "n4", "n5"]) {
        expect(ops(r, n)).toEqual(["set x=1", "set y=2", "set x=stale"]);
        expect(r.view(n)).toMatchObject({ commitIndex: 3 });
      }
      expect(violations(r)).toEqual([]);
    });
  });

  describe("A vote forgotten in a crash", () => {
    const step = stepFor("forgotten-vote");

    it("n3 votes for n1, crashes, comes back and votes for n2 in term 1: one violation, Election Safety", () => {
      const r = play(gallery("forgotten-vote"));
      const grants = r.of("send").filter((e) => e.from === "n3" && (e.msg as RaftMsg).type === "RequestVoteReply" && (e.msg as { voteGranted: boolean }).voteGranted);
      expect(grants.map((e) => [e.to, (e.msg as { term: number }).term])).toEqual([
        ["n1", 1],
        ["n2", 1],
      ]);
      expect(r.of("crash").some((e) => e.node === "n3" && e.t > grants[0]!.t && e.t < grants[1]!.t)).toBe(true);
      expect(leaders(r)).toEqual(["n1@1", "n2@1"]);
      expect(violations(r).map((x) => [x.check, x.message])).toEqual([["election-safety", "n1 and n2 were both leader in term 1"]]);
      expect(step.text).toContain("two leaders in term 1");
    });

    it("Try (the fix, from t = 0): n3 remembers its vote, refuses n2, and every term has one leader", () => {
      const r = play(withFix(gallery("forgotten-vote"), step));
      expect(r.of("note").some((e) => e.text === "n3 refuses its vote to n2: it already voted for n1 in term 1")).toBe(true);
      const terms = r.of("role").filter((e) => e.role === "leader").map((e) => e.term);
      expect(terms.filter((t) => t === 1).length).toBe(1);
      expect(new Set(terms).size).toBe(terms.length);
      expect(violations(r)).toEqual([]);
    });
  });
});
