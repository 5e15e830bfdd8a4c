// The last line CI prints: "N passed, N failed", from vitest's JSON report (.test-results.json,
// configured in vitest.config.ts). Plain Node, no dependencies: it must run even when
// installing or building did not.
//
// Usage: node tests/summary.mjs [exit status of the test command]

import { readFileSync } from "node:fs";

const REPORT = new URL("../.test-results.json", import.meta.url);
const status = Number(process.argv[2] ?? 0);

const count = (x) => (Number.isInteger(x) && x >= 0 ? x : 0);

function summarize() {
  let report;
  try {
    report = JSON.parse(readFileSync(REPORT, "utf8"));
  } catch {
    // No report: the test command failed before vitest ran (type check, build), or vitest
    // itself crashed. Either way nothing passed, and something failed.
    return { passed: 0, failed: 1 };
  }
  const passed = count(report.numPassedTests);
  let failed = count(report.numFailedTests);
  // A file can fail outside every test — a throwing beforeAll (its tests count as skipped), an
  // import that does not resolve (no tests at all). Count each such file as one failure.
  for (const file of Array.isArray(report.testResults) ? report.testResults : []) {
    const tests = Array.isArray(file.assertionResults) ? file.assertionResults : [];
    if (file.status === "failed" && !tests.some((t) => t.status === "failed")) failed++;
  }
  // vitest also fails a run whose tests all passed when an error escaped them (an unhandled
  // rejection, a crashed worker thread): the line must not read as green then.
  if (failed === 0 && (status !== 0 || report.success === false)) failed = 1;
  return { passed, failed };
}

const { passed, failed } = summarize();
console.log(`${passed} passed, ${failed} failed`);
