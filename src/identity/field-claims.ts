/**
 * Self-descriptions written as labelled fields rather than sentences: model cards and the report formats
 * jailbreak templates ask for ("IDENTITY: ChatGPT, developed by OpenAI", "Model: GPT-4 | Developer:
 * OpenAI", `{"model": "GPT-4", "developer": "OpenAI"}`, "Name: Claude\nCreator: Anthropic",
 * "模型名称：通义千问，开发者：阿里云"). A field is a label about identity (name, model, developer,
 * creator, 名称, 开发者 ...) followed by a colon or equals sign and a value; the value runs to the next
 * field, a separator (|, ;, }), the end of the line or of the sentence, or the closing quotation mark of
 * a quoted value. Within a value, a name is a claim unless words before it compare ("unlike", "similar
 * to", "类似") or negate ("not", "不是"): then it is skipped or negated.
 */
import type { Span } from "./segments.ts";

export interface FieldValue extends Span {
  /** The label as written (lower-cased). */
  label: string;
}

const englishLabels = [
  "identity",
  "self[- ]identity",
  "name",
  "model(?:[ _-]?(?:name|id|identity|version|family))?",
  "(?:base|underlying|foundation|core)[ _-]model",
  "assistant[ _-]name",
  "ai[ _-]name",
  "system[ _-]name",
  "developers?",
  "developed[ _-]by",
  "creators?",
  "created[ _-]by",
  "made[ _-]by",
  "makers?",
  "built[ _-]by",
  "trained[ _-]by",
  "powered[ _-]by",
  "provided[ _-]by",
  "owned[ _-]by",
  "(?:developer|developing|parent|creator|training|creating)[ _-](?:company|organi[sz]ation|team|lab)",
  "company",
  "organi[sz]ation",
  "manufacturer",
];
const chineseLabels = [
  "身份",
  "名称",
  "名字",
  "模型名称",
  "模型名",
  "模型",
  "助手名称",
  "基础模型",
  "底层模型",
  "开发者",
  "开发商",
  "开发公司",
  "开发团队",
  "开发方",
  "开发机构",
  "研发者",
  "研发方",
  "研发公司",
  "研发团队",
  "研发机构",
  "所属公司",
  "公司",
  "创建者",
  "创造者",
  "创始者",
  "训练者",
  "训练方",
  "出品方",
  "提供方",
  "提供商",
  "提供者",
  "所属机构",
  "机构",
  "母公司",
  "来源",
];

const labelAlternation = `${englishLabels.join("|")}|${chineseLabels.join("|")}`;
/**
 * A label ending just before a colon or equals sign, preceded by the start of a line (after list
 * bullets, numbering or markup; the scan puts a "\n" before a window that starts a line) or by a
 * separator of fields (| ; , ， 、 { [ ( or a JSON comma).
 */
const labelBeforeColon = new RegExp(
  String.raw`(?:\n[ \t]*(?:(?:[-*•>#]+|\d+[.)])[ \t]*)?|[|;；,，、{(\[][ \t]*)(?:\*\*|__)?["'“]?(${labelAlternation})["'”]?(?:\*\*|__)?[ \t]*$`,
  "i",
);
const afterColon = /^(?:\*\*|__)?[ \t]*/;
const colons = /[:：=]/g;

const quoteClose: Record<string, string> = { '"': '"', "“": "”", "'": "'", "「": "」" };
/** Where an unquoted value ends: a field separator, the end of the line, or the end of a sentence. */
const valueEnd = /[|;；}\n]|[.!?。！？](?=\s|$)|[。！？]/g;

/** Values of identity fields in (normalised) text, in order. */
export function findFieldValues(text: string): FieldValue[] {
  const labels: Array<{ start: number; end: number; label: string }> = [];
  colons.lastIndex = 0;
  for (const colon of text.matchAll(colons)) {
    const at = colon.index;
    if (/[/\d]/.test(text[at + 1] ?? "")) continue;
    const lineStart = text.lastIndexOf("\n", at - 1) + 1;
    const windowStart = Math.max(lineStart, at - 48);
    const window = (windowStart === lineStart ? "\n" : "") + text.slice(windowStart, at);
    const match = labelBeforeColon.exec(window);
    if (match === null) continue;
    const labelStart =
      windowStart + match.index + match[0].indexOf(match[1]!) - (windowStart === lineStart ? 1 : 0);
    const end = at + 1 + afterColon.exec(text.slice(at + 1, at + 8))![0].length;
    labels.push({ start: labelStart, end, label: match[1]!.toLowerCase() });
  }
  const values: FieldValue[] = [];
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index]!;
    const nextLabel = labels[index + 1]?.start ?? text.length;
    let start = label.end;
    let end: number;
    const closing = quoteClose[text[start] ?? ""];
    if (closing !== undefined) {
      start++;
      const close = text.indexOf(closing, start);
      end = close < 0 || close > nextLabel ? Math.min(nextLabel, text.length) : close;
      const newline = text.indexOf("\n", start);
      if (newline >= 0 && newline < end) end = newline;
    } else {
      valueEnd.lastIndex = start;
      const stop = valueEnd.exec(text);
      end = Math.min(stop === null ? text.length : stop.index, nextLabel);
    }
    if (end > start) values.push({ start, end, label: label.label });
  }
  return values;
}

const comparison =
  /\b(?:unlike|like|similar|compared|comparable|versus|vs|than|alternative|competitor|competing|rival|rather than|instead of|inspired by|such as|e\.g)\b|类似|不同于|相比|相较|比如|例如|替代|竞争|对标|而非|而不是/i;
const leadingNegation =
  /^[\s*_"'“”‘’`(（[【]*(?:(?:not|never|no|non|none of|neither)\b|不是|并非|并不是|非)[\s:：-]*/i;
/** Nothing but markup or an article before the name: the value is the name. */
const valueIsName = /^[\s*_"'“”‘’`(（[【]*(?:(?:the|an?|by|from|of|at)\s+)?$/i;
/** The name follows an earlier name through a making verb or a list: "ChatGPT, developed by OpenAI", "由". */
const linkedToEarlierName =
  /(?:\b(?:developed|created|made|built|trained|powered|provided|owned|released|designed|produced|engineered|backed|maintained)\s+(?:by|at)|\b(?:by|from|of|and)|由|来自|属于|[,，(（/&+、])[\s*_"'“”‘’`]*$/i;

/**
 * How the words of a field value before a name bear on it: "negated" ("not OpenAI"), "claim" (the
 * value is the name, or the name is linked to an earlier one), or "compared" (anything else: a
 * comparison or a description that merely mentions the name; the name is skipped).
 */
export function fieldValueStance(valueBeforeName: string): "claim" | "negated" | "compared" {
  // (Config-style keys such as "provider", "vendor" or "owner" are not identity labels: an answer that
  // shows `{"provider": "openai", "model": "gpt-4o"}` describes a program, not itself.)
  if (comparison.test(valueBeforeName)) return "compared";
  const negation = leadingNegation.exec(valueBeforeName);
  const rest = negation === null ? valueBeforeName : valueBeforeName.slice(negation[0].length);
  if (!valueIsName.test(rest) && !linkedToEarlierName.test(rest)) return "compared";
  return negation === null ? "claim" : "negated";
}

/**
 * A value written as a lower-case identifier ("openai", "gpt-4o-mini") is a setting in a configuration
 * shown to the user, not a self-description, which names developers and models as they are written.
 */
export function isConfigValue(value: string): boolean {
  return /^[a-z0-9][a-z0-9._/-]*$/.test(value.trim());
}

const wholeLabel = new RegExp(`^(?:${labelAlternation})$`, "iu");

/** Whether a speaker label as the layout found it ("IDENTITY", "**Developer**") is an identity field label. */
export function isFieldLabel(speaker: string): boolean {
  return wholeLabel.test(speaker.replace(/[*_"'“”]/g, "").trim());
}
