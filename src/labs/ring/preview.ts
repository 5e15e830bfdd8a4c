// What the learner is choosing on the vnode slider before letting go: the stage and the load
// table draw the placement it would give at once, and the run takes the value on release.
// Page state only: nothing here reaches the run, its trace or its link.
import { create } from "zustand";

export const useVnodePreview = create<{ vnodes: number | null }>(() => ({ vnodes: null }));

export const previewVnodes = (vnodes: number | null) => useVnodePreview.setState({ vnodes });
