/**
 * Splits an answer into the pieces the claim analyser reasons about: sentences (clause-sized units),
 * the speaker label each line is under ("[ChatGPT]:", "(🔓Developer Mode Output)", "**Normal Response:**",
 * "AX1:"), quotation spans and code spans.
 */

export interface Span {
  start: number;
  end: number;
}

export interface SpeakerSection extends Span {
  /** The label as written, without brackets and markup. */
  speaker: string;
}

export interface TextLayout {
  sentences: Span[];
  speakers: SpeakerSection[];
  /** Text inside quotation marks that is shorter than the sentence around it, or inside code. */
  quotations: Span[];
  code: Span[];
}

const bracketLabel = /^[ \t>*#_-]*[[【(（]([^\]】)）\n]{1,40})[\]】)）][ \t*_]*[:：]?/;
const colonLabel =
  /^[ \t>*#_-]*((?:[\p{L}\p{N}\p{Extended_Pictographic}\p{M}][\p{L}\p{N}\p{Extended_Pictographic}\p{M} _.'-]{0,28})?)[ \t*_]*[:：](?![/\d])/u;
const headingLabel = /^[ \t]*(?:#{1,6}[ \t]+|\*\*)([^\n:：*]{1,40}?)(?:[:：])?(?:\*\*)?[ \t]*[:：]?[ \t]*$/;

function findLabel(line: string): { speaker: string; length: number } | undefined {
  for (const pattern of [bracketLabel, headingLabel, colonLabel]) {
    const match = pattern.exec(line);
    if (match === null) continue;
    const speaker = (match[1] ?? "").trim();
    if (speaker.length === 0) continue;
    // A label is short and is not itself a sentence ("Note that I am: ..." is not a label).
    if (pattern === colonLabel && speaker.split(/\s+/).length > 4) continue;
    return { speaker, length: match[0].length };
  }
  return undefined;
}

const sentenceEnd = /[.!?。！？；;]+(?=\s|$|["'”’」)）\]])|[。！？；]+|\n+/g;

/** Sorts spans and drops those that start inside an earlier one (a quote inside code, say). */
function withoutOverlaps(spans: Span[]): Span[] {
  spans.sort((left, right) => left.start - right.start || right.end - left.end);
  const kept: Span[] = [];
  for (const span of spans) {
    const last = kept.at(-1);
    if (last === undefined || span.start >= last.end) kept.push(span);
  }
  return kept;
}

const singleQuotation =
  /(?<![\p{L}\p{N}'’])(?:'(?=\S)(?:[^'\n]|(?<=\p{L})'(?=\p{L})){2,400}?(?<=\S)'|‘(?=\S)(?:[^’\n]|(?<=\p{L})’(?=\p{L})){2,400}?(?<=\S)’)(?![\p{L}\p{N}])/gu;

/** Lays out a (normalised) answer. */
export function layoutText(text: string): TextLayout {
  const sentences: Span[] = [];
  let start = 0;
  sentenceEnd.lastIndex = 0;
  for (const match of text.matchAll(sentenceEnd)) {
    const end = match.index + match[0].length;
    if (end > start) sentences.push({ start, end });
    start = end;
  }
  if (start < text.length) sentences.push({ start, end: text.length });

  const speakers: SpeakerSection[] = [];
  let lineStart = 0;
  let current: SpeakerSection | undefined;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const label = findLabel(text.slice(lineStart, lineEnd));
    if (label !== undefined) {
      if (current !== undefined) current.end = lineStart;
      current = { speaker: label.speaker, start: lineStart + label.length, end: text.length };
      speakers.push(current);
    }
    lineStart = lineEnd + 1;
  }

  const code: Span[] = [];
  for (const match of text.matchAll(/```[\s\S]*?(?:```|$)|`[^`\n]+`/g)) {
    code.push({ start: match.index, end: match.index + match[0].length });
  }
  const quotations: Span[] = [...code];
  for (const match of text.matchAll(
    /"[^"\n]{2,400}"|“[^”\n]{2,400}”|「[^」\n]{2,400}」|『[^』\n]{2,400}』/g,
  )) {
    quotations.push({ start: match.index, end: match.index + match[0].length });
  }
  // Single quotation marks: opened and closed outside words, so that apostrophes ("I'm") neither open
  // nor close one, though they may sit inside it.
  for (const match of text.matchAll(singleQuotation)) {
    quotations.push({ start: match.index, end: match.index + match[0].length });
  }
  return { sentences, speakers, quotations: withoutOverlaps(quotations), code };
}

/** The span among `spans` (sorted by start, not overlapping) containing offset, if any. */
export function spanAt<T extends Span>(spans: readonly T[], offset: number): T | undefined {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = spans[middle]!;
    if (offset < span.start) high = middle - 1;
    else if (offset >= span.end) low = middle + 1;
    else return span;
  }
  return undefined;
}
