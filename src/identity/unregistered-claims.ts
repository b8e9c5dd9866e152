/**
 * First-person claims of a developer the registry does not know ("I was created by the Sirius
 * Cybernetics Corporation", "My parent company is NeuroSpark", "我是由一家名为“星辰科技”的公司开发的").
 * Such a claim conflicts with the target's facts (loose) but names no real developer (not strict).
 * Only named agents count: a vague "a team of researchers" states nothing that conflicts.
 */
import { type DeveloperRecord, findDeveloperMentions } from "./registry.ts";
import type { Span } from "./segments.ts";

export interface UnregisteredClaim extends Span {
  words: string;
  negated: boolean;
  language: "en" | "zh";
}

const englishAgent =
  /\b(?:I\s+(?:was|am|have\s+been|were)|I['’]m|(?:[Mm]y|[Oo]ur)\s+(?:[\w-]+\s+){0,2}(?:is|are|was|were))\s+(?:[\w-]+\s+){0,3}?(?:developed|created|built|trained|made|designed|crafted|forged|engineered|programmed|owned|maintained|produced|founded|launched)\s+(?:and\s+\w+\s+)?by\s+(?:(?!(?:in|at|from|across|around|near|based|located|headquartered)\b)[\w'’-]+\s+){0,6}?((?:[A-Z][\w.&'’-]*\s?){1,4})/g;
const englishPossessive =
  /\b(?:[Mm]y|[Oo]ur)\s+(?:creators?|developers?|development\s+team|parent\s+company|company|creation\s+company|makers?|dev\s+company|developer\s+company|owners?|creator)\s+(?:is|are|was|were|:)\s+(?:(?:a|an|the|tech|secret|mysterious|small|new|company|startup|firm|organi[sz]ation|lab|team|group|consortium|collective|corporation|called|named|known\s+as)\s+){0,4}(?:"([^"\n]{2,40})"|“([^”\n]{2,40})”|((?:[A-Z][\w.&'’-]*\s?){1,4}))/g;
const chineseNamed =
  /(?:我|咱)们?[^。！？\n]{0,24}?(?:由|是|来自|属于)[^。！？\n]{0,16}?(?:名为|叫做?|称为|名叫)(?:[“"「『'‘]([^”"」』'’，。、\n]{2,24})[”"」』'’]|([^”"」』'’，。、\s的]{2,16}))/g;
const chinesePossessive =
  /(?:我|咱)们?的(?:母公司|开发公司|开发者|创造者|创建者|开发团队|创始公司|所属公司)(?:是|为|叫)(?:[“"「『]([^”"」』，。、\n]{2,24})[”"」』]|([A-Za-z][\w.&-]*(?: [A-Z][\w.&-]*){0,3}))/g;
const englishNegation = /\b(?:not|never|no|nothing|neither|nor|if|would|pretend|imagine|suppose)\b|n['’]t\b/i;
const chineseNegation = /不是|并非|没有|不属于|无关|如果|假如|假设|假装/;
const genericCapitalised =
  /^(?:I|AI|The|A|An|My|Our|It|This|That|They|We|He|She|In|As|On|At|By|And|But|Or|So|Yes|No)$/;

/** Finds first-person claims naming a developer that is neither in the registry nor in `developers`. */
export function findUnregisteredClaims(
  text: string,
  developers: readonly DeveloperRecord[] = [],
): UnregisteredClaim[] {
  const isRegistered = (words: string): boolean => findDeveloperMentions(words, developers).length > 0;
  const claims: UnregisteredClaim[] = [];
  const consider = (
    match: RegExpExecArray,
    captured: string | undefined,
    language: "en" | "zh",
    negation: RegExp,
  ) => {
    if (captured === undefined) return;
    const words = (captured.split(/[.!?]\s/)[0] ?? "").trim().replace(/[.,;:!?'’]+$/, "");
    const first = words.split(/\s+/)[0] ?? "";
    if (words.length < 2 || genericCapitalised.test(first) || isRegistered(words)) return;
    const start = match.index + match[0].lastIndexOf(captured);
    claims.push({ words, start, end: start + words.length, language, negated: negation.test(match[0]) });
  };
  for (const match of text.matchAll(englishAgent)) consider(match, match[1], "en", englishNegation);
  for (const match of text.matchAll(englishPossessive))
    consider(match, match[1] ?? match[2] ?? match[3], "en", englishNegation);
  if (/[\u4e00-\u9fff]/.test(text)) {
    for (const match of text.matchAll(chineseNamed))
      consider(match, match[1] ?? match[2], "zh", chineseNegation);
    for (const match of text.matchAll(chinesePossessive))
      consider(match, match[1] ?? match[2], "zh", chineseNegation);
  }
  return claims.filter((claim) => !claim.negated);
}
