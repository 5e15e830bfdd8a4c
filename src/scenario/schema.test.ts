import { describe, expect, it } from "vitest";
import { labs } from "../labs/index.ts";
import { scenario } from "./build.ts";
import { testLabs } from "./test-labs.ts";
import { parseScenario, type LoadResult } from "./schema.ts";
import type { Scenario } from "./types.ts";

/** A small valid scenario touching every optional part, fresh for each test to break. */
function valid(): Scenario {
  return scenario({
    lab: "tick",
    name: "every-part",
    title: "Every part of the format",
    seed: 42,
    until: 20_000,
    nodes: [
      { id: "n1", x: 0.1, y: 0.2 },
      { id: "n2", x: 0.5, y: 0.5, clock: { offset: -250, drift: 0.001, step: { at: 4000, by: -1000 } } },
      { id: "n3", x: 0.9, y: 0.8 },
    ],
    network: { latency: [5, 40], loss: 0.1, duplicate: 0.05, reorder: true, reach: 0.5, links: [{ a: "n1", b: "n3", latency: [100, 200] }] },
    params: { interval: 300 },
    timeline: [
      { t: 1000, do: "partition", groups: [["n1"], ["n2", "n3"]] },
      { t: 2000, do: "heal" },
      { t: 3000, do: "crash", node: "n3" },
      { t: 4000, do: "restart", node: "n3" },
      { t: 5000, do: "set", path: "network.loss", value: 0.2 },
      { t: 5500, do: "set", path: "network.latency", value: [1, 2] },
      { t: 5600, do: "set", path: "params.interval", value: 500 },
      { t: 6000, do: "command", node: "n2", cmd: { inc: 2, note: ["any", null, true] } },
      { t: 7000, do: "move", node: "n1", x: 1, y: 0 },
    ],
  });
}

/** `valid()` with one change made to it (through `any`: these tests break the types on purpose). */
function parseWith(change: (s: any) => void): LoadResult {
  const s = valid();
  change(s);
  return parseScenario(s, testLabs);
}

function errorOf(r: LoadResult): string {
  if (r.ok) throw new Error("expected the scenario to be refused");
  return r.error;
}

describe("parseScenario", () => {
  it("accepts a scenario that uses every part of the format and returns it unchanged", () => {
    const r = parseScenario(valid(), testLabs);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario).toEqual(valid());
  });

  it("accepts every gallery scenario of every lab", () => {
    for (const lab of labs) for (const s of lab.scenarios) expect(parseScenario(s, labs)).toMatchObject({ ok: true });
  });

  it("fills the lab's param defaults into params but leaves scenario.params as written", () => {
    const r = parseWith((s) => (s.params = {}));
    expect(r).toMatchObject({ ok: true, params: { interval: 200 }, scenario: { params: {} } });
  });

  it("strips unknown top-level keys instead of refusing them", () => {
    const r = parseWith((s) => (s.comment = "from an older tool"));
    expect(r.ok).toBe(true);
    if (r.ok) expect("comment" in r.scenario).toBe(false);
  });

  it("returns a scenario that shares no arrays with the input", () => {
    const input = valid();
    const r = parseScenario(input, testLabs);
    if (!r.ok) throw new Error(r.error);
    expect(r.scenario.network.latency).not.toBe(input.network.latency);
    expect(r.scenario.nodes).not.toBe(input.nodes);
  });

  it("accepts any text as a node id, markup included, because the page shows ids as text", () => {
    const id = "<img src=x onerror=alert(1)>";
    const r = parseWith((s) => {
      s.nodes[0].id = id;
      s.network.links[0].a = id;
      s.timeline[0].groups[0] = [id];
      s.timeline[8].node = id;
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario.nodes[0]!.id).toBe(id);
  });

  it("refuses node ids that would reach Object.prototype", () => {
    for (const id of ["__proto__", "constructor", "prototype"]) {
      expect(errorOf(parseWith((s) => (s.nodes[0].id = id)))).toBe(
        'The scenario is not valid: nodes[0].id must not be "__proto__", "constructor" or "prototype".',
      );
    }
  });

  it("refuses an empty node id and one longer than 40 characters", () => {
    expect(errorOf(parseWith((s) => (s.nodes[1].id = "")))).toContain("nodes[1].id must be text of 1 to 40 characters");
    expect(errorOf(parseWith((s) => (s.nodes[1].id = "x".repeat(41))))).toContain("nodes[1].id");
    expect(parseWith((s) => s.nodes.push({ id: "x".repeat(40), x: 0, y: 0 })).ok).toBe(true);
  });

  it("refuses duplicate node ids, naming both places", () => {
    expect(errorOf(parseWith((s) => (s.nodes[2].id = "n1")))).toBe(
      "The scenario is not valid: nodes[2].id must be unique (nodes[0] has the same id).",
    );
  });

  it("refuses a timeline action naming a node that does not exist", () => {
    expect(errorOf(parseWith((s) => (s.timeline[2].node = "n9")))).toBe(
      `The scenario is not valid: timeline[2].node must name one of the scenario's nodes ("n9" is not one).`,
    );
  });

  it("refuses a partition group or a link naming a node that does not exist", () => {
    expect(errorOf(parseWith((s) => s.timeline[0].groups[1].push("ghost")))).toContain("timeline[0].groups[1][2] must name one of the scenario's nodes");
    expect(errorOf(parseWith((s) => (s.network.links[0].b = "ghost")))).toContain("network.links[0].b must name one of the scenario's nodes");
  });

  it("refuses a minimum latency of 0, because the worker host's lookahead needs a positive one", () => {
    const msg = "network.latency must be [min, max] in milliseconds with 1 <= min <= max <= 60000";
    expect(errorOf(parseWith((s) => (s.network.latency = [0, 10])))).toBe(`The scenario is not valid: ${msg}.`);
    expect(errorOf(parseWith((s) => (s.network.links[0].latency = [0, 10])))).toContain("network.links[0].latency must be");
    expect(errorOf(parseWith((s) => (s.timeline[5].value = [0, 10])))).toContain("timeline[5].value must be [min, max]");
  });

  it("refuses a latency whose max is below its min, above a minute, or not a pair", () => {
    for (const latency of [[50, 20], [1, 60_001], [5], [1, 2, 3], "20-60", [1, Number.NaN]]) {
      expect(errorOf(parseWith((s) => (s.network.latency = latency)))).toContain("network.latency must be");
    }
  });

  it("names the path of a bad node coordinate", () => {
    expect(errorOf(parseWith((s) => (s.nodes[2].x = 1.5)))).toBe("The scenario is not valid: nodes[2].x must be a number between 0 and 1.");
    expect(errorOf(parseWith((s) => (s.nodes[2].y = "0.5")))).toBe("The scenario is not valid: nodes[2].y must be a number between 0 and 1.");
  });

  it("says which field is missing", () => {
    expect(errorOf(parseWith((s) => delete s.seed))).toBe("The scenario is not valid: seed is missing.");
    expect(errorOf(parseWith((s) => delete s.network.reorder))).toBe("The scenario is not valid: network.reorder is missing.");
    expect(errorOf(parseWith((s) => delete s.timeline[7].cmd))).toBe("The scenario is not valid: timeline[7].cmd is missing.");
  });

  it("holds seed, until and the lab id to their ranges", () => {
    expect(errorOf(parseWith((s) => (s.seed = 1.5)))).toContain("seed must be a whole number between 0 and 4294967295");
    expect(errorOf(parseWith((s) => (s.seed = 2 ** 32)))).toContain("seed must be");
    expect(parseWith((s) => (s.seed = 2 ** 32 - 1)).ok).toBe(true);
    expect(errorOf(parseWith((s) => (s.until = 0)))).toContain("until must be a duration");
    expect(errorOf(parseWith((s) => (s.until = 86_400_001)))).toContain("until must be");
    expect(errorOf(parseWith((s) => (s.lab = "Gossip!")))).toContain("lab must be a lab id");
  });

  it("holds node count, name and title to their limits", () => {
    expect(errorOf(parseWith((s) => (s.nodes = [])))).toContain("nodes must be a list of 1 to 64 nodes");
    const many = Array.from({ length: 65 }, (_, i) => ({ id: `m${i}`, x: 0, y: 0 }));
    expect(errorOf(parseWith((s) => (s.nodes = many)))).toContain("nodes must be a list of 1 to 64 nodes");
    expect(errorOf(parseWith((s) => (s.name = "x".repeat(61))))).toContain("name must be text of at most 60 characters");
    expect(errorOf(parseWith((s) => (s.title = 7)))).toContain("title must be text of at most 120 characters");
  });

  it("holds clock skew to an hour of offset and a drift of 0.5", () => {
    expect(errorOf(parseWith((s) => (s.nodes[1].clock.offset = 3_600_001)))).toContain("nodes[1].clock.offset must be");
    expect(errorOf(parseWith((s) => (s.nodes[1].clock.drift = -0.6)))).toContain("nodes[1].clock.drift must be a number between -0.5 and 0.5");
    expect(errorOf(parseWith((s) => (s.nodes[1].clock.step.at = -1)))).toContain("nodes[1].clock.step.at must be");
  });

  it("holds loss, duplicate and reach to their ranges", () => {
    expect(errorOf(parseWith((s) => (s.network.loss = 1.01)))).toContain("network.loss must be a probability between 0 and 1");
    expect(errorOf(parseWith((s) => (s.network.duplicate = -0.1)))).toContain("network.duplicate must be a probability");
    expect(errorOf(parseWith((s) => (s.network.reach = 0)))).toContain("network.reach must be a distance above 0 and at most 1.5");
    expect(parseWith((s) => (s.network.reach = 1.5)).ok).toBe(true);
  });

  it("refuses an action of an unknown kind, listing the kinds there are", () => {
    expect(errorOf(parseWith((s) => s.timeline.push({ t: 1, do: "explode" })))).toBe(
      "The scenario is not valid: timeline[9].do must be one of partition, heal, crash, restart, set, command, move, add-node, remove-node.",
    );
    expect(errorOf(parseWith((s) => s.timeline.push(null)))).toBe("The scenario is not valid: timeline[9] must be an action object.");
  });

  it("refuses an action time outside the first 24 hours", () => {
    expect(errorOf(parseWith((s) => (s.timeline[1].t = -1)))).toContain("timeline[1].t must be a time in milliseconds between 0 and 86400000");
    expect(errorOf(parseWith((s) => (s.timeline[1].t = 86_400_001)))).toContain("timeline[1].t must be");
  });

  it("makes a set action obey the rule of the network field it sets", () => {
    expect(errorOf(parseWith((s) => (s.timeline[4].value = 2)))).toBe(
      "The scenario is not valid: timeline[4].value must be a probability between 0 and 1.",
    );
    expect(errorOf(parseWith((s) => s.timeline.push({ t: 1, do: "set", path: "network.reorder", value: 1 })))).toContain(
      "timeline[9].value must be true or false",
    );
  });

  it("refuses a set action on a path the engine does not know (one node's clock and params up to four names deep it knows)", () => {
    for (const path of ["network.links", "nodes.0.x", "nodes.n1.clock.speed", "params.", "params.9lives", "params.a.b.c.d.e", "seed"]) {
      expect(errorOf(parseWith((s) => (s.timeline[4].path = path)))).toContain("timeline[4].path must be network.latency");
    }
  });

  it("makes a params set leave params the lab accepts", () => {
    expect(errorOf(parseWith((s) => (s.timeline[6].value = 5)))).toBe(
      "The scenario is not valid: timeline[6] sets params.interval to a value the tick lab does not accept (params.interval must be at least 10).",
    );
    expect(errorOf(parseWith((s) => (s.timeline[6].path = "params.constructor")))).toContain("timeline[6].path must not set params.constructor");
  });

  it("refuses params the lab does not accept, in the lab's terms", () => {
    expect(errorOf(parseWith((s) => (s.params = { interval: 5 })))).toBe(
      "The scenario's parameters are not valid for the tick lab: params.interval must be at least 10.",
    );
    expect(errorOf(parseWith((s) => (s.params = { interval: "fast" })))).toContain("params.interval must be a number");
    expect(errorOf(parseWith((s) => (s.params = [])))).toBe("The scenario is not valid: params must be an object.");
    expect(errorOf(parseWith((s) => ((s.lab = "vote"), (s.timeline = []), (s.params = { timeout: "slow" }))))).toBe(
      "The scenario's parameters are not valid for the vote lab: params.timeout must be a list.",
    );
  });

  it("names the known labs when the lab is unknown", () => {
    expect(errorOf(parseWith((s) => (s.lab = "foo")))).toBe('Unknown lab "foo". Known labs: tick, vote.');
    expect(errorOf(parseScenario({ ...valid(), lab: "foo" }, []))).toBe('Unknown lab "foo". Known labs: none.');
  });

  it("refuses a command that is not plain JSON, cycles included", () => {
    expect(errorOf(parseWith((s) => (s.timeline[7].cmd = Number.POSITIVE_INFINITY)))).toContain("timeline[7].cmd must be a JSON value");
    expect(errorOf(parseWith((s) => (s.timeline[7].cmd = new Date(0))))).toContain("timeline[7].cmd must be a JSON value");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorOf(parseWith((s) => (s.timeline[7].cmd = cyclic)))).toContain("timeline[7].cmd must be a JSON value");
  });

  it("refuses lists over their limits before walking them", () => {
    const actions = Array.from({ length: 20_001 }, () => ({ t: 0, do: "heal" }));
    expect(errorOf(parseWith((s) => (s.timeline = actions)))).toContain("timeline must be a list of at most 20000 actions");
    const links = Array.from({ length: 201 }, () => ({ a: "n1", b: "n2", latency: [1, 2] }));
    expect(errorOf(parseWith((s) => (s.network.links = links)))).toContain("network.links must be a list of at most 200 links");
    const groups = Array.from({ length: 65 }, () => ["n1"]);
    expect(errorOf(parseWith((s) => (s.timeline[0].groups = groups)))).toContain("timeline[0].groups must be a list of at most 64 groups");
  });

  it("never throws, whatever it is given", () => {
    const hostile = [
      undefined,
      null,
      0,
      "scenario",
      [],
      { v: 1 },
      { v: "1" },
      { v: 1e308 },
      Object.create(null),
      {
        v: 1,
        get lab(): string {
          throw new Error("boom");
        },
      },
      new Proxy({}, { get: () => { throw new Error("boom"); } }),
    ];
    for (const input of hostile) {
      const r = parseScenario(input, testLabs);
      expect(r.ok).toBe(false);
      expect(errorOf(r)).toMatch(/^[^\n]+\.$/);
    }
  });
});
