// What the controller does to the browser beyond the store: the tab's title and the address.
// Kept apart so the state stays plain data and the controller's logic reads without the DOM.

export function setTitle(text: string): void {
  document.title = text;
}

/** Show `hash` in the address bar without a new history entry (and without a hashchange). */
export function setAddress(hash: string): void {
  history.replaceState(null, "", hash);
}

/** This page's address without its hash: what a share link starts with. */
export function pageAddress(): string {
  return location.href.replace(/#.*$/, "");
}
