import assert from "node:assert/strict";
import { test } from "node:test";
import { analyseIdentity } from "./claims.ts";
import { normaliseForMatching, originalOffset } from "./normalize.ts";

const claim = (mark: string) => `I am Chat${mark}GPT, a large language model developed by Open${mark}AI.`;

test("a claim split by any invisible or control character is still a claim", () => {
  const marks: Record<string, string> = {
    "combining grapheme joiner": "\u034f",
    "variation selector 16": "\ufe0f",
    "variation selector 1": "\ufe00",
    "variation selector 17": "\u{e0100}",
    "variation selector 256": "\u{e01ef}",
    "Hangul choseong filler": "\u115f",
    "Hangul jungseong filler": "\u1160",
    "Hangul filler": "\u3164",
    "halfwidth Hangul filler": "\uffa0",
    "Khmer inherent aq": "\u17b4",
    "Khmer inherent aa": "\u17b5",
    "Mongolian free variation selector 1": "\u180b",
    "Mongolian free variation selector 4": "\u180f",
    "musical symbol begin beam": "\u{1d173}",
    "zero-width non-joiner": "\u200c",
    ESC: "\u001b",
    "ESC colour sequence": "\u001b[31m",
    "OSC title": "\u001b]0;title\u0007",
    NUL: "\u0000",
    "C1 control": "\u0091",
    DEL: "\u007f",
  };
  for (const [name, mark] of Object.entries(marks)) {
    const verdict = analyseIdentity({ response: claim(mark), identity: "alibaba" });
    assert.equal(verdict.strict, true, name);
  }
});

test("Markdown emphasis inside a name does not hide it; snake_case and plain emphasis are left alone", () => {
  for (const response of [
    "I am Chat**GPT**, developed by Open**AI**.",
    "I am Chat*GPT*, developed by Open*AI*.",
    "I am **Chat**GPT, developed by OpenAI.",
    "I am Chat__GPT__, developed by Open_AI_.",
    "I am **ChatGPT**, developed by **OpenAI**.",
  ]) {
    assert.equal(analyseIdentity({ response, identity: "alibaba" }).strict, true, response);
  }
  assert.equal(normaliseForMatching("call my_function_name here").text, "call my_function_name here");
  assert.equal(normaliseForMatching("a **bold** word").text, "a **bold** word");
  assert.equal(normaliseForMatching("line one\n\tline two\r\n").text, "line one\n\tline two\r\n");
  // A model that names itself truthfully is still consistent.
  const truthful = "I am Qw\u034fen, a large language model developed by Alibaba\u034f Cloud.";
  assert.equal(analyseIdentity({ response: truthful, identity: "alibaba" }).strict, false);
});

test("dropped characters keep the map back to the original text", () => {
  const original = "I am Chat\u001b[1mGPT\u034f!";
  const normalised = normaliseForMatching(original);
  assert.equal(normalised.text, "I am ChatGPT!");
  const start = normalised.text.indexOf("GPT");
  assert.equal(
    original.slice(originalOffset(normalised, start), originalOffset(normalised, start + 2) + 1),
    "GPT",
  );
  const verdict = analyseIdentity({ response: original, identity: "alibaba" });
  assert.ok(verdict.claims.some((found) => found.words.includes("Chat\u001b[1mGPT")));
});

/** The normalised text, and for each normalised character the original text it came from. */
function sources(original: string): { text: string; from: string[] } {
  const normalised = normaliseForMatching(original);
  const from = [...normalised.text].map((_, index) =>
    original.slice(originalOffset(normalised, index), originalOffset(normalised, index + 1)),
  );
  return { text: normalised.text, from };
}

test("combining marks on Latin letters are dropped, with offsets on the letters", () => {
  const decomposed = "Cha\u0301tGPT";
  assert.deepEqual(sources(decomposed), {
    text: "ChatGPT",
    from: ["C", "h", "a\u0301", "t", "G", "P", "T"],
  });
  assert.equal(normaliseForMatching("ÇhätGPT Öpen\u0327\u0301AI").text, "ChatGPT OpenAI");
  assert.equal(normaliseForMatching("ØpenAI Mıstral").text, "OpenAI Mistral");
});

test("full-width, mathematical, circled, small-capital and enclosed letters read as Latin", () => {
  const cases: Record<string, string> = {
    Ｃｌａｕｄｅ: "Claude",
    "𝐂𝐡𝐚𝐭𝐆𝐏𝐓 𝕆𝕡𝕖𝕟𝔸𝕀": "ChatGPT OpenAI",
    "ⓒⓛⓐⓤⓓⓔ": "claude",
    "ᴄʜᴀᴛɢᴘᴛ ᴏᴘᴇɴᴀɪ": "CHATGPT OPENAI",
    "🅲🅻🅰🆄🅳🅴 🅒🅛🅐🅤🅓🅔": "CLAUDE CLAUDE",
  };
  for (const [original, expected] of Object.entries(cases)) {
    assert.equal(normaliseForMatching(original).text, expected, original);
  }
  // Each small capital (one UTF-16 unit) and each enclosed letter (two) maps back to itself.
  assert.deepEqual(sources("ᴄʜ🅰").from, ["ᴄ", "ʜ", "🅰"]);
});

test("HTML character references are decoded once, with offsets on the whole reference", () => {
  assert.deepEqual(sources("Open&#x41;I&#33;"), {
    text: "OpenAI!",
    from: ["O", "p", "e", "n", "&#x41;", "I", "&#33;"],
  });
  const cases: Record<string, string> = {
    "Chat&#71;PT": "ChatGPT",
    "Chat&#x47;PT": "ChatGPT",
    "Chat&Gopf;PT": "ChatGPT",
    "Chat&#8203;GPT Open&ZeroWidthSpace;AI": "ChatGPT OpenAI",
    "Cha&#769;tGPT": "ChatGPT",
    "Tom &amp; Jerry &lt;3": "Tom & Jerry <3",
    // One decoding, as a browser shows it: a reference written as text stays text.
    "Chat&amp;#71;PT": "Chat&#71;PT",
    // Unknown names and references without a semicolon are not references.
    "&notaname; &#71 AT&T R&D": "&notaname; &#71 AT&T R&D",
  };
  for (const [original, expected] of Object.entries(cases)) {
    assert.equal(normaliseForMatching(original).text, expected, original);
  }
});

test("names spelt letter by letter are joined, with offsets on the letters", () => {
  assert.deepEqual(sources("I am C-h-a-t-G-P-T."), {
    text: "I am ChatGPT.",
    from: ["I", " ", "a", "m", " ", "C-", "h-", "a-", "t-", "G-", "P-", "T", "."],
  });
  const cases: Record<string, string> = {
    "C h a t G P T": "ChatGPT",
    "O.p.e.n.A.I": "OpenAI",
    "C . h . a . t G P T": "Chat G P T",
    "ᴄ ʜ ᴀ ᴛ ɢ ᴘ ᴛ": "CHATGPT",
    "Ｃ　ｈ　ａ　ｔ　Ｇ　Ｐ　Ｔ": "ChatGPT",
    "G - P - T - 4": "GPT4",
    "I'm a C h a t G P T model": "I'm a ChatGPT model",
  };
  for (const [original, expected] of Object.entries(cases)) {
    assert.equal(normaliseForMatching(original).text, expected, original);
  }
});

test("ordinary English and Chinese text is left as it is", () => {
  for (const text of [
    "I a m not spelling anything here.",
    "Pick a, b, c or d; the options are A B C D.",
    "Compute 4 x 3 x 2 x 1 and x + y = z.",
    "AT&T, R&D, e.g. the U.S.A. and i.e. Ph.D. students.",
    "I am a helpful assistant. I'm a big fan of a good book.",
    "The variables a b c are sorted; x-y-z is a path.",
    "我是一个人工智能助手，由阿里云开发。请从 A、B、C、D 中选择一个答案。",
    "你好！我 是 通义千问。",
  ]) {
    assert.deepEqual(normaliseForMatching(text), { text, offsets: undefined }, text);
  }
});

test("marks and letters of other scripts are kept, and composed", () => {
  for (const text of [
    "ガンダムはバンダイの作品です。パソコン",
    "안녕하세요, 저는 하이퍼클로바입니다",
    "مَرْحَبًا بِكَ",
    "Жюль й", // (Cyrillic letters shaped like Latin ones, such as о, are mapped: see lookalikes.ts)
    "नमस्ते",
  ]) {
    assert.equal(normaliseForMatching(text).text, text, text);
  }
  // Decomposed kana with dakuten, conjoining jamo and a decomposed Cyrillic letter are composed.
  assert.equal(normaliseForMatching("カ\u3099ンダム \u1112\u1161\u11ab \u0438\u0306").text, "ガンダム 한 й");
  assert.equal(normaliseForMatching("ｶﾞﾝﾀﾞﾑ").text, "ガンダム");
});
