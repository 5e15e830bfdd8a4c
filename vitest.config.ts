import { defineConfig } from "vitest/config";

// Two projects: everything that runs in Node (unit, property, conformance, CLI), and the
// browser tests that drive the built site in Debian's Chromium. `npm test` runs both, after
// `vite build`, and writes a JSON report that .ci/run totals into one "N passed, N failed" line.
export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: ".test-results.json" }]],
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
          exclude: ["tests/browser/**"],
          // One fixed fast-check seed (FC_SEED overrides it), printed once per test file.
          setupFiles: ["tests/fast-check-seed.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["tests/browser/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
