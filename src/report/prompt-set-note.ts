/**
 * The sentences the RSE terminal tables and both reports show for a prompt set that left records of its
 * file out (a malformed line, a duplicate id, a ShareGPT conversation without a human turn...) or kept
 * some in part (a conversation cut at a system turn after a human turn), so that a reader of any of them
 * can see that the scores stand on part of the file only.
 */

/** What an `rse run` result says of one prompt set (its `prompts` entries), as far as these notes read it. */
export interface PromptSetOmissions {
  dataset: string;
  source: string;
  /** Records of the file left out, by reason. */
  skipped: Readonly<Record<string, number>>;
  /** Records kept in part, by reason; absent when none. */
  shortened?: Readonly<Record<string, number>> | undefined;
}

/**
 * How a report writes what comes from the result: `name` for dataset names, sources and reasons (hostile
 * input: each report's label escaper), `text` for the fixed words around them (default: as they are).
 */
export interface PromptSetNoteEscapers {
  name: (text: string) => string;
  text?: (text: string) => string;
}

function note(
  opening: string,
  set: PromptSetOmissions,
  counts: Readonly<Record<string, number>>,
  escapers: Required<PromptSetNoteEscapers>,
): string | undefined {
  const reasons = Object.entries(counts).filter(([, count]) => count > 0);
  if (reasons.length === 0) return undefined;
  // Counted over the whole file, before any --limit sample: no "of N" from the sampled count.
  const total = reasons.reduce((sum, [, count]) => sum + count, 0);
  const byReason = reasons
    .map(([reason, count]) => `${escapers.name(reason)}${escapers.text(`: ${count}`)}`)
    .join(escapers.text(", "));
  return (
    `${escapers.text(`${opening} `)}${escapers.name(set.dataset)}${escapers.text(" (")}${escapers.name(set.source)}` +
    `${escapers.text(`): ${total} record(s) of the file (`)}${byReason}` +
    escapers.text(`); see "prompts" in the result.`)
  );
}

/**
 * One sentence per prompt set that left records out ("Left out of <dataset> (<source>): 2 record(s) of
 * the file (no human turn: 1, duplicate id: 1); see "prompts" in the result."), then one per set that
 * shortened some ("Shortened in ..."); none for a set that did neither.
 */
export function promptSetNotes(
  sets: readonly PromptSetOmissions[],
  escapers: PromptSetNoteEscapers,
): string[] {
  const written = { name: escapers.name, text: escapers.text ?? ((text: string) => text) };
  return [
    ...sets.flatMap((set) => note("Left out of", set, set.skipped, written) ?? []),
    ...sets.flatMap((set) => note("Shortened in", set, set.shortened ?? {}, written) ?? []),
  ];
}
