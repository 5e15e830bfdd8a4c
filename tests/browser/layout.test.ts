// The page on screens learners use: at 1280×720 and 1400×900 the lesson step, the network
// view, the lab's panel and the timeline are on screen together and the page does not scroll;
// at 390×844 nothing scrolls sideways, node labels never print over each other, and a finger
// drags a node away to partition it. Screenshots at each size, light and dark, go to
// test-results/screenshots/ to be looked at.

import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { labs } from "../../src/labs/index.ts";
import type {} from "../../src/ui/api.ts";
import { browserSession, showNetwork, watchProblems } from "./harness.ts";

const SHOTS = new URL("../../test-results/screenshots/", import.meta.url);

const session = browserSession();

interface Size {
  width: number;
  height: number;
  touch?: boolean;
}

async function open(hash: string, size: Size, colorScheme: "light" | "dark" = "light"): Promise<{ page: Page; problems: string[] }> {
  const url = await session.url();
  const context = await session.context({
    viewport: { width: size.width, height: size.height },
    colorScheme,
    ...(size.touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(url + hash);
  if (hash === "#/") await page.locator(".cards").waitFor();
  else await page.waitForFunction(() => (window.splitbrain?.nodes().length ?? 0) > 0 && window.splitbrain!.time() > 300, undefined, { timeout: 30_000 });
  return { page, problems };
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname });
}

/** Boxes of every node text the view shows, by node. */
async function labelBoxes(page: Page): Promise<{ node: string; x0: number; y0: number; x1: number; y1: number }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<SVGTextElement>("svg.netview g.node text")]
      .filter((t) => (t.textContent ?? "") !== "")
      .map((t) => {
        const r = t.getBoundingClientRect();
        return { node: t.closest("[data-node-id]")!.getAttribute("data-node-id")!, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
      }),
  );
}

function overlapping(boxes: Awaited<ReturnType<typeof labelBoxes>>): string[] {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      // Allow a pixel of antialiasing between neighbours.
      if (a.node !== b.node && a.x0 < b.x1 - 1 && b.x0 < a.x1 - 1 && a.y0 < b.y1 - 1 && b.y0 < a.y1 - 1) out.push(`${a.node}/${b.node}`);
    }
  }
  return out;
}

describe("one screen", () => {
  for (const size of [
    { width: 1280, height: 720 },
    { width: 1400, height: 900 },
  ]) {
    for (const lab of labs) {
      test(`at ${size.width}×${size.height} the ${lab.id} lab shows its lesson step, network, panel and timeline without scrolling`, async () => {
        const { page, problems } = await open(`#/${lab.id}`, size);
        const inView = async (selector: string, whole: boolean) => {
          const b = (await page.locator(selector).first().boundingBox())!;
          expect(b, selector).not.toBeNull();
          expect(b.y, `${selector} top`).toBeGreaterThanOrEqual(0);
          expect(b.x + b.width, `${selector} right`).toBeLessThanOrEqual(size.width);
          if (whole) expect(b.y + b.height, `${selector} bottom`).toBeLessThanOrEqual(size.height);
          else expect(b.y + 60, `${selector} shows at least its top`).toBeLessThanOrEqual(size.height);
        };
        await inView(".lesson", true);
        // A lab that opens on its own stage (the clocks lab's diagram) shows that whole, then the
        // learner switches to the network.
        if ((await page.locator(".canvas.view-stage").count()) > 0) await inView(".lab-stage", true);
        await showNetwork(page);
        await inView("svg.netview", true);
        await inView(".timeline", true);
        await inView(".lab-panel", false);
        const scroll = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
        expect(scroll).toEqual({ w: size.width, h: size.height });
        // Crashing a node from the faults drawer leaves the view where it is.
        await page.getByRole("button", { name: "Faults", exact: true }).click();
        // Selected from the keyboard: a click could land on a message passing over the node.
        const first = await page.evaluate(() => window.splitbrain!.nodes()[0]!.id);
        await page.locator(`svg [data-node-id="${first}"]`).focus();
        await page.keyboard.press("Enter");
        await page.getByRole("button", { name: `Crash ${first}` }).click();
        expect(await page.evaluate(() => window.scrollY)).toBe(0);
        await inView("svg.netview", true);
        for (const scheme of ["light", "dark"] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          await shot(page, `${lab.id}-${size.width}x${size.height}-${scheme}`);
        }
        expect(problems).toEqual([]);
      });
    }
  }

  test("at 1280×720 the home page shows a card for every lab", async () => {
    const { page, problems } = await open("#/", { width: 1280, height: 720 });
    expect(await page.locator(".card h2").allTextContents()).toEqual(labs.map((l) => l.title));
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await shot(page, `home-1280x720-${scheme}`);
    }
    expect(problems).toEqual([]);
  });
});

describe("on a phone, 390×844", () => {
  const phone = { width: 390, height: 844, touch: true };

  for (const hash of ["#/", ...labs.flatMap((l) => l.scenarios.map((s) => `#/${l.id}/${s.name}`))]) {
    test(`${hash} does not scroll sideways${hash === "#/" ? "" : " and its node labels never overlap, playing or seeked"}`, async () => {
      const { page, problems } = await open(hash, phone);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
      if (hash !== "#/") {
        for (const t of [null, 1500, 4000]) {
          if (t !== null) await page.evaluate((to) => window.splitbrain!.seek(to), t);
          expect(overlapping(await labelBoxes(page)), `at ${t ?? "live"}`).toEqual([]);
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
      }
      if (hash === "#/" || hash.endsWith("/steady") || hash.endsWith("/first-election")) {
        for (const scheme of ["light", "dark"] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          await shot(page, `${hash === "#/" ? "home" : hash.split("/")[1]}-390x844-${scheme}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  test("a finger drags a node away and partitions it", async () => {
    const { page, problems } = await open("#/gossip", phone);
    await page.locator("svg.netview").scrollIntoViewIfNeeded();
    const node = (await page.locator('svg [data-node-id="n1"] .body').boundingBox())!;
    const svg = (await page.locator("svg.netview").boundingBox())!;
    const cdp = await page.context().newCDPSession(page);
    const at = (x: number, y: number) => [{ x, y, id: 1 }];
    const from = { x: node.x + node.width / 2, y: node.y + node.height / 2 };
    const to = { x: svg.x + svg.width - 8, y: svg.y + svg.height - 8 };
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(from.x, from.y) });
    for (let k = 1; k <= 10; k++) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(from.x + ((to.x - from.x) * k) / 10, from.y + ((to.y - from.y) * k) / 10) });
    }
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await expect.poll(() => page.evaluate(() => window.splitbrain!.scenario()!.timeline.filter((a) => a.do === "move").length)).toBe(1);
    await expect.poll(() => page.evaluate(() => new Set(window.splitbrain!.nodes().map((n) => n.group)).size)).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    expect(problems).toEqual([]);
  });
});
