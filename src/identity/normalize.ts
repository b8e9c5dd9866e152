/**
 * Text normalisation for identity matching, since model answers are hostile input that may hide a name:
 * - Unicode NFKC (full-width letters, ligatures, mathematical and circled letters, superscripts);
 * - removal of invisible characters (every Default_Ignorable_Code_Point and format character: zero-width
 *   joiners and spaces, bidirectional marks, soft hyphens, variation selectors, the combining grapheme
 *   joiner, Hangul and Khmer fillers, Mongolian selectors, tag characters), of control characters and
 *   terminal escape sequences (ESC [ ... m, NUL, C1) and of Markdown emphasis inside a word (`Chat**GPT**`);
 * - decoding of HTML character references ("Chat&#71;PT", "Open&#x41;I", "&Copf;"), once, as a browser would;
 * - removal of combining marks on Latin letters ("Cha\u0301tGPT", "ÇhatGPT"); marks on other scripts are
 *   kept, so Japanese dakuten, Korean syllables, Arabic harakat and Cyrillic "й" are unchanged;
 * - mapping of look-alike letters to Latin (lookalikes.ts: "ChatGРТ" in Cyrillic, "ᴄʜᴀᴛɢᴘᴛ");
 * - joining of names spelt letter by letter (spaced-letters.ts: "C h a t G P T", "O.p.e.n.A.I").
 * Keeps a map back to offsets in the original text.
 */
import { decodeHTMLStrict } from "entities";
import { latinLookalike } from "./lookalikes.ts";
import { findSpacedRuns } from "./spaced-letters.ts";

/**
 * Traditional Chinese characters of identity statements and developer names folded to their simplified
 * forms (one character each, so offsets stay aligned): "我是由OpenAI開發的", "通義千問", "阿里雲".
 */
const traditionalToSimplified: Record<string, string> = {
  開: "开",
  發: "发",
  訓: "训",
  練: "练",
  創: "创",
  團: "团",
  隊: "队",
  們: "们",
  為: "为",
  來: "来",
  屬: "属",
  於: "于",
  雲: "云",
  問: "问",
  義: "义",
  機: "机",
  構: "构",
  製: "制",
  設: "设",
  計: "计",
  術: "术",
  語: "语",
  這: "这",
  個: "个",
  與: "与",
  關: "关",
  係: "系",
  沒: "没",
  無: "无",
  並: "并",
  從: "从",
  東: "东",
  產: "产",
  負: "负",
  責: "责",
  維: "维",
  護: "护",
  務: "务",
  僅: "仅",
  實: "实",
  際: "际",
  對: "对",
  話: "话",
  說: "说",
  題: "题",
  華: "华",
  騰: "腾",
  訊: "讯",
  節: "节",
  動: "动",
  萬: "万",
  譜: "谱",
  國: "国",
  書: "书",
  號: "号",
  長: "长",
  會: "会",
  員: "员",
  體: "体",
  麼: "么",
  嗎: "吗",
  將: "将",
  進: "进",
  經: "经",
  過: "过",
  還: "还",
  應: "应",
  該: "该",
  學: "学",
  習: "习",
  識: "识",
  據: "据",
  庫: "库",
  統: "统",
  網: "网",
  絡: "络",
  電: "电",
  腦: "脑",
  軟: "软",
  營: "营",
  運: "运",
  擁: "拥",
  資: "资",
  數: "数",
  廣: "广",
  門: "门",
  後: "后",
  臺: "台",
  灣: "湾",
  歐: "欧",
  聯: "联",
  處: "处",
  認: "认",
  誤: "误",
  稱: "称",
  協: "协",
  優: "优",
  勢: "势",
  佈: "布",
  釋: "释",
  億: "亿",
  愛: "爱",
  貓: "猫",
  紅: "红",
  飛: "飞",
  馬: "马",
  達: "达",
  龍: "龙",
  鳥: "鸟",
  風: "风",
  層: "层",
  級: "级",
  類: "类",
  織: "织",
  組: "组",
  備: "备",
  態: "态",
  樣: "样",
  輸: "输",
  評: "评",
  審: "审",
  斷: "断",
  規: "规",
  則: "则",
  給: "给",
  請: "请",
  覆: "复",
  確: "确",
  錯: "错",
  裝: "装",
  擬: "拟",
  親: "亲",
  隸: "隶",
  變: "变",
  師: "师",
  專: "专",
  陣: "阵",
  邊: "边",
};
const traditionalCharacters = Object.keys(traditionalToSimplified).join("");
const traditionalCharacter = new RegExp(`[${traditionalCharacters}]`);
const traditionalPattern = new RegExp(`[${traditionalCharacters}]`, "g");

export interface NormalisedText {
  text: string;
  /** offsets[i] = offset in the original text of normalised character i; length text.length + 1. */
  offsets: Int32Array | undefined;
}

const needsWork =
  /[^\u0000-\u007f\u4e00-\u9fff\u3001-\u3002\uff0c\uff1f\uff01]|[\u0000-\u0008\u000e-\u001f\u007f]|[\p{L}\p{N}][*_]/u;
/** Characters dropped wherever they come from: invisible, format and control characters (not \t \n \v \f \r). */
const invisible = /^[\p{Cf}\p{Default_Ignorable_Code_Point}\u180e\u0000-\u0008\u000e-\u001f\u007f-\u009f]$/u;
const mark = /^\p{M}$/u;
/** A base whose combining marks are dropped: a Latin letter or an ASCII digit. */
const latinBase = /^[\p{Script=Latin}0-9]$/u;
const printableAscii = /^[\u0020-\u007e]*$/;

/** ESC with the CSI or OSC sequence it starts (colours, titles), or a lone C0/C1 control (not \t \n \r \v \f). */
const controlSequence = String.raw`\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?)?|[\x00-\x08\x0e-\x1f\x7f-\x9f]`;
/**
 * Markdown emphasis markers inside a word: `*` between two letters (`Chat**GPT`), and a run of `*` or
 * `_` that opens inside a word and closes at its end (`Open_AI_`, `Chat**GPT**`). A lone `_` between
 * letters (snake_case) is kept.
 */
// Each alternative consumes its marker run first, so the look-arounds run only where a marker is.
const emphasisInWord = [
  String.raw`\*{1,3}(?<=\p{L}\*{1,3})(?=\p{L})`,
  String.raw`[*_]{1,3}(?<=[\p{L}\p{N}][*_]{1,3})(?=[\p{L}\p{N}]+[*_]{1,3}(?![\p{L}\p{N}*_]))`,
  String.raw`[*_]{1,3}(?<=[\p{L}\p{N}][*_]{1,3}[\p{L}\p{N}]+[*_]{1,3})(?![\p{L}\p{N}*_])`,
].join("|");
/** A decimal, hexadecimal or named HTML character reference, with its semicolon. */
const characterReference = "&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});";
/**
 * A character outside ASCII and common CJK with its combining marks, or a Hangul syllable written as
 * conjoining jamo: folded together, so that NFKC composes them (half-width kana sound marks, which NFKC
 * turns into combining marks, go with their kana). Marks after an ASCII letter are visited
 * on their own (the letter is copied as plain text) and dropped.
 */
const cluster = String.raw`[\u1100-\u115e][\u1161-\u11a7][\u11a8-\u11ff]?|[^\u0000-\u007f\u4e00-\u9fff][\p{M}\uff9e\uff9f]*`;
/** What the rebuild visits: the sequences above, hence every character outside ASCII and common CJK. */
const special = new RegExp(
  `(?<dropped>${controlSequence}|${emphasisInWord})|(?<reference>${characterReference})|${cluster}`,
  "gu",
);

interface Folded {
  text: string;
  /** Whether the last character kept is a Latin base, whose marks that follow are dropped. */
  afterLatin: boolean;
}

/**
 * Folds a character, a cluster or a decoded reference: NFKC, then (on the canonical decomposition)
 * drops invisible characters and the marks of Latin bases, maps look-alike letters, and composes again.
 */
function fold(piece: string, afterLatin: boolean): Folded {
  const compatible = piece.normalize("NFKC");
  if (printableAscii.test(compatible)) {
    return {
      text: compatible,
      afterLatin: compatible.length === 0 ? afterLatin : latinBase.test(compatible.at(-1)!),
    };
  }
  let text = "";
  let latin = afterLatin;
  for (const unit of compatible.normalize("NFD")) {
    if (invisible.test(unit)) continue;
    if (mark.test(unit)) {
      if (!latin) text += unit;
      continue;
    }
    const mapped = latinLookalike(unit) ?? unit;
    latin = latinBase.test(mapped);
    text += mapped;
  }
  return { text: text.normalize("NFC"), afterLatin: latin };
}

/** What a visited match becomes, or undefined when it is kept as written (an unknown reference). */
function replacement(match: RegExpExecArray, afterLatin: boolean): Folded | undefined {
  if (match.groups!.dropped !== undefined) return { text: "", afterLatin };
  if (match.groups!.reference !== undefined) {
    const decoded = decodeHTMLStrict(match[0]);
    return decoded === match[0] ? undefined : fold(decoded, afterLatin);
  }
  return fold(match[0], afterLatin);
}

/**
 * Whether any visited character or sequence changes. Most answers with curly quotes, emoji, accents
 * on other scripts or Chinese punctuation have none, and skip the character-by-character rebuild.
 */
function changesUnderFolding(text: string): boolean {
  for (const match of text.matchAll(special)) {
    const folded = replacement(match, latinBase.test(text.charAt(match.index - 1)));
    if (folded !== undefined && folded.text !== match[0]) return true;
  }
  return false;
}

/** Normalises text for matching; `offsets` is undefined when offsets are identical to the original's. */
export function normaliseForMatching(original: string): NormalisedText {
  let folded: NormalisedText;
  if (!(needsWork.test(original) || original.includes("&")) || !changesUnderFolding(original)) {
    // Only one-for-one replacements: offsets are unchanged.
    folded = { text: simplified(original), offsets: undefined };
  } else {
    folded = rebuild(original);
  }
  return joinSpacedLetters(folded);
}

function simplified(text: string): string {
  return traditionalCharacter.test(text)
    ? text.replace(traditionalPattern, (character) => traditionalToSimplified[character]!)
    : text;
}

/** Offsets of normalised characters, growing as the rebuild appends to it. */
class OffsetBuilder {
  private offsets: Int32Array;
  length = 0;
  constructor(expected: number) {
    this.offsets = new Int32Array(expected + 16);
  }
  /** Records `count` normalised characters that all come from original offset `from` (or from, from+1... when `step`). */
  push(from: number, count: number, step: 0 | 1): void {
    if (this.length + count + 1 > this.offsets.length) {
      const larger = new Int32Array(Math.max(this.offsets.length * 2, this.length + count + 1));
      larger.set(this.offsets.subarray(0, this.length));
      this.offsets = larger;
    }
    for (let index = 0; index < count; index++) this.offsets[this.length++] = from + index * step;
  }
  finish(end: number): Int32Array {
    this.push(end, 1, 0);
    return this.offsets.slice(0, this.length);
  }
}

/** The full rebuild: plain runs are copied whole, visited characters and sequences folded one by one. */
function rebuild(original: string): NormalisedText {
  const pieces: string[] = [];
  const offsets = new OffsetBuilder(original.length);
  let afterLatin = false;
  const plain = (from: number, to: number): void => {
    if (to <= from) return;
    pieces.push(simplified(original.slice(from, to)));
    offsets.push(from, to - from, 1);
    afterLatin = latinBase.test(original.charAt(to - 1));
  };
  let last = 0;
  for (const match of original.matchAll(special)) {
    const at = match.index;
    plain(last, at);
    last = at + match[0].length;
    const folded = replacement(match, afterLatin);
    if (folded === undefined) {
      plain(at, last);
      continue;
    }
    pieces.push(folded.text);
    offsets.push(at, folded.text.length, 0);
    afterLatin = folded.afterLatin;
  }
  plain(last, original.length);
  return { text: pieces.join(""), offsets: offsets.finish(original.length) };
}

/** Removes the separators of names spelt letter by letter ("C h a t G P T" -> "ChatGPT"). */
function joinSpacedLetters(normalised: NormalisedText): NormalisedText {
  const { text } = normalised;
  const runs = findSpacedRuns(text);
  if (runs.length === 0) return normalised;
  const pieces: string[] = [];
  const offsets = new OffsetBuilder(text.length);
  const keep = (from: number, to: number): void => {
    if (to <= from) return;
    pieces.push(text.slice(from, to));
    if (normalised.offsets === undefined) offsets.push(from, to - from, 1);
    else for (let index = from; index < to; index++) offsets.push(normalised.offsets[index]!, 1, 0);
  };
  let last = 0;
  for (const run of runs) {
    keep(last, run.start);
    for (let letter = run.start; letter < run.end; letter += 1 + run.separatorLength)
      keep(letter, letter + 1);
    last = run.end;
  }
  keep(last, text.length);
  return { text: pieces.join(""), offsets: offsets.finish(originalOffset(normalised, text.length)) };
}

/** Maps an offset in the normalised text back to the original text. */
export function originalOffset(normalised: NormalisedText, offset: number): number {
  if (normalised.offsets === undefined) return offset;
  return normalised.offsets[Math.min(offset, normalised.offsets.length - 1)]!;
}
