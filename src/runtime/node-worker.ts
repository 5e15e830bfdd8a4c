// The worker side of the worker host: holds some nodes' slots and runs their handlers.
// Entry files (labs/worker-entry.*.ts) call `serveNodes` with the lab registry, so this
// file stays free of labs, React and the DOM.

import { NodeRunner, newSlot, timerDelay, type NodeSlot, type Outcome } from "../sim/node.ts";
import { EventQueue } from "../sim/queue.ts";
import { peerTable, roleTable } from "../sim/simulation.ts";
import type { NodeView, Protocols } from "../sim/types.ts";
import type { BatchItem, LocalRecord, NodeWorkerApi, WindowResult, WorkerSetup } from "./types.ts";

interface WindowEvent extends BatchItem {
  /** Index in the batch, or -1 for a timer the window itself created. */
  item: number;
}

export function nodeWorkerApi(resolve: (labId: string) => Protocols | undefined): NodeWorkerApi {
  let runner: NodeRunner | undefined;
  let protocols: Protocols | undefined;
  const protocolsOf = (): Protocols => {
    if (protocols === undefined) throw new Error("node worker used before setup");
    return protocols;
  };
  const slots = new Map<number, NodeSlot>();

  const need = (): NodeRunner => {
    if (runner === undefined) throw new Error("node worker used before setup");
    return runner;
  };
  const slotOf = (node: number): NodeSlot => {
    const s = slots.get(node);
    if (s === undefined) throw new Error(`node #${node} is not held by this worker`);
    return s;
  };

  return {
    setup(s: WorkerSetup) {
      const protocol = resolve(s.labId);
      if (protocol === undefined) throw new Error(`unknown lab "${s.labId}"`);
      protocols = protocol;
      runner = new NodeRunner(protocol, peerTable(s.ids), s.params, roleTable(s.nodesAll, protocol));
      slots.clear();
      for (const n of s.nodes) slots.set(n.index, newSlot(s.seed, n));
    },

    runWindow(items, endT, until) {
      const r = need();
      const outcomes: Outcome[] = new Array(items.length);
      const local: LocalRecord[] = [];
      const queue = new EventQueue<WindowEvent>();
      items.forEach((it, k) => queue.push({ ...it, item: k }));
      // Local events order after every item: their real sequence numbers are assigned by the
      // engine later than any event already queued. Within one node this reproduces the
      // engine's order exactly; different nodes cannot interact inside the window.
      let localSeq = Number.MAX_SAFE_INTEGER / 2;
      for (let e = queue.pop(); e !== undefined; e = queue.pop()) {
        const slot = slotOf(e.node);
        const o = r.handle(slot, e.input, e.t);
        if (e.item >= 0) outcomes[e.item] = o;
        else if (e.input.kind === "timer") local.push({ node: e.node, token: e.input.token, outcome: o });
        let k = 0;
        for (const eff of o.effects) {
          if (eff.type !== "setTimer") continue;
          const token = o.tokens[k++]!;
          const at = e.t + timerDelay(eff.after);
          if (at < endT && at <= until) {
            queue.push({ t: at, seq: localSeq++, node: e.node, input: { kind: "timer", name: eff.name, token }, item: -1 });
          }
        }
      }
      return { outcomes, local } satisfies WindowResult;
    },

    crash(node, t) {
      need().crash(slotOf(node), t);
    },

    restart(node, t) {
      return need().restart(slotOf(node), t);
    },

    command(node, cmd, t) {
      return need().handle(slotOf(node), { kind: "command", cmd }, t);
    },

    members(all) {
      need().setMembers(peerTable(all.map((m) => m.id)), roleTable(all, protocolsOf()));
    },

    remove(node) {
      need().remove(slotOf(node));
    },

    setClock(node, field, value) {
      need().setClock(slotOf(node), field, value);
    },

    setParams(params) {
      need().setParams(params);
    },

    views() {
      const r = need();
      const out: { node: number; view: NodeView }[] = [];
      for (const [node, slot] of slots) out.push({ node, view: r.view(slot) });
      return out;
    },

    snapshot() {
      return [...slots].map(([index, slot]) => ({ index, slot }));
    },

    restore(list, params) {
      const r = need();
      // The snapshot's slots replace what this worker held (a node that joined later is gone).
      slots.clear();
      for (const { index, slot } of list) slots.set(index, slot);
      r.forget();
      r.setParams(params);
    },

    hang() {
      return new Promise<never>(() => {});
    },
  };
}
