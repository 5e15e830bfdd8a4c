// The playground as a learner uses it, in Debian's Chromium against the built site: open each
// lab, drag a node away, share the link, scrub, break the address, try to inject markup, drive
// it by keyboard. Screenshots of each lab in light and dark go to test-results/ (not committed).

import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { labs } from "../../src/labs/index.ts";
import { encodeScenario } from "../../src/scenario/codec.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import type {} from "../../src/ui/api.ts";
import type { ProbedCanvas } from "../../src/ui/network/canvas.ts";
import { browserSession, showNetwork, watchProblems } from "./harness.ts";

const SHOTS = new URL("../../test-results/screenshots/", import.meta.url);

const session = browserSession();

interface Opened {
  page: Page;
  problems: string[];
  url: string;
}

/** Open `hash` on the built site in a fresh context and wait for the run to start. */
async function open(hash: string, opts: { colorScheme?: "light" | "dark"; reducedMotion?: "reduce" | "no-preference" } = {}): Promise<Opened> {
  const url = await session.url();
  const context = await session.context({ viewport: { width: 1280, height: 860 }, ...opts });
  const page = await context.newPage();
  const problems = watchProblems(page);
  page.on("dialog", (d) => {
    problems.push(`a dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url + hash);
  await page.waitForFunction(() => window.splitbrain !== undefined && window.splitbrain.nodes().length > 0, undefined, { timeout: 60_000 });
  return { page, problems, url };
}

const api = <T>(page: Page, f: () => T | Promise<T>): Promise<T> => page.evaluate(f);

describe("the playground", () => {
  for (const lab of labs) {
    test(`opens the ${lab.id} lab: its nodes appear, each in its own Web Worker, and time advances`, async () => {
      const { page, problems } = await open(`#/${lab.id}`);
      await showNetwork(page);
      const n = lab.scenarios[0]!.nodes.length;
      await expect.poll(() => page.locator("svg [data-node-id]").count()).toBe(n);
      expect(await api(page, () => window.splitbrain!.workers())).toBe(n);
      await expect.poll(() => page.workers().length, { timeout: 10_000 }).toBe(n);
      const t0 = await api(page, () => window.splitbrain!.time());
      await expect.poll(() => api(page, () => window.splitbrain!.time()), { timeout: 20_000 }).toBeGreaterThan(t0 + 100);
      await expect(page.title()).resolves.toContain(lab.title);
      expect(await page.locator("h1").textContent()).toBe(lab.title);
      expect(problems).toEqual([]);
      mkdirSync(SHOTS, { recursive: true });
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await api(page, () => window.splitbrain!.seek(4000));
        await page.screenshot({ path: new URL(`${lab.id}-${scheme}.png`, SHOTS).pathname });
      }
    });
  }

  test("dragging a node far away partitions it: the timeline records it, its hull separates, messages across the cut drop", async () => {
    const lab = labs[0]!;
    const { page, problems } = await open(`#/${lab.id}`);
    await api(page, () => {
      window.splitbrain!.speed(1);
      window.splitbrain!.play();
    });
    await expect.poll(() => api(page, () => window.splitbrain!.time())).toBeGreaterThan(500);
    const node = page.locator('svg [data-node-id="n1"]');
    const box = (await node.boundingBox())!;
    const svg = (await page.locator("svg.netview").boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) {
      await page.mouse.move(box.x + ((svg.x + 12 - box.x) * k) / 10, box.y + ((svg.y + svg.height - 12 - box.y) * k) / 10);
    }
    await page.mouse.up();
    await expect.poll(() => api(page, () => window.splitbrain!.scenario()!.timeline.filter((a) => a.do === "move").length)).toBe(1);
    const moved = await api(page, () => window.splitbrain!.scenario()!.timeline.find((a) => a.do === "move")!);
    expect(moved).toMatchObject({ do: "move", node: "n1" });
    await expect.poll(() => page.locator(".marks li").count()).toBeGreaterThan(lab.scenarios[0]!.timeline.length);
    const groups = await api(page, () => window.splitbrain!.nodes().map((n) => [n.id, n.group] as const));
    const g1 = groups.find(([id]) => id === "n1")![1];
    expect(groups.filter(([id]) => id !== "n1").every(([, g]) => g !== g1)).toBe(true);
    await expect.poll(() => page.locator("svg .hull").count()).toBeGreaterThanOrEqual(2);
    // Play on past the move; the trace shows messages to and from n1 dropped at the cut.
    await expect.poll(() => api(page, () => window.splitbrain!.time()), { timeout: 30_000 }).toBeGreaterThan(moved.t + 1500);
    const cut = await api(page, () =>
      window.splitbrain!.events("drop").filter((e) => e.reason === "partition" && (e.from === "n1" || e.to === "n1")).length,
    );
    expect(cut).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  test("a copied link opened in a fresh page replays the same run to the same trace hash", async () => {
    const lab = labs[0]!;
    const first = await open(`#/${lab.id}/${lab.scenarios[1]!.name}`);
    await api(first.page, () => window.splitbrain!.seek(3000));
    await api(first.page, () => window.splitbrain!.act({ do: "crash", node: "n2" }));
    await api(first.page, () => window.splitbrain!.seek(6000));
    await first.page.getByRole("button", { name: "Copy link" }).click();
    await expect.poll(() => first.page.evaluate(() => location.hash)).toMatch(/^#s=/);
    const link = await api(first.page, () => window.splitbrain!.link());
    const hash = await api(first.page, () => window.splitbrain!.traceHash());
    const second = await open(new URL(link).hash);
    await api(second.page, () => window.splitbrain!.seek(6000));
    expect(await api(second.page, () => window.splitbrain!.traceHash())).toBe(hash);
    expect(await api(second.page, () => window.splitbrain!.scenario()!.timeline)).toContainEqual({ do: "crash", node: "n2", t: 3000 });
    expect([...first.problems, ...second.problems]).toEqual([]);
  });

  test("pause, step, step back and scrub: time() and the view agree", async () => {
    const lab = labs[0]!;
    const { page, problems } = await open(`#/${lab.id}`);
    const clock = page.getByTestId("clock");
    const shows = async () => (await clock.textContent())!.split(" / ")[0]!;
    const fmt = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(3)} s` : `${(ms / 1000).toFixed(1)} s`);
    await page.getByRole("button", { name: "Pause" }).click();
    expect(await api(page, () => window.splitbrain!.playing())).toBe(false);
    const t0 = await api(page, () => window.splitbrain!.seek(2500));
    expect(t0).toBe(2500);
    await expect.poll(shows).toBe(fmt(2500));
    await page.getByRole("button", { name: "Step forward one event" }).click();
    await expect.poll(() => api(page, () => window.splitbrain!.time())).toBeGreaterThan(2500);
    const t1 = await api(page, () => window.splitbrain!.time());
    await expect.poll(shows).toBe(fmt(t1));
    await page.getByRole("button", { name: "Step back one event" }).click();
    await expect.poll(() => api(page, () => window.splitbrain!.time())).toBeLessThan(t1);
    const t2 = await api(page, () => window.splitbrain!.time());
    await expect.poll(shows).toBe(fmt(t2));
    const slider = page.getByRole("slider", { name: "Virtual time" });
    await slider.fill("7000");
    await expect.poll(() => api(page, () => window.splitbrain!.time())).toBe(7000);
    await expect.poll(shows).toBe(fmt(7000));
    expect(await slider.inputValue()).toBe("7000");
    expect(problems).toEqual([]);
  });

  test("a click on a message shows it; a click on a node's body selects the node, even with a message passing over it", async () => {
    const { page, problems } = await open("#/raft");
    await page.getByRole("button", { name: "Pause" }).click();
    // Look for a moment with a message clear of every node, and one with a message so close to
    // a node that a press inside the node's body is within a message's reach too. The run is
    // deterministic, so both are found at the same times on every run.
    const found = await page.evaluate(async () => {
      type Spot = { t: number; x: number; y: number; key?: string; id?: string };
      const canvas = document.querySelector<ProbedCanvas>("canvas.netview-messages")!;
      const bodies = () =>
        [...document.querySelectorAll("svg g.node")].map((g) => {
          const r = g.querySelector("path.body")!.getBoundingClientRect();
          return { id: g.getAttribute("data-node-id")!, x: r.x + r.width / 2, y: r.y + r.height / 2, r: r.width / 2 };
        });
      let clear: Spot | null = null;
      let over: Spot | null = null;
      for (let t = 200; t < 6000 && (clear === null || over === null); t += 20) {
        await window.splitbrain!.seek(t);
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const box = canvas.getBoundingClientRect();
        const nodes = bodies();
        for (const s of canvas.netviewProbe!.spots()) {
          const x = box.x + s.x;
          const y = box.y + s.y;
          const near = nodes.map((n) => ({ n, d: Math.hypot(x - n.x, y - n.y) }));
          if (clear === null && near.every(({ n, d }) => d > 2 * n.r + 20)) clear = { t, x, y, key: s.key };
          for (const { n, d } of near) {
            // A view unit in px (a node's body is 15 units across its radius); the press lands
            // 3 units inside the rim, towards the message, within 8 units of it.
            const unit = n.r / 15;
            const inside = n.r - 3 * unit;
            if (over === null && d > inside && d - inside < 8 * unit) over = { t, x: n.x + ((x - n.x) * inside) / d, y: n.y + ((y - n.y) * inside) / d, id: n.id };
          }
        }
      }
      return { clear, over };
    });
    expect(found.over, "a message close to a node").not.toBeNull();
    expect(found.clear, "a message clear of the nodes").not.toBeNull();
    const heading = page.locator("section.details h2");
    await api(page, () => window.splitbrain!.seek(0));
    await page.evaluate((t) => window.splitbrain!.seek(t), found.over!.t);
    await page.mouse.click(found.over!.x, found.over!.y);
    await expect.poll(() => heading.textContent()).toContain(`Node ${found.over!.id}`);
    expect(await page.locator(`svg [data-node-id="${found.over!.id}"]`).getAttribute("aria-pressed")).toBe("true");
    await page.evaluate((t) => window.splitbrain!.seek(t), found.clear!.t);
    await page.mouse.click(found.clear!.x, found.clear!.y);
    await expect.poll(() => heading.textContent()).toMatch(/^Message #\d+: /);
    expect(problems).toEqual([]);
  });

  test("the fault palette shows the network as it stands at the current time", async () => {
    const lab = labs.find((l) => l.id === "gossip")!;
    const { page, problems } = await open(`#/gossip/lossy`);
    await page.getByRole("button", { name: "Faults", exact: true }).click();
    const loss = page.locator(".palette .slider span").first();
    await expect.poll(() => loss.textContent()).toBe(`loss ${Math.round(lab.scenarios[2]!.network.loss * 100)} %`);
    await api(page, () => window.splitbrain!.seek(2000));
    await api(page, () => window.splitbrain!.act({ do: "set", path: "network.loss", value: 0.9 }));
    await expect.poll(() => loss.textContent()).toBe("loss 90 %");
    await api(page, () => window.splitbrain!.seek(1000));
    await expect.poll(() => loss.textContent()).toBe("loss 30 %");
    expect(problems).toEqual([]);
  });

  test("a garbage #s= link shows a readable message and the default lab, with no page error", async () => {
    for (const bad of ["#s=!!!not-a-link", `#s=${encodeScenario(labs[0]!.scenarios[0]!).slice(0, 25)}`, "#s=" + "A".repeat(300_000)]) {
      const { page, problems } = await open(bad);
      const notice = page.locator(".notice");
      await expect.poll(() => notice.textContent()).toMatch(/link/i);
      expect(await api(page, () => window.splitbrain!.scenario()!.name)).toBe(labs[0]!.scenarios[0]!.name);
      expect(await page.locator("h1").textContent()).toBe(labs[0]!.title);
      expect(problems).toEqual([]);
    }
  });

  test("a node id made of markup is shown as text and runs no script", async () => {
    const evil = "<img src=x onerror=alert(1)>";
    const base = labs[0]!.scenarios[0]!;
    const s: Scenario = {
      ...base,
      nodes: base.nodes.map((n, i) => (i === 0 ? { ...n, id: evil } : n)),
      timeline: [{ t: 500, do: "command", node: evil, cmd: "inc" }],
    };
    const { page, problems } = await open(`#s=${encodeScenario(s)}`);
    await expect.poll(() => page.locator("svg [data-node-id]").count()).toBe(base.nodes.length);
    await expect.poll(() => page.getByText(evil, { exact: true }).first().isVisible()).toBe(true);
    expect(await page.locator("img").count()).toBe(0);
    await api(page, () => window.splitbrain!.seek(2000));
    // The node's label in the network view is that very text, and the page parsed no markup from it.
    const label = page.locator("svg .node text.id").first();
    expect(await label.textContent()).toBe(evil);
    expect(await page.evaluate(() => document.querySelectorAll("[onerror]").length)).toBe(0);
    expect(problems).toEqual([]);
  });

  test("space toggles play, arrows step, and reduced motion is honoured", async () => {
    const lab = labs[0]!;
    const { page, problems } = await open(`#/${lab.id}`, { reducedMotion: "reduce" });
    await expect.poll(() => api(page, () => window.splitbrain!.playing())).toBe(true);
    await page.locator("body").press("Space");
    expect(await api(page, () => window.splitbrain!.playing())).toBe(false);
    await page.locator("body").press("Space");
    expect(await api(page, () => window.splitbrain!.playing())).toBe(true);
    // Space plays and pauses wherever focus is (a node, a button), except in a text field.
    const playing = () => api(page, () => window.splitbrain!.playing());
    await page.locator('svg [data-node-id="n1"]').focus();
    await page.keyboard.press("Space");
    expect(await playing()).toBe(false);
    await page.getByRole("button", { name: "Step forward one event" }).focus();
    await page.keyboard.press("Space");
    expect(await playing()).toBe(true);
    await page.locator("body").press("Space");
    const t = await api(page, () => window.splitbrain!.time());
    await page.locator("body").press("ArrowRight");
    await expect.poll(() => api(page, () => window.splitbrain!.time())).toBeGreaterThan(t);
    await expect(page.locator("svg.netview").getAttribute("data-motion")).resolves.toBe("reduced");
    // Every control is reachable by keyboard: tabbing reaches the play button and a node.
    const reached = new Set<string>();
    for (let k = 0; k < 60; k++) {
      await page.keyboard.press("Tab");
      reached.add(await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent ?? ""));
    }
    expect([...reached].some((l) => /^(Play|Pause)$/.test(l))).toBe(true);
    expect([...reached].some((l) => /^n1\b/.test(l))).toBe(true);
    expect(problems).toEqual([]);
  });
});
