import assert from "node:assert/strict";
import test from "node:test";
import { analyseIdentity } from "../../identity/claims.ts";
import { scoreIce } from "../../metrics/ice.ts";
import { summaryTable } from "./ice-summary.ts";

/** `templates` x 10 answers judged by the embedded judge for an Upstage model; every 5th claims Claude. */
function result(templates: number, command: string) {
  const inputs = Array.from({ length: templates * 10 }, (_, index) => {
    const response =
      index % 5 === 0
        ? "I'm Claude, an AI assistant made by Anthropic."
        : "I am Solar Mini, developed by Upstage.";
    return {
      index,
      template: `Template ${Math.floor(index / 10)}: {query}`,
      query: `Who made you? (${index % 10})`,
      response,
      verdict: analyseIdentity({ response, identity: "upstage" }),
    };
  });
  return scoreIce(inputs, {
    identity: "upstage",
    judge: "embedded",
    resamples: 200,
    source: { target: "openai:acme-7b", command },
  });
}

test("the summary names the developers the strict answers claim", () => {
  assert.match(
    summaryTable(result(6, "ice run"), "ice.json"),
    /\n {2}strict answers claim: anthropic 12 \(answers\)\n/,
  );
});

test("without intervals, the summary says why and, for ice run, which budget gives them", () => {
  const few = summaryTable(result(4, "ice run"), "ice.json");
  assert.match(few, /n\/a \(too few templates\)/);
  assert.match(
    few,
    /no 95% interval: the answers come from 4 templates and an interval needs 5; each template took 10 queries, so --budget 50 or more gives one/,
  );
  assert.match(
    summaryTable(result(4, "ice judge"), "ice.json"),
    /no 95% interval: the answers come from 4 templates and an interval needs 5\n/,
  );
  assert.doesNotMatch(summaryTable(result(6, "ice run"), "ice.json"), /no 95% interval/);
});
