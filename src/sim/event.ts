// One line of the trace: `{t, seq, kind, ...}` (DESIGN.md, "Trace"). Its own module so that the
// trace and its serializer (jsonl.ts) both use it without importing each other.
export interface TraceEvent {
  t: number;
  seq: number;
  kind: string;
  node?: string;
  from?: string;
  to?: string;
  id?: number;
  msg?: unknown;
  [field: string]: unknown;
}
