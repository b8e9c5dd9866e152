import { realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";

/** Whether two paths name one file: same resolved path, or (both existing) same real path or inode. */
export function sameFile(left: string, right: string): boolean {
  if (resolve(left) === resolve(right)) return true;
  try {
    const leftStats = statSync(left, { throwIfNoEntry: false });
    const rightStats = statSync(right, { throwIfNoEntry: false });
    if (leftStats === undefined || rightStats === undefined) return false;
    if (leftStats.dev === rightStats.dev && leftStats.ino === rightStats.ino) return true;
    return realpathSync(left) === realpathSync(right);
  } catch {
    return false;
  }
}
