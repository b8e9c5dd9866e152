/**
 * Tokenisation shared by every text-similarity measure. Latin-script text becomes lower-cased word
 * tokens (letters, digits, apostrophes); CJK text (Han, Hiragana, Katakana, Hangul) has no spaces, so
 * each run becomes its single characters and overlapping character bigrams, the usual unit for
 * Chinese bag-of-words similarity.
 */
const cjkRun = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/u;
const cjkClass = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}";
const tokenPattern = new RegExp(
  `[${cjkClass}]+|(?:(?![${cjkClass}])[\\p{L}\\p{N}])+(?:['’](?:(?![${cjkClass}])\\p{L})+)*`,
  "gu",
);

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.normalize("NFKC").toLowerCase().matchAll(tokenPattern)) {
    const piece = match[0];
    if (cjkRun.test(piece)) {
      const characters = Array.from(piece);
      for (let index = 0; index < characters.length; index++) {
        tokens.push(characters[index]!);
        if (index + 1 < characters.length) tokens.push(characters[index]! + characters[index + 1]!);
      }
    } else {
      tokens.push(piece);
    }
  }
  return tokens;
}

/** True when at least a fifth of the letters are CJK: used to tag an answer's language. */
export function isMostlyCjk(text: string): boolean {
  let cjk = 0;
  let letters = 0;
  for (const character of text) {
    if (/\p{L}/u.test(character)) {
      letters++;
      if (cjkRun.test(character)) cjk++;
    }
  }
  return letters > 0 && cjk / letters >= 0.2;
}
