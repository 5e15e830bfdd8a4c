// A lab with two roles (tests/fixtures/echo-lab.ts: clients ping a server): each node runs its
// role's protocol, knows its peers' roles, and both hosts give one trace. Links name roles, and
// a role the lab does not have is refused in a sentence.

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { labs } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { spawnNodeWorker } from "../../src/runtime/spawn-node.ts";
import { startInWorkers } from "../../src/runtime/worker-host.ts";
import { decodeLink, linkFor } from "../../src/scenario/codec.ts";
import { echoLab } from "../fixtures/echo-lab.ts";

const ENTRY = new URL("../fixtures/worker-entry.mjs", import.meta.url);
const s = echoLab.scenarios[0]!;
const cfg = { scenario: s, labId: echoLab.id, protocol: echoLab.protocol, params: v.parse(echoLab.params, s.params) };

describe("a lab with two roles", () => {
  it("declares its roles in order, from its protocols", () => {
    expect(echoLab.roles).toEqual(["client", "server"]);
    const roles: Record<string, string[]> = { ring: ["server", "client"], resilience: ["client", "front", "downstream"] };
    for (const lab of labs) expect(lab.roles, lab.id).toEqual(roles[lab.id] ?? []);
  });

  it("runs each node's role's protocol, on both hosts, to one trace", async () => {
    const a = startInProcess(cfg);
    await a.advance(s.until);
    const w = await startInWorkers(cfg, { spawn: () => spawnNodeWorker(ENTRY) });
    try {
      await w.advance(s.until);
      expect(w.engine.trace.hash()).toBe(a.engine.trace.hash());
      const views = await w.views();
      expect(views).toEqual(await a.views());
      // n1 is the server; the clients found it through ctx.roles and got answers.
      expect(views[0]).toMatchObject({ role: "server" });
      expect(views[0]!.served).toBeGreaterThan(20);
      for (const c of views.slice(1)) {
        expect(c).toMatchObject({ role: "client" });
        expect(c.got).toBeGreaterThan(5);
      }
      const toServer = a.engine.trace.events.filter((e) => e.kind === "send" && e.to === "n1").length;
      const fromServer = a.engine.trace.events.filter((e) => e.kind === "send" && e.from === "n1").length;
      expect(toServer).toBeGreaterThan(0);
      expect(fromServer).toBeGreaterThan(0);
    } finally {
      w.close();
    }
  });

  it("keeps roles in links, and refuses a role the lab does not have", () => {
    const back = decodeLink(linkFor(s), [echoLab]);
    expect(back.ok && back.scenario.nodes.map((n) => n.role)).toEqual(["server", "client", "client", "client"]);
    const bad = { ...s, nodes: s.nodes.map((n, i) => (i === 2 ? { ...n, role: "admin" } : n)) };
    expect(decodeLink(linkFor(bad), [echoLab])).toEqual({
      ok: false,
      error: 'The scenario is not valid: nodes[2].role is "admin", but the echo lab\'s roles are client, server.',
    });
    const raft = labs.find((l) => l.id === "raft")!;
    const withRole = { ...raft.scenarios[0]!, nodes: raft.scenarios[0]!.nodes.map((n) => ({ ...n, role: "client" })) };
    const refused = decodeLink(linkFor(withRole), labs);
    expect(refused.ok ? "accepted" : refused.error).toBe('The scenario is not valid: nodes[0].role is "client", but the raft lab\'s nodes have no roles.');
  });
});
