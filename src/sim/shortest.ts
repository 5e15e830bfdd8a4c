// The shortest round-trip digits of a double — what `String(x)` and JSON write — for the
// numbers a trace is full of: times like 1074.531221576035, with 1 <= |x| < 2^52 and a fraction.
//
// Why: converting a double to text costs V8 a runtime call and a string, and a long run writes
// a time (or two) on every trace line; that conversion alone took more time than simulating.
//
// What String(x) writes (ECMA-262 Number::toString, and V8's shortest mode): the fewest
// significant digits that parse back to x, and of those the digits closest to x. For x with an
// integer part I (1 <= x < 2^52, so x's neighbours are at most 1/2 apart and no integer but x
// itself parses to x), that is I, a point, and the fewest fraction digits k for which some
// integer c makes I + c/10^k parse back to x, with c the nearest such to F*10^k (F = x - I).
//
// Every step is exact or gives up: F = x - I exactly; F*10^k exactly as a sum of two doubles
// (Dekker's product, 10^k exact for k <= 15); the set that parses back to x is x +- ulp/2,
// scaled by 10^k exactly (a power of two times 10^k); a candidate so near the edge of that set,
// or two candidates so equally near x, that rounding could decide it, makes the function return
// -1, and the caller writes `"" + x` instead. So the digits are String(x)'s or none at all.
// (Powers of two, whose gap below is half the gap above, are left to String(x) as well.)
// Checked against String(x) on millions of doubles in shortest.test.ts.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;
/** Veltkamp's splitter for 53-bit doubles: 2^27 + 1. */
const SPLIT = 134217729;
const MAX_K = 15;
const POW10: number[] = [];
const POW10_HI: number[] = [];
const POW10_LO: number[] = [];
for (let k = 0; k <= MAX_K; k++) {
  const p = Number(`1e${k}`);
  const t = SPLIT * p;
  const hi = t - (t - p);
  POW10.push(p);
  POW10_HI.push(hi);
  POW10_LO.push(p - hi);
}
/**
 * 2^-48. Of the two subtractions that make d = |c - r - rl|, c - r is exact unless c < 3, and
 * each rounds by at most 2^-53 of its result, so d is off by less than (d + |rl|) * 2^-51.
 */
const SLACK = 3.552713678800501e-15;
const NONE = -1;
const UNSURE = -2;

/**
 * The integer c in (0, 10^k), nearest F * 10^k, for which I + c/10^k parses back to x: fh + fl
 * is F split in halves, halfUlp half the gap between x and its neighbours. NONE if no such c,
 * UNSURE if too close to call.
 */
function candidate(F: number, fh: number, fl: number, k: number, halfUlp: number): number {
  const p = POW10[k]!;
  const ph = POW10_HI[k]!;
  const pl = POW10_LO[k]!;
  // F * p = r + rl exactly (Dekker).
  const r = F * p;
  const rl = fh * ph - r + fh * pl + fl * ph + fl * pl;
  const h = halfUlp * p;
  const m = Math.round(r);
  const e = rl < 0 ? -rl : rl;
  let best = NONE;
  let bestD = Infinity;
  let nextD = Infinity;
  // The integer nearest F * p is m - 1, m or m + 1.
  for (let c = m - 1; c <= m + 1; c++) {
    if (c <= 0 || c >= p) continue;
    const d = Math.abs(c - r - rl);
    const slack = (d + e) * SLACK;
    if (d > h + slack) continue;
    if (d >= h - slack) return UNSURE;
    if (d < bestD) {
      nextD = bestD;
      bestD = d;
      best = c;
    } else if (d < nextD) nextD = d;
  }
  if (nextD !== Infinity && nextD - bestD <= (bestD + nextD + 2 * e) * SLACK) return UNSURE;
  return best;
}

/**
 * Writes String(x) as ASCII into buf at pos (room for 34 bytes needed) and returns the new
 * position, for 1 <= |x| < 2^52 with a fraction; returns -1, writing nothing useful, for any
 * other x or when unsure.
 */
export function writeShortest(buf: Uint8Array, pos: number, x: number): number {
  const a = x < 0 ? -x : x;
  if (!(a >= 1 && a < 4503599627370496)) return -1;
  const I = Math.floor(a);
  const F = a - I;
  if (F === 0) return -1;
  f64[0] = a;
  const hi = u32[HI]!;
  if ((hi & 0xfffff) === 0 && u32[LO] === 0) return -1;
  // Half the gap to the next double, 2^(exponent - 53), made from its bits.
  u32[HI] = ((hi >>> 20) - 53) << 20;
  u32[LO] = 0;
  const halfUlp = f64[0]!;
  let digits = 1;
  while (digits < 16 && I >= POW10[digits]!) digits++;
  // Seventeen significant digits always parse back; beyond 10^15, c would not be exact.
  const kmax = Math.min(17 - digits, MAX_K);
  const t = SPLIT * F;
  const fh = t - (t - F);
  const fl = F - fh;
  // Most times need 15 to 17 digits: start at 15 and walk to the fewest that parse back.
  let k = Math.max(1, Math.min(kmax, 15 - digits));
  let c = candidate(F, fh, fl, k, halfUlp);
  if (c === UNSURE) return -1;
  if (c !== NONE) {
    while (k > 1) {
      const fewer = candidate(F, fh, fl, k - 1, halfUlp);
      if (fewer === UNSURE) return -1;
      if (fewer === NONE) break;
      k--;
      c = fewer;
    }
  } else {
    do {
      if (++k > kmax) return -1;
      c = candidate(F, fh, fl, k, halfUlp);
      if (c === UNSURE) return -1;
    } while (c === NONE);
  }
  if (x < 0) buf[pos++] = 0x2d;
  const dot = pos + digits;
  const end = dot + 1 + k;
  writeDigits(buf, pos, dot, I);
  buf[dot] = 0x2e;
  writeDigits(buf, dot + 1, end, c);
  return end;
}

/** "00" to "99" as ASCII pairs: digits are written two at a time (half the divisions). */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 0x30 + ((i / 10) | 0);
  PAIRS[2 * i + 1] = 0x30 + (i % 10);
}

/** The integer n (< 2^53) as exactly end - from digits, zero-padded, into buf[from, end). */
function writeDigits(buf: Uint8Array, from: number, end: number, n: number): void {
  // In 31-bit halves, so every step is integer arithmetic (% on doubles is a slow call).
  let high = 0;
  let low = n;
  if (n > 0x7fffffff) {
    high = Math.floor(n / 1e8);
    low = n - high * 1e8;
    if (low < 0) {
      high--;
      low += 1e8;
    } else if (low >= 1e8) {
      high++;
      low -= 1e8;
    }
  }
  let q = end;
  let x = low | 0;
  if (high > 0) {
    // The low half is exactly eight digits, zeros included.
    for (let j = 0; j < 4; j++) {
      const next = (x / 100) | 0;
      const r = 2 * (x - next * 100);
      buf[--q] = PAIRS[r + 1]!;
      buf[--q] = PAIRS[r]!;
      x = next;
    }
    x = high | 0;
  }
  while (q - from >= 2) {
    const next = (x / 100) | 0;
    const r = 2 * (x - next * 100);
    buf[--q] = PAIRS[r + 1]!;
    buf[--q] = PAIRS[r]!;
    x = next;
  }
  if (q > from) buf[--q] = 0x30 + x - ((x / 10) | 0) * 10;
}
