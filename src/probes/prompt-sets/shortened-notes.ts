/** What the terminal says, as a set is loaded, about the records its loader kept only in part. */
import { shareGptSystemCut } from "./sharegpt.ts";
import type { PromptSet } from "./types.ts";

const consequences: Record<string, string> = {
  [shareGptSystemCut]:
    "the human turns before it are replayed; that system turn and the turns after it are sent to no model",
};

/** One line per reason (no "note:" prefix), e.g. `sharegpt (chats.json): 2 conversation(s) ... cut at ...`. */
export function shortenedNotes(set: PromptSet): string[] {
  return Object.entries(set.shortened ?? {})
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => {
      const consequence = consequences[reason];
      return `${set.dataset} (${set.source}): ${count} conversation(s) of the file ${reason}${consequence ? `: ${consequence}` : ""} (counted in "prompts" of the result)`;
    });
}
