// A node's context menu (right-click, or the context-menu key on a focused node): the faults
// that apply to one node. Each choice is recorded as a timeline action.

import { useEffect, useRef } from "react";
import { act, select } from "../../store/controller.ts";
import { usePlayground } from "../../store/state.ts";

export interface MenuAt {
  id: string;
  x: number;
  y: number;
}

export function NodeMenu({ at, onClose }: { at: MenuAt; onClose(): void }) {
  const node = usePlayground((s) => s.nodes.find((n) => n.id === at.id));
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    first.current?.focus();
    const close = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", close);
    return () => window.removeEventListener("keydown", close);
  }, [onClose]);
  if (node === undefined) return null;
  const run = (f: () => unknown) => () => {
    f();
    onClose();
  };
  return (
    <div className="menu-backdrop" onClick={onClose} onContextMenu={(e) => (e.preventDefault(), onClose())}>
      <div className="menu" role="menu" aria-label={`Node ${node.id}`} style={{ left: at.x, top: at.y }} onClick={(e) => e.stopPropagation()}>
        <p className="menu-title">{node.id}</p>
        {node.status === "up" ? (
          <button ref={first} type="button" role="menuitem" onClick={run(() => act({ do: "crash", node: node.id }))}>
            Crash
          </button>
        ) : (
          <button ref={first} type="button" role="menuitem" onClick={run(() => act({ do: "restart", node: node.id }))}>
            Restart
          </button>
        )}
        <button type="button" role="menuitem" onClick={run(() => act({ do: "partition", groups: [[node.id]] }))}>
          Isolate
        </button>
        <button type="button" role="menuitem" onClick={run(() => select(node.id))}>
          Show state
        </button>
      </div>
    </div>
  );
}
