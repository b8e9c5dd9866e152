/**
 * Closing the network routes at the end of a process without loading them: route.ts (undici, socks) is
 * loaded only by the commands that talk to a model, and registers its closer here when it loads, so that
 * `--help` or `report` do not pay for it just to close nothing.
 */
const closers: Array<() => Promise<void>> = [];

/** For route.ts: run `closer` when the process closes its routes. */
export function closeWithRoutes(closer: () => Promise<void>): void {
  closers.push(closer);
}

/** Closes every route the command opened; nothing when route.ts was never loaded. */
export async function closeOpenRoutes(): Promise<void> {
  await Promise.all(closers.map((close) => close()));
}
