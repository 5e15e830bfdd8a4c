// A lab with two roles in the page: the fixture site (tests/fixtures/site) is the real app with
// the echo lab registered beside the real ones — a server and clients, each role its own
// protocol and its own shape in the network view, and a lab action that brings a client in.
// The site is built here, from the same sources as dist/.

import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import * as v from "valibot";
import { describe, expect, test } from "vitest";
import { labs } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { decodeLink } from "../../src/scenario/codec.ts";
import type {} from "../../src/ui/api.ts";
import { echoLab } from "../fixtures/echo-lab.ts";
import { browserSession, watchProblems } from "./harness.ts";

const SITE = fileURLToPath(new URL("../fixtures/site/", import.meta.url));
const OUT = fileURLToPath(new URL("../../dist-fixtures/", import.meta.url));

const session = browserSession(async () => {
  await build({
    configFile: false,
    root: SITE,
    base: "./",
    logLevel: "warn",
    plugins: [react()],
    worker: { format: "es" },
    build: { outDir: OUT, emptyOutDir: true },
  });
  return OUT;
});

describe("a lab with two roles, in the page", () => {
  test("draws each role its own way, runs each role's protocol in workers, and a lab action brings a client in live", async () => {
    const context = await session.context({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto((await session.url()) + "#/echo/fleet");
    await page.waitForFunction(() => (window.splitbrain?.nodes().length ?? 0) > 0);
    // The server and the clients look different, and the shape follows the role.
    const shape = (id: string) => page.locator(`svg [data-node-id="${id}"]`).getAttribute("data-shape");
    await expect.poll(() => shape("n1")).toBeTruthy();
    const server = await shape("n1");
    const clients = await Promise.all(["n2", "n3", "n4"].map(shape));
    expect(new Set(clients).size).toBe(1);
    expect(clients[0]).not.toBe(server);
    // Each role ran its own protocol: the clients are answered, the server serves.
    await page.evaluate(() => window.splitbrain!.speed(2));
    await expect.poll(() => page.evaluate(() => window.splitbrain!.time()), { timeout: 30_000 }).toBeGreaterThan(800);
    // The lab's own action from its panel, while the run plays.
    await page.getByRole("button", { name: "Add client c5" }).click();
    await expect.poll(() => page.locator('svg [data-node-id="c5"]').count()).toBe(1);
    expect(await shape("c5")).toBe(clients[0]);
    await expect.poll(() => page.evaluate(() => window.splitbrain!.time()), { timeout: 30_000 }).toBeGreaterThan(2_500);
    await page.evaluate(() => window.splitbrain!.pause());
    const t = await page.evaluate(() => window.splitbrain!.time());
    const nodes = await page.evaluate(() => window.splitbrain!.nodes().map((n) => ({ id: n.id, view: n.view })));
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n.view]));
    expect(byId.n1!.role).toBe("server");
    expect(Number(byId.n1!.served)).toBeGreaterThan(0);
    expect(Number(byId.c5!.got)).toBeGreaterThan(0);
    // The live run equals a fresh in-process run of the page's own link.
    const loaded = decodeLink(await page.evaluate(() => window.splitbrain!.link()), [...labs, echoLab]);
    if (!loaded.ok) throw new Error(loaded.error);
    expect(loaded.scenario.timeline).toEqual([{ t: expect.any(Number), do: "add-client", node: "c5" }]);
    const run = startInProcess({ scenario: loaded.scenario, labId: echoLab.id, protocol: echoLab.protocol, params: v.parse(echoLab.params, loaded.params), actions: echoLab.actions ?? [] });
    await run.advance(t);
    expect(await page.evaluate(() => window.splitbrain!.traceHash())).toBe(run.engine.trace.hash());
    expect(problems).toEqual([]);
  });
});
