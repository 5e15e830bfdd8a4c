// One fixed fast-check seed for every property in the unit project, so each run (and CI) tries
// the same cases and a failure seen once is seen again. Set FC_SEED to an integer to try other
// cases: `FC_SEED=123 npx vitest run --project unit`. A failing property prints its seed and
// path as usual; pass them back as FC_SEED (and fast-check's `path`) to replay it.
//
// Loaded through `setupFiles` in vitest.config.ts, so it runs once before each test file.

import fc from "fast-check";

/** The seed when FC_SEED is not set. Changing it changes which cases every property sees. */
export const DEFAULT_FC_SEED = 20261129;

export function seedFrom(env: string | undefined): number {
  if (env === undefined || env.trim() === "") return DEFAULT_FC_SEED;
  const text = env.trim();
  const seed = Number(text);
  // fast-check keeps 32 bits of a seed and prints failures with a signed 32-bit one.
  if (!/^-?\d+$/.test(text) || seed < -(2 ** 31) || seed > 2 ** 32 - 1) {
    throw new Error(`FC_SEED must be a whole number between -2147483648 and 4294967295, not "${env}".`);
  }
  return seed;
}

const seed = seedFrom(process.env.FC_SEED);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
console.log(`fast-check seed ${seed} (set FC_SEED to change it)`);
