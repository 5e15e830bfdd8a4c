// What every browser test needs: the built site (dist/) on a local static server, Debian's
// Chromium driven by playwright-core, and a record of everything that went wrong in a page.
//
// The tests drive the *built* site, as a learner's browser would get it from a static host,
// so they also catch what only the bundler can break (worker chunks, relative URLs).

import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type LaunchOptions, type Page } from "playwright-core";
import { afterAll, expect } from "vitest";
import { labs, runConfig } from "../../src/labs/index.ts";
import { startInProcess } from "../../src/runtime/inprocess-host.ts";
import { decodeLink } from "../../src/scenario/codec.ts";

export const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));

export const CHROMIUM = "/usr/bin/chromium";

// No sandbox: CI runs as root in a container, where Chromium's sandbox cannot start. The rest
// keep a headless run quiet and offline: no GPU probing, no QUIC, no update or sync traffic.
export const LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: CHROMIUM,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(LAUNCH_OPTIONS);
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".png": "image/png",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".eot": "application/vnd.ms-fontobject",
  ".ttf": "font/ttf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

export interface Site {
  /** The site's address, ending in its base path (and a slash). */
  url: string;
  close(): Promise<void>;
}

/**
 * Serve dist/ (or another site's folder, `dir`: the page bench serves RaftScope this way) at
 * `base` (default "/") on 127.0.0.1 and a free port. Anything outside `base` is a 404, so a URL
 * the build wrongly made absolute fails the page rather than working by luck. Throws when there
 * is no index.html: a browser test without a site must fail, not skip.
 */
export async function startSite(base = "/", dir = DIST): Promise<Site> {
  if (!base.startsWith("/") || !base.endsWith("/")) throw new Error(`base must start and end with "/": ${base}`);
  if (!existsSync(join(dir, "index.html"))) {
    throw new Error(`no site at ${dir}: run \`npx vite build\` (npm test does) before the browser tests`);
  }
  const root = resolve(dir);

  const server = createServer((req, res) => {
    const notFound = () => {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found\n");
    };
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" });
      res.end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      return notFound();
    }
    if (!path.startsWith(base)) return notFound();
    const rel = path.slice(base.length);
    const file = resolve(root, rel === "" || rel.endsWith("/") ? rel + "index.html" : rel);
    if (file !== root && !file.startsWith(root + sep)) return notFound();
    const type = TYPES[extname(file).toLowerCase()];
    if (type === undefined) return notFound();
    stat(file).then(
      (st) => {
        if (!st.isFile()) return notFound();
        res.writeHead(200, { "content-type": type, "content-length": st.size, "cache-control": "no-store" });
        if (req.method === "HEAD") res.end();
        else createReadStream(file).pipe(res);
      },
      () => notFound(),
    );
  });

  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * Everything a page reports as wrong: uncaught errors, console errors, failed requests and
 * HTTP errors. A passing browser test expects this list to stay empty.
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  // Workers' console messages arrive here too (ConsoleMessage.worker() says whose).
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`${msg.worker() ? "worker " : ""}console error: ${msg.text()}`);
  });
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}

export interface Session {
  /** The site's address (served on first use). */
  url(): Promise<string>;
  /** A fresh browser context (closed after the file's tests) on the shared browser. */
  context(opts?: BrowserContextOptions): Promise<BrowserContext>;
}

/** A page at 1280×720 on `hash`, once its run has nodes, with its console problems collected. */
export async function openPage(session: Session, hash: string): Promise<{ page: Page; problems: string[] }> {
  const context = await session.context({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto((await session.url()) + hash);
  await page.waitForFunction(() => (window.splitbrain?.nodes().length ?? 0) > 0);
  return { page, problems };
}

/**
 * One browser and one site (dist/, or the folder `dir` gives, e.g. after building the fixture
 * site) for a test file, started on first use and closed after its tests
 * (registers an afterAll). Each test takes its own context, so pages share nothing.
 */
export function browserSession(dir: () => Promise<string> = async () => DIST): Session {
  let browser: Promise<Browser> | undefined;
  let site: Promise<Site> | undefined;
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await (await browser?.catch(() => undefined))?.close();
    await (await site?.catch(() => undefined))?.close();
  });
  return {
    async url() {
      site ??= dir().then((d) => startSite("/", d));
      return (await site).url;
    },
    async context(opts = {}) {
      browser ??= launchBrowser();
      const c = await (await browser).newContext(opts);
      contexts.push(c);
      return c;
    },
  };
}

/** The page's live run equals a fresh in-process run of its own link, at the time it shows; that run, to read further. */
export async function matchesLink(page: Page): Promise<ReturnType<typeof startInProcess>> {
  const t = await page.evaluate(() => window.splitbrain!.time());
  const loaded = decodeLink(await page.evaluate(() => window.splitbrain!.link()), labs);
  if (!loaded.ok) throw new Error(loaded.error);
  const run = startInProcess(runConfig(loaded.scenario, loaded.params));
  await run.advance(t);
  expect(await page.evaluate(() => window.splitbrain!.traceHash())).toBe(run.engine.trace.hash());
  return run;
}


/** Show the network view: a lab that opens on its own stage (clocks, resilience) hides it until asked. */
export async function showNetwork(page: Page): Promise<void> {
  const network = page.getByRole("button", { name: "Network", exact: true });
  if ((await network.count()) > 0 && (await network.getAttribute("aria-pressed")) === "false") await network.click();
}
