// The gossip lab's own panel: every node's vector of counts, so the learner sees which
// increments each node has heard of — and where the totals disagree.
import type { LabViewProps } from "../ui-types.ts";
import type { GossipView as GossipNodeView } from "./protocol.ts";

export function GossipView({ nodes, act }: LabViewProps<GossipNodeView>) {
  const ids = nodes.map((n) => n.id);
  const totals = nodes.map((n) => (n.view.status === "up" ? n.view.total : null));
  const max = Math.max(0, ...totals.map((t) => t ?? 0));
  return (
    <>
      <div className="lab-actions">
        <button type="button" onClick={() => act({ do: "count-all", by: 1 })} disabled={!nodes.some((n) => n.view.status === "up")}>
          Every node counts 1
        </button>
        <p>All at once: the counter must merge concurrent increments without losing one.</p>
      </div>
      <table className="lab-table">
      <caption>What each node has heard (counts per node; total)</caption>
      <thead>
        <tr>
          <th scope="col">node</th>
          {ids.map((id) => (
            <th scope="col" key={id}>
              {id}
            </th>
          ))}
          <th scope="col">total</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((n, i) => {
          const counts = n.view.status === "up" ? n.view.counts : {};
          const behind = totals[i] !== null && totals[i]! < max;
          return (
            <tr key={n.id} data-status={n.view.status}>
              <th scope="row">{n.id}</th>
              {ids.map((id) => (
                <td key={id}>{n.view.status === "up" ? (counts[id] ?? 0) : "—"}</td>
              ))}
              <td className={behind ? "behind" : undefined}>{totals[i] ?? "—"}</td>
            </tr>
          );
        })}
      </tbody>
      </table>
    </>
  );
}
