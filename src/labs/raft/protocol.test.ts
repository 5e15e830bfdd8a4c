import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { simulate } from "../../sim/testing.ts";
import { raftLab } from "./index.ts";
import { applyOp, normalizeCommand, raft } from "./protocol.ts";

/** Params as every host hands them to the protocol: parsed, defaults (every rule on) filled in. */
const parsed = (given: Record<string, unknown> = {}) => v.parse(raftLab.params, given);
const params = parsed({ electionTimeout: [150, 300], heartbeat: 50 });
const five = (seed = 3) => simulate(raft, { nodes: 5, seed }, params);
const leaders = (r: ReturnType<ReturnType<typeof five>["run"]>) => r.views().filter((v) => v.role === "leader");

describe("Raft", () => {
  it("elects exactly one leader, and the others follow it in its term", () => {
    const r = five().run(2000);
    const ls = leaders(r);
    expect(ls).toHaveLength(1);
    const term = ls[0]!.term;
    for (const v of r.views()) expect(v.term).toBe(term);
    expect(r.views().filter((v) => v.role === "follower").every((v) => v.leader === ls[0]!.leader)).toBe(true);
  });

  it("replicates a command sent to a follower, commits it on every node and applies it", () => {
    const r = five().command(1000, "n2", { client: "c", seq: 1, op: "set x=3" }).run(2000);
    for (const v of r.views()) {
      expect(v.commitIndex).toBe(1);
      expect(v.kv).toEqual({ x: "3" });
    }
    expect(r.of("apply")).toHaveLength(5);
  });

  it("applies a duplicated client request once (client id and sequence number)", () => {
    const req = { client: "c", seq: 7, op: "set n=1" };
    const r = five().command(1000, "n2", req).command(1100, "n3", req).command(1200, "n1", { client: "c", seq: 8, op: "set n=2" }).run(2500);
    const v = r.views()[0]!;
    expect((v.log as unknown[]).length).toBe(3);
    expect(v.kv).toEqual({ n: "2" });
    expect(r.of("note").some((e) => /ignored a duplicate: c#7/.test(String(e.text)))).toBe(true);
  });

  it("tells a client when no leader is known", () => {
    const r = five().command(10, "n1", "set a=1").run(100);
    expect(r.of("note").map((e) => e.text)).toContain('n1 knows no leader: "set a=1" is refused, the client must retry');
  });

  it("keeps currentTerm, votedFor and the log across a crash, and nothing else", () => {
    const h = five().command(1000, "n1", "set a=1").crash(1500, "n2").restart(1600, "n2");
    const before = h.run(1499).view("n2");
    expect(before).toMatchObject({ role: "follower", commitIndex: 1, kv: { a: "1" } });
    // n2 voted in the first election: for the leader, which it follows.
    expect(before.votedFor).toBe(before.leader);
    expect(before.votedFor).toMatch(/^n[1-5]$/);
    const n2 = h.run(1601).view("n2");
    expect(n2.term).toBe(before.term);
    expect(n2.votedFor).toBe(before.votedFor);
    expect(n2.log).toEqual(before.log);
    expect((n2.log as unknown[]).length).toBe(1);
    expect(n2.commitIndex).toBe(0); // volatile: relearnt from the leader
    expect(n2.kv).toEqual({});
    expect(n2.role).toBe("follower");
  });

  it("forgets votedFor in a crash when the persistVote rule is off", () => {
    const h = simulate(raft, { nodes: 5, seed: 3 }, parsed({ electionTimeout: [150, 300], heartbeat: 50, rules: { persistVote: false } })).crash(1500, "n2").restart(1600, "n2");
    const before = h.run(1499).view("n2");
    expect(before.votedFor).toMatch(/^n[1-5]$/);
    const n2 = h.run(1601).view("n2");
    expect(n2.term).toBe(before.term);
    expect(n2.votedFor).toBeNull();
  });

  it("elects a new leader after the leader crashes, in a higher term", () => {
    const before = leaders(five().run(1500))[0]!;
    const id = before.leader as string;
    const r = five().crash(1500, id).run(4000);
    const after = leaders(r);
    expect(after).toHaveLength(1);
    expect(after[0]!.leader).not.toBe(id);
    expect(after[0]!.term).toBeGreaterThan(before.term as number);
  });

  it("refuses votes to a candidate whose log is behind (§5.4.1)", () => {
    // n1 misses a committed entry while cut off; back in touch, it cannot win with the shorter log.
    const r = five()
      .partition(500, [["n1"]])
      .command(1000, "n2", "set a=1")
      .heal(2000)
      .run(6000);
    expect(r.of("role").filter((e) => e.node === "n1" && e.role === "leader")).toEqual([]);
    expect(r.of("note").some((e) => /refuses its vote to n1: its log is less up to date/.test(String(e.text)))).toBe(true);
  });

  it("reads commands as strings or as {client, seq, op}", () => {
    expect(normalizeCommand("set x=1")).toEqual({ client: null, seq: null, op: "set x=1" });
    expect(normalizeCommand({ client: "c", seq: 2, op: "del x" })).toEqual({ client: "c", seq: 2, op: "del x" });
    expect(normalizeCommand(42)).toBeNull();
    expect(normalizeCommand({ op: "" })).toBeNull();
  });

  it("runs a small key-value state machine", () => {
    expect(applyOp({}, "set x=1")).toEqual({ x: "1" });
    expect(applyOp({ x: "1" }, "set x 2")).toEqual({ x: "2" });
    expect(applyOp({ x: "1", y: "2" }, "del x")).toEqual({ y: "2" });
    expect(applyOp({ x: "1" }, "frobnicate")).toEqual({ x: "1" });
  });
});
