import { describe, expect, it } from "vitest";
import { toView, toViewLength } from "./geometry.ts";
import { shapeReach } from "./shapes.ts";
import { ariaLabelOf, buildNetwork, buildScene, messageTitle, placeMessages, sameNetwork, type SceneInput } from "./scene.ts";
import type { FlyingMessage, NetNode } from "../../store/frame.ts";

const node = (id: string, x: number, y: number, group = 0, over: Partial<NetNode> = {}): NetNode => ({
  id,
  x,
  y,
  status: "up",
  group,
  label: "follower · term 3",
  ...over,
});

const msg = (key: string, from: string, to: string, over: Partial<FlyingMessage> = {}): FlyingMessage => ({
  key,
  id: Number.parseInt(key, 10),
  from,
  to,
  kind: "append",
  sentAt: 0,
  arriveAt: 100,
  state: "flying",
  msg: null,
  ...over,
});

const base = (over: Partial<SceneInput> = {}): SceneInput => ({
  nodes: [node("n1", 0.2, 0.2), node("n2", 0.4, 0.2), node("n3", 0.3, 0.4)],
  reach: 0.35,
  time: 50,
  messages: [],
  kinds: [
    { kind: "vote", light: "#0072b2", dark: "#3d9be0" },
    { kind: "append", light: "#e69f00", dark: "#e69f00" },
  ],
  reducedMotion: false,
  selected: null,
  ...over,
});

describe("the scene", () => {
  it("links every pair of nodes in one group and draws no hull when nothing is split", () => {
    const s = buildScene(base());
    expect(s.links.map((l) => l.key)).toEqual(['["n1","n2"]', '["n1","n3"]', '["n2","n3"]']);
    expect(s.hulls).toEqual([]);
    expect(s.reachCircle).toBeNull();
  });

  it("links nodes only within their group, and outlines each group when the network is split", () => {
    const s = buildScene(base({ nodes: [node("n1", 0.1, 0.1, 0), node("n2", 0.2, 0.1, 0), node("n3", 0.9, 0.9, 1)] }));
    expect(s.links.map((l) => l.key)).toEqual(['["n1","n2"]']);
    expect(s.hulls.map((h) => h.group)).toEqual([0, 1]);
    // Round the node and the labels under it: a lone node's hull is a rounded triangle.
    expect(s.hulls[1]!.d.match(/A/g)).toHaveLength(3);
  });

  it("draws a link to a down or failed node as idle", () => {
    const s = buildScene(base({ nodes: [node("n1", 0.1, 0.1), node("n2", 0.2, 0.1, 0, { status: "down" })] }));
    expect(s.links).toMatchObject([{ live: false }]);
  });

  it("previews the partition a drag would make, with the reach circle round the dragged node", () => {
    const s = buildScene(base({ moving: { id: "n3", x: 0.95, y: 0.95, dragging: true } }));
    expect(s.nodes.map((n) => n.group)).toEqual([0, 0, 1]);
    expect(s.hulls).toHaveLength(2);
    expect(s.reachCircle).toEqual({ x: toView(0.95), y: toView(0.95), r: toViewLength(0.35) });
    expect(s.nodes[2]).toMatchObject({ x: toView(0.95), y: toView(0.95), dragging: true });
  });

  it("holds a dropped node where it was dropped, with the store's groups", () => {
    const s = buildScene(base({ moving: { id: "n3", x: 0.95, y: 0.95, dragging: false } }));
    expect(s.nodes.map((n) => n.group)).toEqual([0, 0, 0]);
    expect(s.nodes[2]).toMatchObject({ x: toView(0.95), dragging: false });
    expect(s.reachCircle).toBeNull();
  });

  it("colours messages by their kind's place in the legend, and grey for a kind not in it", () => {
    const s = buildScene(base({ messages: [msg("1", "n1", "n2"), msg("2", "n2", "n1", { kind: "vote" }), msg("3", "n1", "n3", { kind: "odd" })] }));
    expect(s.messages.map((m) => m.colour)).toEqual([1, 0, -1]);
  });

  it("gives each of any number of kinds its own colour: no palette to wrap round", () => {
    const kinds = Array.from({ length: 12 }, (_, i) => ({ kind: `k${i}`, light: `#0000${String(i).padStart(2, "0")}`, dark: "#fff" }));
    const s = buildScene(base({ kinds, messages: kinds.map((k, i) => msg(String(i + 1), "n1", "n2", { kind: k.kind })) }));
    expect(s.messages.map((m) => m.colour)).toEqual(kinds.map((_, i) => i));
  });

  it("marks falling messages, and keeps every message clear of a larger body", () => {
    const s = buildScene(
      base({
        time: 0,
        nodes: [node("n1", 0.2, 0.2, 0, { shape: "diamond" }), node("n2", 0.8, 0.2)],
        messages: [msg("1", "n1", "n2"), msg("2", "n1", "n2", { state: "falling", dropAt: 0, fallEnd: 40 })],
      }),
    );
    expect(s.messages.map((m) => m.falling)).toEqual([false, true]);
    // Sent at 0 and drawn at 0: at the sender's rim, which for a diamond is past NODE_RADIUS.
    expect(s.messages[0]!.x - toView(0.2)).toBeGreaterThan(shapeReach("diamond") - 0.01);
  });

  it("gives each node its lab's shape, a circle when there is none or one the view does not know", () => {
    const s = buildScene(
      base({
        nodes: [
          node("n1", 0.2, 0.2, 0, { shape: "square", role: "client" }),
          node("n2", 0.5, 0.2),
          node("n3", 0.8, 0.2, 0, { shape: "star" as never }),
          node("n4", 0.2, 0.8, 0, { shape: "hexagon" }),
        ],
      }),
    );
    expect(s.nodes.map((n) => n.shape)).toEqual(["square", "circle", "circle", "hexagon"]);
    expect(s.nodes[0]!.ariaLabel).toBe("n1 follower · term 3, client, up");
  });

  it("places messages between their nodes and skips those whose sender is not drawn", () => {
    const s = buildScene(base({ messages: [msg("1", "n1", "n2"), msg("2", "gone", "n1")] }));
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]!.x).toBeCloseTo((toView(0.2) + toView(0.4)) / 2, 6);
  });

  it("marks the selected node or message", () => {
    const a = buildScene(base({ selected: "n2", messages: [msg("1", "n1", "n2")] }));
    expect(a.nodes.map((n) => n.selected)).toEqual([false, true, false]);
    expect(a.messages[0]!.selected).toBe(false);
    const b = buildScene(base({ selected: "1", messages: [msg("1", "n1", "n2")] }));
    expect(b.messages[0]!.selected).toBe(true);
  });

  it("names a node for screen readers by its visible text (id, label), then its status", () => {
    expect(ariaLabelOf(node("n1", 0, 0))).toBe("n1 follower · term 3, up");
    expect(ariaLabelOf(node("n2", 0, 0, 0, { label: "", status: "down" }))).toBe("n2, down");
  });

  it("puts a node's role in its name after its label, before its status", () => {
    expect(ariaLabelOf(node("c1", 0, 0, 0, { role: "client", label: "waiting for n2" }))).toBe("c1 waiting for n2, client, up");
    expect(ariaLabelOf(node("s1", 0, 0, 0, { role: "server", label: "", status: "failed" }))).toBe("s1, server, failed");
  });

  it("titles a message with its kind, id and route, and why it dropped", () => {
    expect(messageTitle(msg("4", "n1", "n2"))).toBe("append #4: n1 → n2");
    expect(messageTitle(msg("4.1", "n1", "n2", { id: 4, state: "falling", reason: "partition" }))).toBe(
      "append #4 (duplicate): n1 → n2, dropped (partition)",
    );
  });

  it("keeps the network while only time and messages change, and rebuilds it for any change to a node", () => {
    const a = base();
    expect(sameNetwork(a, { ...a, nodes: a.nodes.map((n) => ({ ...n })) })).toBe(true);
    expect(sameNetwork(a, { ...base({ time: 999, messages: [msg("1", "n1", "n2")] }) })).toBe(true);
    for (const change of [{ label: "leader · term 4" }, { tone: "leader" }, { x: 0.21 }, { status: "down" as const }, { group: 1 }, { role: "client" }, { shape: "square" as const }]) {
      const nodes = a.nodes.map((n, i) => (i === 1 ? { ...n, ...change } : n));
      expect(sameNetwork(a, { ...a, nodes }), JSON.stringify(change)).toBe(false);
    }
    expect(sameNetwork(a, { ...a, selected: "n1" })).toBe(false);
    expect(sameNetwork(a, { ...a, textScale: 1.2 })).toBe(false);
    expect(sameNetwork(a, { ...a, moving: { id: "n1", x: 0.5, y: 0.5, dragging: true } })).toBe(false);
    expect(sameNetwork({ ...a, moving: { id: "n1", x: 0.5, y: 0.5, dragging: true } }, { ...a, moving: { id: "n1", x: 0.5, y: 0.5, dragging: true } })).toBe(true);
  });

  it("places messages on a kept network exactly as a whole new scene does", () => {
    const input = base({ messages: [msg("1", "n1", "n2"), msg("2", "n3", "n1", { state: "falling", dropAt: 40, fallEnd: 80 })] });
    expect(placeMessages(buildNetwork(input), input)).toEqual(buildScene(input).messages);
  });
});
