/**
 * Text normalisation for identity matching: Unicode NFKC (full-width letters, ligatures), removal of
 * invisible format characters (zero-width joiners and spaces, bidirectional marks, soft hyphens) and
 * mapping of Cyrillic and Greek look-alike letters to Latin, so that "ChatGРТ" written with Cyrillic
 * letters or "Chat\u200dGPT" still names ChatGPT. Keeps a map back to offsets in the original text.
 */

const homoglyphs: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ӏ: "l",
  ԛ: "q",
  ԝ: "w",
  ɡ: "g",
  А: "A",
  В: "B",
  Е: "E",
  К: "K",
  М: "M",
  Н: "H",
  О: "O",
  Р: "P",
  С: "C",
  Т: "T",
  Х: "X",
  У: "Y",
  І: "I",
  Ј: "J",
  Ѕ: "S",
  Ԁ: "D",
  Ԛ: "Q",
  Ԝ: "W",
  Α: "A",
  Β: "B",
  Ε: "E",
  Ζ: "Z",
  Η: "H",
  Ι: "I",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ο: "O",
  Ρ: "P",
  Τ: "T",
  Υ: "Y",
  Χ: "X",
  ο: "o",
  ν: "v",
  ι: "i",
  κ: "k",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  α: "a",
};

export interface NormalisedText {
  text: string;
  /** offsets[i] = offset in the original text of normalised character i; length text.length + 1. */
  offsets: Int32Array | undefined;
}

const needsWork = /[^\u0000-\u007f\u4e00-\u9fff\u3001-\u3002\uff0c\uff1f\uff01]/;
const invisible = /^[\p{Cf}\u180e]$/u;

/** Normalises text for matching; `offsets` is undefined when nothing changed (offsets are identical). */
export function normaliseForMatching(original: string): NormalisedText {
  if (!needsWork.test(original)) return { text: original, offsets: undefined };
  const pieces: string[] = [];
  const offsets: number[] = [];
  let index = 0;
  for (const character of original) {
    const width = character.length;
    const code = character.codePointAt(0)!;
    if (code < 0x80 || (code >= 0x4e00 && code <= 0x9fff)) {
      pieces.push(character);
      offsets.push(index);
    } else if (!invisible.test(character)) {
      const folded = character.normalize("NFKC");
      for (const unit of folded) {
        const mapped = homoglyphs[unit] ?? unit;
        for (let position = 0; position < mapped.length; position++) {
          pieces.push(mapped[position]!);
          offsets.push(index);
        }
      }
    }
    index += width;
  }
  offsets.push(original.length);
  return { text: pieces.join(""), offsets: Int32Array.from(offsets) };
}

/** Maps an offset in the normalised text back to the original text. */
export function originalOffset(normalised: NormalisedText, offset: number): number {
  if (normalised.offsets === undefined) return offset;
  return normalised.offsets[Math.min(offset, normalised.offsets.length - 1)]!;
}
