/** How many answers the store under a home holds, for messages (an interrupted audit's count). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openStore, storeFileName } from "../store/store.ts";

/** The number of answers in the store under `home`; 0 when there is no store yet or it cannot be read. */
export function storedAnswerCount(home: string): number {
  // No store file yet: nothing stored, and no home folder is created just to count.
  if (!existsSync(join(home, storeFileName))) return 0;
  try {
    const store = openStore(home);
    try {
      return store.counts().answers;
    } finally {
      store.close();
    }
  } catch {
    return 0;
  }
}
