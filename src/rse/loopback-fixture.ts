/**
 * Three scripted "models" for loopback tests and the benchmark: a reference, a target that writes in
 * the reference's style (same layout, openings, closings and word habits, different wording of the
 * details) and one that writes in a different style (terse, unformatted, other habits). Answers are
 * deterministic functions of the model name and the conversation. Also a scripted similarity judge that
 * reads the judge request the way an LLM would see it and answers in the requested tag format.
 */
import { createHash } from "node:crypto";
import type { ChatMessage } from "../models/types.ts";

export const referenceModelName = "reference-model";
export const similarModelName = "similar-model";
export const dissimilarModelName = "dissimilar-model";
export const judgeModelName = "judge-model";

function pick<T>(options: readonly T[], key: string): T {
  const digest = createHash("sha256").update(key).digest();
  return options[digest.readUInt32BE(0) % options.length]!;
}

function topicWords(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  const cjk = text.match(/[\u4e00-\u9fff]{2}/g) ?? [];
  return [...new Set([...words, ...cjk])].slice(0, 4);
}

const isChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

function structuredAnswer(prompt: string, turn: number, variant: string): string {
  const topic = topicWords(prompt);
  const subject = topic.join(" ") || "this";
  const verbs = variant === "reference" ? ["Start", "Check", "Review"] : ["Begin", "Verify", "Revisit"];
  const details =
    variant === "reference"
      ? ["the core idea", "each assumption", "the final result"]
      : ["the central idea", "every assumption", "the end result"];
  if (isChinese(prompt)) {
    const lead = variant === "reference" ? "以下是关于" : "下面是关于";
    return [
      "## 概述",
      "",
      `好问题！${lead}${subject}的清晰说明。`,
      "",
      `1. **第一步**：先理解${topic[0] ?? "问题"}。`,
      `2. **第二步**：${variant === "reference" ? "逐条检查" : "逐一核对"}每个条件。`,
      "3. **第三步**：总结结果。",
      "",
      "## 总结",
      "",
      "总之，耐心是关键。如有其他问题请告诉我！",
    ].join("\n");
  }
  const follow = turn > 0 ? ` Building on my previous answer (part ${turn + 1}).` : "";
  // The similar model keeps the habits but varies: sometimes a fourth step, sometimes no summary heading.
  const key = `${variant}|${prompt}|${turn}`;
  const extraStep = variant !== "reference" && pick([false, false, true], `${key}|step`);
  const summaryHeading = variant === "reference" || pick([true, true, false], `${key}|summary`);
  return [
    "## Overview",
    "",
    `Great question! Here is a clear breakdown of ${subject}.${follow}`,
    "",
    `1. **${verbs[0]}** with ${details[0]} of ${topic[0] ?? "the task"}.`,
    `2. **${verbs[1]}** ${details[1]} about ${topic[1] ?? "the details"}.`,
    `3. **${verbs[2]}** ${details[2]} for ${topic[2] ?? "the outcome"}.`,
    ...(extraStep ? [`4. **Practise** until ${topic[3] ?? "it"} feels natural.`] : []),
    "",
    ...(summaryHeading ? ["## Summary", ""] : []),
    `In short, ${topic[0] ?? "this"} comes down to a few careful steps. Let me know if you have any other questions!`,
  ].join("\n");
}

function terseAnswer(prompt: string, turn: number): string {
  const topic = topicWords(prompt);
  if (isChinese(prompt)) return `嗯，${topic[0] ?? "这个"}其实不难，多试几次就会了。`;
  const opener = pick(["ok so", "honestly,", "well"], `${prompt}|${turn}`);
  const body = `${opener} ${topic.slice(0, 2).join(" and ") || "that"} is mostly trial and error; try it, see what breaks, adjust.`;
  // Now and then a plain list, so the dissimilar style is not trivially formatting-free.
  if (pick([false, false, true], `${prompt}|${turn}|list`))
    return `${body}\n- ${topic[0] ?? "first"} first\n- then the rest`;
  return `${body} that's about it`;
}

/** The scripted answer of one of the three models to a conversation. */
export function scriptedAnswer(model: string, messages: readonly ChatMessage[]): string {
  const prompt = [...messages].reverse().find((message) => message.role === "user")?.content ?? "";
  const turn = messages.filter((message) => message.role === "assistant").length;
  if (model === referenceModelName) return structuredAnswer(prompt, turn, "reference");
  if (model === similarModelName) return structuredAnswer(prompt, turn, "similar");
  if (model === dissimilarModelName) return terseAnswer(prompt, turn);
  return `unknown model ${model}`;
}

function unescapeEntities(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/**
 * A scripted judge: finds the two answer blocks by the request's nonce and rates likeness by simple,
 * independent cues (shared formatting marks for style, line counts for logic, shared words for content),
 * with a deliberate +1 bias when the answer shown first is the longer one, which the two orders must
 * cancel. About one request in sixteen (by nonce) gets a reply without the verdict tag, so the retry
 * path is exercised.
 */
export function scriptedJudgeReply(messages: readonly ChatMessage[]): string {
  const content = messages.at(-1)?.content ?? "";
  const nonce = /<answer-a-([0-9a-f]+)>/.exec(content)?.[1];
  if (nonce === undefined) return "I could not find the answers.";
  if (nonce.startsWith("0")) return "They look fairly similar to me.";
  const block = (name: string) =>
    unescapeEntities(
      new RegExp(`<${name}-${nonce}>\\n([\\s\\S]*?)\\n</${name}-${nonce}>`).exec(content)?.[1] ?? "",
    );
  const first = block("answer-a");
  const second = block("answer-b");
  const marks = (text: string) => ["##", "**", "1.", "!", ":"].filter((mark) => text.includes(mark));
  const shared = marks(first).filter((mark) => marks(second).includes(mark)).length;
  const union = new Set([...marks(first), ...marks(second)]).size || 1;
  const lines = (text: string) => text.split("\n").length;
  const words = (text: string) => new Set(text.toLowerCase().match(/\p{L}+/gu) ?? []);
  const firstWords = words(first);
  const secondWords = words(second);
  const common = [...firstWords].filter((word) => secondWords.has(word)).length;
  const jaccard = common / Math.max(1, new Set([...firstWords, ...secondWords]).size);
  const clamp = (value: number) => Math.min(5, Math.max(1, Math.round(value)));
  const style = clamp(1 + 4 * (shared / union));
  const logic = clamp(
    1 + 4 * (Math.min(lines(first), lines(second)) / Math.max(lines(first), lines(second))),
  );
  const contentScore = clamp(1 + 4 * jaccard);
  const biased = (value: number) => Math.min(5, value + (first.length > second.length ? 1 : 0));
  const overall = clamp((style + logic + contentScore) / 3);
  return `The answers share some habits.\n<scores-${nonce}>style=${biased(style)} logic=${biased(logic)} content=${biased(contentScore)} overall=${biased(overall)}</scores-${nonce}>`;
}
