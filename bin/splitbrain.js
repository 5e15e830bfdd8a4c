#!/usr/bin/env node
// The `splitbrain` command: run the TypeScript sources through tsx, no build step needed.
import { readFileSync } from "node:fs";
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
const code = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + "\n"),
  err: (text) => process.stderr.write(text + "\n"),
  stdin: () => readFileSync(0, "utf8"),
});
process.exitCode = code;
