import { deflateSync, type FlateStreamHandler } from "fflate";
import { describe, expect, it, vi } from "vitest";
import { labs } from "../labs/index.ts";
import {
  decodeLink,
  decodePayload,
  encodeScenario,
  ERRORS,
  fromBase64Url,
  linkFor,
  MAX_PAYLOAD_CHARS,
  MAX_SCENARIO_BYTES,
  payloadOf,
  toBase64Url,
} from "./codec.ts";
import type { LoadResult } from "./schema.ts";
import { testLabs } from "./test-labs.ts";

// fflate's streaming inflater, counting the bytes it hands out, so a test can see how much of
// a bomb the decoder unpacked before refusing it. Otherwise it is fflate's own.
const inflated = vi.hoisted(() => ({ bytes: 0 }));
vi.mock("fflate", async (importOriginal) => {
  const real = await importOriginal<typeof import("fflate")>();
  // The decoder makes its inflater as `new Inflate(ondata)`.
  class CountingInflate extends real.Inflate {
    constructor(ondata?: FlateStreamHandler) {
      const counting: FlateStreamHandler = (chunk, final) => {
        inflated.bytes += chunk.length;
        ondata?.(chunk, final);
      };
      super(counting);
    }
  }
  return { ...real, Inflate: CountingInflate };
});

/** How many bytes `f` inflated. */
function bytesInflatedBy(f: () => void): number {
  inflated.bytes = 0;
  f();
  return inflated.bytes;
}

const gallery = labs.flatMap((lab) => lab.scenarios.map((s) => ({ lab: lab.id, s })));
const first = gallery[0]!.s;

/** A payload carrying `bytes` exactly as a real link would: raw deflate, then base64url. */
const pack = (bytes: Uint8Array): string => toBase64Url(deflateSync(bytes, { level: 9 }));
const packText = (text: string): string => pack(new TextEncoder().encode(text));

function errorOf(r: LoadResult): string {
  if (r.ok) throw new Error("expected the link to be refused");
  return r.error;
}

describe("encodeScenario and decodeLink", () => {
  it.each(gallery.map(({ lab, s }) => [`${lab}/${s.name}`, s] as const))("round-trip the gallery scenario %s unchanged", (_, s) => {
    const r = decodeLink(linkFor(s, "https://splitbrain.example/"), labs);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario).toEqual(s);
  });

  it("hand back the lab's params with defaults filled in", () => {
    const r = decodePayload(encodeScenario({ ...first, lab: "tick", params: {} }), testLabs);
    expect(r).toMatchObject({ ok: true, params: { interval: 200 }, scenario: { params: {} } });
  });

  it("write a payload of base64url characters only, without padding", () => {
    for (const { s } of gallery) expect(encodeScenario(s)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([["markup", "<img src=x onerror=alert(1)>"], ["a lone surrogate", "n\ud800"], ["emoji and a line break", "🦀\n"]])(
    "carry a node id with %s through a link untouched",
    (_, id) => {
      const s = { ...first, nodes: first.nodes.map((n, i) => (i === 0 ? { ...n, id } : n)), timeline: [] };
      const r = decodeLink(linkFor(s), labs);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.scenario.nodes[0]!.id).toBe(id);
    },
  );
});

describe("decodeLink", () => {
  const payload = encodeScenario(first);

  it("finds the payload in a full URL, a URL with a lab route, a bare fragment or on its own", () => {
    for (const text of [
      `https://splitbrain.example/play/#s=${payload}`,
      `http://localhost:5173/#/gossip&s=${payload}`,
      `http://localhost:5173/#/gossip?s=${payload}`,
      `http://localhost:5173/?s=${payload}#/gossip`,
      `#s=${payload}`,
      `s=${payload}`,
      payload,
      `  ${payload}\n`,
    ]) {
      expect(decodeLink(text, labs), text.slice(0, 40)).toMatchObject({ ok: true, scenario: { name: first.name } });
    }
  });

  it("reads a payload that was wrapped across lines when pasted", () => {
    const wrapped = payload.replace(/(.{60})/g, "$1\n  ");
    expect(decodeLink(`#s=${wrapped}`, labs).ok).toBe(true);
  });

  it("refuses empty input and an empty #s=", () => {
    expect(errorOf(decodeLink("", labs))).toBe(ERRORS.empty);
    expect(errorOf(decodeLink("   ", labs))).toBe(ERRORS.empty);
    expect(errorOf(decodeLink("https://splitbrain.example/#s=", labs))).toBe(ERRORS.empty);
  });

  it("refuses a URL that carries no scenario", () => {
    expect(errorOf(decodeLink("https://splitbrain.example/#/gossip", labs))).toBe(ERRORS.noScenario);
    expect(payloadOf("https://splitbrain.example/")).toBeNull();
  });

  it("refuses text with characters no link contains", () => {
    expect(errorOf(decodeLink("#s=abc$def", labs))).toBe(
      "The link is damaged: it contains characters that cannot appear in a splitbrain link.",
    );
    expect(errorOf(decodeLink(`#s=${payload.slice(0, 20)}+/=`, labs))).toBe(ERRORS.alphabet);
  });

  it("refuses a payload cut in half, asking whether it was cut short", () => {
    for (const cut of [payload.slice(0, payload.length >> 1), payload.slice(0, (payload.length >> 1) + 1), payload.slice(0, -1)]) {
      expect(errorOf(decodeLink(`#s=${cut}`, labs))).toBe(
        "The link is incomplete or damaged: it could not be decompressed. Was it cut short when copied?",
      );
    }
  });

  it("refuses a payload that decompresses to something other than JSON", () => {
    expect(errorOf(decodeLink(packText("hello, world"), labs))).toBe(ERRORS.notJson);
    expect(errorOf(decodeLink(pack(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d])), labs))).toBe(ERRORS.notJson);
    expect(errorOf(decodeLink(pack(new Uint8Array(0)), labs))).toBe(ERRORS.notJson);
  });

  it("refuses JSON of the wrong shape, naming the field", () => {
    expect(errorOf(decodeLink(packText("[1,2,3]"), labs))).toBe("This is not a splitbrain scenario: it must be a JSON object.");
    const noNodes = { ...first, nodes: "five" };
    expect(errorOf(decodeLink(packText(JSON.stringify(noNodes)), labs))).toBe(
      "The scenario is not valid: nodes must be a list of 1 to 64 nodes.",
    );
  });

  it("refuses a scenario for a lab this splitbrain does not have", () => {
    expect(errorOf(decodeLink(encodeScenario({ ...first, lab: "paxos" }), labs))).toMatch(/^Unknown lab "paxos"\. Known labs: .+\.$/);
  });

  it("refuses a scenario from a newer splitbrain", () => {
    expect(errorOf(decodeLink(packText(JSON.stringify({ ...first, v: 7 })), labs))).toBe(
      "This link was made by a newer version of splitbrain (scenario format v7); this version reads up to v1.",
    );
  });

  it("refuses an oversized payload without decoding it", () => {
    expect(errorOf(decodePayload("A".repeat(MAX_PAYLOAD_CHARS + 1), labs))).toBe(ERRORS.oversized);
    expect(errorOf(decodeLink(`#s=${"A".repeat(MAX_PAYLOAD_CHARS + 1)}`, labs))).toBe(ERRORS.oversized);
    expect(errorOf(decodeLink("x".repeat(5_000_000), labs))).toBe(ERRORS.oversized);
  });

  // One step of the bounded inflater may overshoot the limit by what a small slice of input
  // expands to (deflate's best ratio is about 1032:1); far less than either bomb holds.
  const OVERSHOOT = 1_100_000;

  it("refuses a decompression bomb without inflating all of it", () => {
    const bomb = pack(new Uint8Array(5_000_000));
    expect(bomb.length).toBeLessThan(MAX_PAYLOAD_CHARS);
    let error = "";
    const bytes = bytesInflatedBy(() => (error = errorOf(decodeLink(`#s=${bomb}`, labs))));
    expect(error).toBe(ERRORS.tooLarge);
    expect(bytes).toBeGreaterThan(MAX_SCENARIO_BYTES);
    expect(bytes).toBeLessThan(MAX_SCENARIO_BYTES + OVERSHOOT);
  });

  it("refuses a bomb of 50 MB that starts out looking like a scenario, having inflated little of it", () => {
    const head = new TextEncoder().encode('{"v":1,"lab":"gossip","name":"');
    const bytes = new Uint8Array(50_000_000).fill(0x61);
    bytes.set(head);
    const bomb = pack(bytes);
    expect(bomb.length).toBeLessThan(MAX_PAYLOAD_CHARS);
    let error = "";
    const read = bytesInflatedBy(() => (error = errorOf(decodePayload(bomb, labs))));
    expect(error).toBe(ERRORS.tooLarge);
    expect(read).toBeLessThan(MAX_SCENARIO_BYTES + OVERSHOOT);
  });

  it("inflates a gallery link whole (the counter sees every byte it unpacks)", () => {
    const json = new TextEncoder().encode(JSON.stringify(first));
    expect(bytesInflatedBy(() => expect(decodeLink(linkFor(first), labs).ok).toBe(true))).toBe(json.length);
  });

  it("accepts a scenario just under the size limit", () => {
    // Many small commands: about 1.2 MB of JSON that compresses far below the payload limit.
    const timeline = Array.from({ length: 20_000 }, (_, k) => ({ t: k, do: "command" as const, node: "n1", cmd: { inc: k % 7, pad: "x".repeat(20) } }));
    const s = { ...first, timeline };
    const r = decodePayload(encodeScenario(s), labs);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario).toEqual(s);
  });
});

describe("base64url", () => {
  it("round-trips bytes of every length mod 3, and very long runs", () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100_000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 0xff);
      const text = toBase64Url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromBase64Url(text)).toEqual(bytes);
    }
  });

  it("rejects the standard alphabet and lengths no encoder produces", () => {
    expect(fromBase64Url("ab+c")).toBeNull();
    expect(fromBase64Url("abc=")).toBeNull();
    expect(fromBase64Url("abcde")).toBeNull();
  });
});
