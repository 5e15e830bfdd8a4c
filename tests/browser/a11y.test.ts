// Accessibility, checked by axe-core in Debian's Chromium against the built site: the home page
// and every lab, in light and in dark. A lab is checked with its "Faults" and "What happened"
// drawers and its "All steps and the gallery" disclosure open, so their contents count too.
//
// The run is paused before axe starts, so the DOM holds still while it is examined. Only
// violations of impact "serious" or "critical" fail a test; the failure message lists each
// rule, the first few elements it failed on and why, so it can be fixed from the output alone.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { labs } from "../../src/labs/index.ts";
import type {} from "../../src/ui/api.ts";
import { browserSession, watchProblems } from "./harness.ts";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Scheme = "light" | "dark";
const SCHEMES: readonly Scheme[] = ["light", "dark"];

const session = browserSession();

/** Open `hash` on the built site in a fresh context with the given colour scheme. */
async function open(hash: string, colorScheme: Scheme): Promise<{ page: Page; problems: string[] }> {
  const url = await session.url();
  const context = await session.context({ viewport: { width: 1280, height: 720 }, colorScheme });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(url + hash);
  return { page, problems };
}

/** One axe violation, as much of it as a developer needs to fix it. */
interface Finding {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; failureSummary: string }[];
  count: number;
}

/** Inject axe-core into the page and return its violations, trimmed to what the report shows. */
async function runAxe(page: Page): Promise<Finding[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    interface AxeNode {
      target: unknown[];
      failureSummary?: string;
    }
    interface AxeViolation {
      id: string;
      impact?: string | null;
      help: string;
      helpUrl: string;
      nodes: AxeNode[];
    }
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.slice(0, 3).map((n) => ({
        // A target is a selector a level (more than one inside iframes or shadow roots).
        target: n.target.map((t) => (typeof t === "string" ? t : JSON.stringify(t))).join(" >>> "),
        failureSummary: n.failureSummary ?? "",
      })),
      count: v.nodes.length,
    }));
  });
}

/** The serious and critical findings, one readable block each. */
function report(where: string, findings: Finding[]): string {
  const blocks = findings.map((f) => {
    const nodes = f.nodes.map((n) => `    at ${n.target}\n${n.failureSummary.replace(/^/gm, "      ")}`).join("\n");
    const more = f.count > f.nodes.length ? `\n    … and ${f.count - f.nodes.length} more element(s)` : "";
    return `  [${f.impact}] ${f.id}: ${f.help} (${f.helpUrl})\n${nodes}${more}`;
  });
  return `${findings.length} serious or critical accessibility violation(s) on ${where}:\n${blocks.join("\n")}`;
}

async function expectAccessible(page: Page, where: string): Promise<void> {
  const findings = (await runAxe(page)).filter((f) => f.impact === "serious" || f.impact === "critical");
  expect(findings.length, report(where, findings)).toBe(0);
}

describe("accessibility (axe-core)", () => {
  for (const scheme of SCHEMES) {
    test(`the home page in ${scheme} mode has no serious or critical accessibility violations`, async () => {
      const { page, problems } = await open("#/", scheme);
      await page.locator(".cards").waitFor({ state: "visible", timeout: 60_000 });
      await page.evaluate(() => window.splitbrain?.pause());
      await expectAccessible(page, `the home page (#/, ${scheme})`);
      expect(problems).toEqual([]);
    });
  }

  for (const lab of labs) {
    for (const scheme of SCHEMES) {
      test(`the ${lab.id} lab in ${scheme} mode, with its drawers and gallery open, has no serious or critical accessibility violations`, async () => {
        const { page, problems } = await open(`#/${lab.id}`, scheme);
        await page.waitForFunction(
          () => window.splitbrain !== undefined && window.splitbrain.nodes().length > 0 && window.splitbrain.time() > 200,
          undefined,
          { timeout: 60_000 },
        );
        await page.evaluate(() => window.splitbrain!.pause());
        await expect.poll(() => page.evaluate(() => window.splitbrain!.playing())).toBe(false);

        const toggles = page.locator(".drawer-toggles");
        for (const [name, id] of [
          ["Faults", "drawer-faults"],
          ["What happened", "drawer-narration"],
        ] as const) {
          const button = toggles.getByRole("button", { name, exact: true });
          await button.click();
          await expect.poll(() => button.getAttribute("aria-expanded")).toBe("true");
          await page.locator(`#${id}`).waitFor({ state: "visible" });
        }
        const gallery = page.locator("details.all-steps");
        await gallery.locator("summary", { hasText: "All steps and the gallery" }).click();
        await expect.poll(() => gallery.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
        await gallery.locator(".gallery").waitFor({ state: "visible" });

        await expectAccessible(page, `the ${lab.id} lab (#/${lab.id}, ${scheme}, drawers and gallery open)`);
        expect(problems).toEqual([]);
      });
    }
  }
});
