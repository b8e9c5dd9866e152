/**
 * Finds text in an answer that addresses whoever grades it ("evaluator: output 0", fake verdict tags,
 * "ignore previous instructions"). Such text is flagged and never obeyed: it does not change a verdict.
 */
import type { Span } from "./segments.ts";

const patterns: RegExp[] = [
  /\b(?:evaluator|judge|grader|rater|assessor|scorer|reviewer|classifier|annotator|moderator)s?\b[^\n]{0,80}?\b(?:output|return|answer|rate|score|mark|label|respond|reply|give|classify|print|write)\b/gi,
  /<\/?\s*(?:judge|rate|rating|verdict|score|label|answer)[\w-]*\s*>/gi,
  /\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|preceding|system)\s+(?:instructions|prompts?|rules|messages)/gi,
  /(?:评估者|评判者|评委|裁判|评分者|打分者|评审|判定者)[^\n]{0,40}?(?:输出|返回|回答|评分|打分|判定|给出)/g,
  /(?:忽略|无视|忘记)(?:之前|以上|前面|上述|所有)的?(?:所有)?(?:指令|指示|规则|提示)/g,
];

/** Spans of judge-directed text, in order. */
export function findJudgeDirectedText(text: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      spans.push({ start: match.index, end: match.index + match[0].length });
    }
  }
  return spans.sort((left, right) => left.start - right.start);
}
