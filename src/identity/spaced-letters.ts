/**
 * Names spelt out letter by letter ("C h a t G P T", "C-h-a-t-G-P-T", "O.p.e.n.A.I", "G - P - T - 4"):
 * runs of at least four single Latin letters or digits, the first three of them letters (so that
 * "4 x 3 x 2 x 1" stays as it is), each separated from the next by the same separator, with no letter or digit right before or after the run. English has only
 * two one-letter words ("a", "I"), so ordinary sentences almost never hold four in a row; a list such as
 * "a, b, c, d" uses a separator (", ") that is not one of these. When the run is spaced out and starts
 * with "a", "A" or "I" ("I'm a C h a t G P T", "I a m"), that word is left out of it.
 */

export interface SpacedRun {
  /** Offset of the first letter. */
  start: number;
  /** Offset just after the last letter. */
  end: number;
  /** Length of the separator between two letters. */
  separatorLength: number;
}

const punctuation = "[.\\-_·•‧|/~+‐‑‒–—]";
const spacedRun = new RegExp(
  String.raw`(?<![\p{L}\p{N}\p{M}'’])[A-Za-z](?<separator>${punctuation}| {1,3}| ?${punctuation} )[A-Za-z]\k<separator>[A-Za-z](?:\k<separator>[A-Za-z0-9])+(?![\p{L}\p{N}\p{M}])`,
  "gu",
);
/** The first four letters of any run, without Unicode properties: a fast test that most answers fail. */
const quick =
  /(?<![A-Za-z0-9'])[A-Za-z][ .\-_·•‧|/~+‐‑‒–—]{1,3}[A-Za-z][ .\-_·•‧|/~+‐‑‒–—]{1,3}[A-Za-z][ .\-_·•‧|/~+‐‑‒–—]{1,3}[A-Za-z0-9](?![A-Za-z0-9])/;
const minimumLetters = 4;
const oneLetterWord = /^[aAI]$/;

/** Every letter-by-letter run in `text`, in text order. */
export function findSpacedRuns(text: string): SpacedRun[] {
  if (!quick.test(text)) return [];
  const runs: SpacedRun[] = [];
  spacedRun.lastIndex = 0;
  for (const match of text.matchAll(spacedRun)) {
    const separator = match.groups!.separator!;
    const step = 1 + separator.length;
    let start = match.index;
    const end = start + match[0].length;
    let letters = (match[0].length + separator.length) / step;
    if (separator.trim() === "" && oneLetterWord.test(text.charAt(start))) {
      start += step;
      letters--;
    }
    if (letters >= minimumLetters && /[A-Za-z]/.test(text.charAt(start)))
      runs.push({ start, end, separatorLength: separator.length });
  }
  return runs;
}
