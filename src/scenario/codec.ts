// The scenario URL: `#s=<payload>`, payload = base64url(raw deflate(JSON)). A link is the one
// input anyone on the internet can hand a learner, so decoding refuses, with one sentence each,
// everything from a typo to a decompression bomb, and never throws: the page falls back to the
// lab's default scenario and shows the sentence. See DESIGN.md, "Scenario URL".
//
// Browser and Node alike: TextEncoder/TextDecoder, btoa/atob and fflate; no Buffer.

import { deflateSync, Inflate } from "fflate";
import { parseScenario, type LabParamsSchema, type LoadResult } from "./schema.ts";
import type { Scenario } from "./types.ts";

/** Longest payload we try to read; real scenarios stay far below (the gallery's are ~1 kB). */
export const MAX_PAYLOAD_CHARS = 200_000;
/** Most bytes a payload may inflate to; 20 000 timeline actions fit comfortably. */
export const MAX_SCENARIO_BYTES = 2_000_000;
// Deflate expands at most ~1032:1, so feeding this much at a time bounds each step's output
// to about 1 MB however hostile the stream.
const INFLATE_CHUNK = 1024;

const fail = (error: string): LoadResult => ({ ok: false, error });

export const ERRORS = {
  empty: "The link holds no scenario: there is nothing after #s=.",
  noScenario: "This link holds no scenario: it has no #s= part.",
  alphabet: "The link is damaged: it contains characters that cannot appear in a splitbrain link.",
  oversized: `The link is too long: a splitbrain link holds at most ${MAX_PAYLOAD_CHARS} characters of scenario.`,
  incomplete: "The link is incomplete or damaged: it could not be decompressed. Was it cut short when copied?",
  tooLarge: `The link is too large: its scenario unpacks to more than ${MAX_SCENARIO_BYTES} bytes.`,
  notJson: "The link is damaged: what it holds is not a scenario (not JSON).",
} as const;

// ---------------------------------------------------------------------------------------------
// base64url without padding (RFC 4648 §5), on top of btoa/atob which speak only the '+/=' form.

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  // String.fromCharCode(...bytes) on a large array overflows the argument limit; go in slices.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** null when `text` is not base64url (wrong alphabet, or a length no encoding produces). */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ---------------------------------------------------------------------------------------------

export function encodeScenario(s: Scenario): string {
  return toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(s)), { level: 9 }));
}

export function linkFor(s: Scenario, base?: string): string {
  return `${base ?? ""}#s=${encodeScenario(s)}`;
}

type Inflated = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/**
 * Streams the inflation so a bomb is stopped as soon as it passes the limit, holding at most
 * the limit plus one chunk's output in memory rather than the whole expansion.
 */
function inflateBounded(compressed: Uint8Array): Inflated {
  const parts: Uint8Array[] = [];
  let size = 0;
  const inflate = new Inflate((chunk) => {
    size += chunk.length;
    if (size <= MAX_SCENARIO_BYTES) parts.push(chunk);
  });
  try {
    for (let i = 0; i < compressed.length; i += INFLATE_CHUNK) {
      const end = i + INFLATE_CHUNK;
      inflate.push(compressed.subarray(i, end), end >= compressed.length);
      if (size > MAX_SCENARIO_BYTES) return { ok: false, error: ERRORS.tooLarge };
    }
  } catch {
    return { ok: false, error: ERRORS.incomplete };
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { ok: true, bytes };
}

function decodeUnsafe(payload: string, labs: readonly LabParamsSchema[]): LoadResult {
  if (payload.length > MAX_PAYLOAD_CHARS) return fail(ERRORS.oversized);
  // Links wrapped across lines in an e-mail or chat come back with whitespace inside.
  const compact = payload.replace(/\s+/g, "");
  if (compact.length === 0) return fail(ERRORS.empty);
  if (!/^[A-Za-z0-9_-]*$/.test(compact)) return fail(ERRORS.alphabet);
  // Right alphabet but a length no encoder produces: the tail was lost.
  const compressed = fromBase64Url(compact);
  if (compressed === null) return fail(ERRORS.incomplete);

  const inflated = inflateBounded(compressed);
  if (!inflated.ok) return inflated;

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(inflated.bytes));
  } catch {
    return fail(ERRORS.notJson);
  }
  return parseScenario(json, labs);
}

/** Decode the part after `#s=`. Never throws. */
export function decodePayload(payload: string, labs: readonly LabParamsSchema[]): LoadResult {
  try {
    return decodeUnsafe(typeof payload === "string" ? payload : "", labs);
  } catch {
    // Nothing above is known to throw; this keeps the promise if a platform quirk does.
    return fail(ERRORS.incomplete);
  }
}

/**
 * Where the payload sits in whatever the learner pasted: a full URL (`…/#s=…`, also after a
 * `#/lab` route as `#/lab&s=…` or `#/lab?s=…`), a bare `#s=…` or `s=…`, or the payload alone.
 * null when the text is a URL or fragment without a scenario in it.
 */
export function payloadOf(text: string): string | null {
  const t = text.trim();
  if (/^s=/.test(t)) return t.slice(2);
  const hash = t.indexOf("#");
  const question = t.indexOf("?");
  const looksLikeUrl = hash >= 0 || question >= 0 || /^[a-z][a-z0-9+.-]*:\/\//i.test(t) || t.startsWith("/");
  if (!looksLikeUrl) return t;
  const starts = [hash, question].filter((i) => i >= 0);
  if (starts.length === 0) return null;
  const rest = t.slice(Math.min(...starts));
  const m = /[#?&/]s=([^&#?]*)/.exec(rest);
  return m ? (m[1] ?? "") : null;
}

/** Decode a pasted link, fragment or payload. Never throws. */
export function decodeLink(text: string, labs: readonly LabParamsSchema[]): LoadResult {
  try {
    if (typeof text !== "string" || text.trim().length === 0) return fail(ERRORS.empty);
    // Bound the work before any scanning: a link longer than this cannot hold a valid payload.
    if (text.length > MAX_PAYLOAD_CHARS + 10_000) return fail(ERRORS.oversized);
    const payload = payloadOf(text);
    if (payload === null) return fail(ERRORS.noScenario);
    return decodePayload(payload, labs);
  } catch {
    return fail(ERRORS.incomplete);
  }
}
