/** Text helpers shared by the mutators: sentence splitting and keeping the `{query}` slot alive. */

export const querySlot = "{query}";

/** Splits a template into sentences and lines; each piece keeps its end punctuation. */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?。！？])\s+(?=\S)|(?<=[。！？])(?=[^\s。！？”」』）])/))
    .map((piece) => piece.trim())
    .filter((piece) => piece.length > 0);
}

/** Joins sentences back; sentences that were separate lines are not recoverable, so a space is used. */
export function joinSentences(sentences: readonly string[]): string {
  let joined = "";
  for (const sentence of sentences) {
    // Chinese sentences follow one another without a space.
    const glue =
      joined.length === 0 || /[。！？：】]$/.test(joined) || /^[\u4e00-\u9fff【]/.test(sentence) ? "" : " ";
    joined += glue + sentence;
  }
  return joined;
}

/**
 * Makes sure the template has exactly the slots it needs: when `{query}` is missing it is added
 * after a blank line (never glued to the last word).
 */
export function ensureQuerySlot(text: string): string {
  if (text.includes(querySlot)) return text;
  return `${text.trimEnd()}\n\n${querySlot}`;
}
