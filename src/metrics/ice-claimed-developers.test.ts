import assert from "node:assert/strict";
import test from "node:test";
import { analyseIdentity } from "../identity/claims.ts";
import { claimedDevelopers, claimedDevelopersText } from "./ice-claimed-developers.ts";

/** Items as the embedded judge writes them: its strict verdict and its claims. */
function judged(response: string, identity = "upstage") {
  const verdict = analyseIdentity({ response, identity });
  return { strict: verdict.strict, claims: verdict.claims };
}

test("strict answers are counted per claimed developer, most first; own and negated claims are not", () => {
  const items = [
    judged("I'm Claude, an AI assistant made by Anthropic."),
    judged("I'm Claude, an AI assistant made by Anthropic."),
    judged("I am ChatGPT, developed by OpenAI."),
    judged("I am Solar Mini, developed by Upstage."),
    judged("I am not ChatGPT and OpenAI did not make me; Upstage did."),
    judged(""),
  ];
  const claimed = claimedDevelopers(items, "upstage");
  assert.deepEqual(claimed, [
    { developer: "anthropic", answers: 2 },
    { developer: "openai", answers: 1 },
  ]);
  assert.equal(claimedDevelopersText(claimed), "anthropic 2, openai 1");
});

test("a strict verdict without a recorded claim (an LLM judge's) is counted as unnamed", () => {
  assert.deepEqual(
    claimedDevelopers([{ strict: true, claims: [] }, { strict: null }, { strict: false }], "x"),
    [{ developer: "unnamed", answers: 1 }],
  );
  assert.deepEqual(claimedDevelopers([], "x"), []);
});
