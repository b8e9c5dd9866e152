/**
 * Text normalisation for identity matching: Unicode NFKC (full-width letters, ligatures), removal of
 * invisible characters (every Default_Ignorable_Code_Point and format character: zero-width joiners and
 * spaces, bidirectional marks, soft hyphens, variation selectors, the combining grapheme joiner, Hangul
 * and Khmer fillers, Mongolian selectors, tag characters), of control characters and terminal escape
 * sequences (ESC [ ... m, NUL, C1) and of Markdown emphasis inside a word (`Chat**GPT**`, `Open_AI_`),
 * and mapping of Cyrillic and Greek look-alike letters to Latin, so that "ChatGРТ" written with
 * Cyrillic letters or "Chat\u034fGPT" still names ChatGPT. Keeps a map back to offsets in the original.
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
const invisible = /^[\p{Cf}\p{Default_Ignorable_Code_Point}\u180e]$/u;

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
/** Characters (and sequences) the rebuild visits: the ones above, and everything outside ASCII and common CJK. */
const special = new RegExp(`${controlSequence}|${emphasisInWord}|[^\\u0000-\\u007f\\u4e00-\\u9fff]`, "gu");
const controlOrMarker = /^[\u0000-\u0008\u000e-\u001f\u007f-\u009f*_]/;

/** Whether the rebuild drops this match whole: an invisible character, a control sequence, an emphasis run. */
function dropped(match: string): boolean {
  return controlOrMarker.test(match) || invisible.test(match);
}

/**
 * Whether any character outside ASCII and the common CJK block changes (invisible, folded by NFKC, or a
 * look-alike), or a control or in-word emphasis is there. Most answers with curly quotes, emoji or Chinese
 * punctuation have none, and skip the character-by-character rebuild.
 */
function changesUnderFolding(text: string): boolean {
  special.lastIndex = 0;
  for (const match of text.matchAll(special)) {
    const character = match[0];
    if (dropped(character) || homoglyphs[character] !== undefined) return true;
    if (character.normalize("NFKC") !== character) return true;
  }
  return false;
}

/** Normalises text for matching; `offsets` is undefined when nothing changed (offsets are identical). */
export function normaliseForMatching(original: string): NormalisedText {
  if (!needsWork.test(original) || !changesUnderFolding(original)) {
    if (!traditionalCharacter.test(original)) return { text: original, offsets: undefined };
    // Only one-for-one replacements: offsets are unchanged.
    return {
      text: original.replace(traditionalPattern, (character) => traditionalToSimplified[character]!),
      offsets: undefined,
    };
  }
  return rebuild(original);
}

function simplified(text: string): string {
  return traditionalCharacter.test(text)
    ? text.replace(traditionalPattern, (character) => traditionalToSimplified[character]!)
    : text;
}

/** The full rebuild: plain runs are copied whole, special characters folded one by one. */
function rebuild(original: string): NormalisedText {
  const pieces: string[] = [];
  let offsets = new Int32Array(original.length + 16);
  let length = 0;
  const reserve = (count: number): void => {
    if (length + count + 1 <= offsets.length) return;
    const larger = new Int32Array(Math.max(offsets.length * 2, length + count + 1));
    larger.set(offsets.subarray(0, length));
    offsets = larger;
  };
  const plain = (from: number, to: number): void => {
    if (to <= from) return;
    pieces.push(simplified(original.slice(from, to)));
    reserve(to - from);
    for (let position = from; position < to; position++) offsets[length++] = position;
  };
  let last = 0;
  special.lastIndex = 0;
  for (const match of original.matchAll(special)) {
    const at = match.index;
    plain(last, at);
    const character = match[0];
    if (!dropped(character)) {
      for (const unit of character.normalize("NFKC")) {
        const mapped = homoglyphs[unit] ?? unit;
        pieces.push(mapped);
        reserve(mapped.length);
        for (let position = 0; position < mapped.length; position++) offsets[length++] = at;
      }
    }
    last = at + character.length;
  }
  plain(last, original.length);
  reserve(1);
  offsets[length++] = original.length;
  return { text: pieces.join(""), offsets: offsets.slice(0, length) };
}

/** Maps an offset in the normalised text back to the original text. */
export function originalOffset(normalised: NormalisedText, offset: number): number {
  if (normalised.offsets === undefined) return offset;
  return normalised.offsets[Math.min(offset, normalised.offsets.length - 1)]!;
}
