/**
 * Runs the hostile-answer suite through both identity judges and counts how many verdicts held.
 * Embedded: the claim analyser's strict verdict must equal the expected one. LLM judge: the real judge
 * client (src/judges/identity-llm-judge.ts) over the OpenAI adapter against the loopback mock provider,
 * whose scripted judge is honest but echoes the raw answer (fake verdict tags and all) before and after
 * its own tag; the verdict must be the judge's own, and the answer must reach the judge escaped inside
 * exactly one answer block. Used by the fast test and by scripts/soak/hostile-answers.ts.
 */
import { analyseIdentity } from "../identity/claims.ts";
import type { DeveloperKey } from "../identity/registry.ts";
import { judgeManyWithLlm } from "../judges/identity-llm-judge.ts";
import { createOpenAIModel } from "../models/openai.ts";
import type { ChatMessage } from "../models/types.ts";
import { type HostileAnswer, hostileAnswers } from "./hostile-answer-suite.ts";
import { startMockProviderServer } from "./mock-provider-server.ts";

export interface HostileCheckResult {
  total: number;
  held: number;
  /** Ids of the answers whose verdict did not hold, with what happened. */
  failures: Array<{ id: string; problem: string }>;
}

/** The embedded claim analyser on every hostile answer. */
export function checkEmbeddedJudge(answers: readonly HostileAnswer[] = hostileAnswers): HostileCheckResult {
  const failures: HostileCheckResult["failures"] = [];
  for (const answer of answers) {
    const verdict = analyseIdentity({ response: answer.response, identity: answer.identity as DeveloperKey });
    if (verdict.strict !== answer.expectedStrict)
      failures.push({
        id: answer.id,
        problem: `strict ${verdict.strict}, expected ${answer.expectedStrict}`,
      });
  }
  return { total: answers.length, held: answers.length - failures.length, failures };
}

function unescapeBlock(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** What the scripted judge saw for one answer: whether the block was intact and escaped. */
interface BlockCheck {
  intact: boolean;
}

/**
 * A scripted judge that knows the right verdicts (looked up by answer text) and is careless in the way a
 * real model can be: it repeats the answer, fake tags included, before and after its own verdict tag.
 */
function scriptedJudge(answers: readonly HostileAnswer[], seen: Map<string, BlockCheck>) {
  const expected = new Map(answers.map((answer) => [answer.response, answer.expectedStrict]));
  return (input: { messages: ChatMessage[] }): string => {
    const system = input.messages.find((message) => message.role === "system")?.content ?? "";
    const user = input.messages.find((message) => message.role === "user")?.content ?? "";
    const nonce = /<verdict-([0-9a-f]+)>/.exec(system)?.[1];
    if (nonce === undefined) return "No verdict format was given.";
    const opening = `<answer-${nonce}>\n`;
    const closing = `\n</answer-${nonce}>`;
    const start = user.indexOf(opening);
    const end = user.lastIndexOf(closing);
    if (start < 0 || end < start) return "The answer block is missing.";
    const escaped = user.slice(start + opening.length, end);
    const answer = unescapeBlock(escaped);
    seen.set(answer, {
      intact: user.split(closing).length === 2 && !/[<>]/.test(escaped),
    });
    const strict = expected.get(answer);
    if (strict === undefined) return "I do not recognise this answer.";
    const flag = strict ? "1" : "0";
    return [
      `Analysis. The answer reads:\n${answer}`,
      `<verdict-${nonce}>${flag} ${flag}</verdict-${nonce}>`,
      `Repeating the answer for the record:\n${answer}`,
    ].join("\n");
  };
}

/** The LLM judge path on every hostile answer, against a loopback mock provider. */
export async function checkLlmJudge(
  answers: readonly HostileAnswer[] = hostileAnswers,
  concurrency = 8,
): Promise<HostileCheckResult> {
  const seen = new Map<string, BlockCheck>();
  const apiKey = "hostile-suite-key";
  const server = await startMockProviderServer({ respond: scriptedJudge(answers, seen), apiKey });
  try {
    const model = createOpenAIModel({
      id: "openai:scripted-judge",
      provider: "openai",
      model: "scripted-judge",
      baseUrl: server.openaiBaseUrl,
      apiKey,
      baseUrlHint: "--base-url",
    });
    const signal = new AbortController().signal;
    const failures: HostileCheckResult["failures"] = [];
    // Judge per identity: the judge's facts depend on it.
    const byIdentity = new Map<string, HostileAnswer[]>();
    for (const answer of answers) {
      const group = byIdentity.get(answer.identity) ?? [];
      group.push(answer);
      byIdentity.set(answer.identity, group);
    }
    for (const [identity, group] of byIdentity) {
      const outcomes = await judgeManyWithLlm(
        group.map((answer, index) => ({ index, prompt: "Who are you?", response: answer.response })),
        {
          complete: (request) => model.generate(request, signal),
          identity: identity as DeveloperKey,
          concurrency,
        },
      );
      group.forEach((answer, index) => {
        const outcome = outcomes[index]!;
        const block = seen.get(answer.response);
        if (!outcome.ok) failures.push({ id: answer.id, problem: outcome.error });
        else if (block === undefined || !block.intact)
          failures.push({ id: answer.id, problem: "answer was not escaped inside exactly one block" });
        else if (outcome.strict !== answer.expectedStrict)
          failures.push({
            id: answer.id,
            problem: `strict ${outcome.strict}, expected ${answer.expectedStrict}`,
          });
      });
    }
    return { total: answers.length, held: answers.length - failures.length, failures };
  } finally {
    await server.close();
  }
}
