/**
 * Letters that look like Latin letters and that Unicode NFKC does not fold, mapped to the Latin letter a
 * reader sees: Cyrillic and Greek look-alikes ("ChatGРТ"), small capitals ("ᴄʜᴀᴛɢᴘᴛ"), Latin letters
 * with a stroke or without a dot that have no canonical decomposition ("ØpenAI", "Mıstral"), and the
 * negative circled and negative squared letters ("🅲🅻🅰🆄🅳🅴"). Not the regional indicator letters: two of
 * them make a flag ("🇺🇸"), and an ordinary answer may put one right before a name. Not the whole Unicode
 * confusables table either: it also maps digits, punctuation and CJK characters, which would rewrite
 * ordinary answers.
 */

const cyrillicAndGreek: Record<string, string> = {
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

/** Small capitals read as the capital letter: they carry no case of their own. */
const smallCapitals: Record<string, string> = {
  ᴀ: "A",
  ʙ: "B",
  ᴄ: "C",
  ᴅ: "D",
  ᴇ: "E",
  ꜰ: "F",
  ɢ: "G",
  ʜ: "H",
  ɪ: "I",
  ᴊ: "J",
  ᴋ: "K",
  ʟ: "L",
  ᴍ: "M",
  ɴ: "N",
  ᴏ: "O",
  ᴘ: "P",
  ꞯ: "Q",
  ʀ: "R",
  ꜱ: "S",
  ᴛ: "T",
  ᴜ: "U",
  ᴠ: "V",
  ᴡ: "W",
  ʏ: "Y",
  ᴢ: "Z",
};

/** Latin letters that NFD does not split into a base letter and a mark, and IPA letters of the same shape. */
const undecomposedLatin: Record<string, string> = {
  ı: "i",
  ȷ: "j",
  ɩ: "i",
  ɑ: "a",
  ɡ: "g",
  ø: "o",
  Ø: "O",
  ł: "l",
  Ł: "L",
  đ: "d",
  Đ: "D",
  ħ: "h",
  Ħ: "H",
  ŧ: "t",
  Ŧ: "T",
  ƀ: "b",
  Ƀ: "B",
  ɨ: "i",
  Ɨ: "I",
  ʉ: "u",
  Ʉ: "U",
  ƶ: "z",
  Ƶ: "Z",
};

const lookalikes: Record<string, string> = { ...cyrillicAndGreek, ...smallCapitals, ...undecomposedLatin };

/** First code point of each enclosed capital-letter block that NFKC leaves alone (A at the start). */
const enclosedCapitalBlocks = [
  0x1f150, // negative circled
  0x1f170, // negative squared
];

/** The Latin letter a look-alike character stands for, or undefined when it is not one. */
export function latinLookalike(character: string): string | undefined {
  const mapped = lookalikes[character];
  if (mapped !== undefined) return mapped;
  const codePoint = character.codePointAt(0)!;
  if (codePoint < 0x1f150) return undefined;
  for (const first of enclosedCapitalBlocks) {
    if (codePoint >= first && codePoint < first + 26) return String.fromCharCode(0x41 + codePoint - first);
  }
  return undefined;
}
