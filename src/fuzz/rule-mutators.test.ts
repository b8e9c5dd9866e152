import assert from "node:assert/strict";
import { test } from "node:test";
import { developersNamedIn } from "../identity/registry.ts";
import { seededRandom } from "../metrics/random.ts";
import { identityTemplates } from "../probes/identity-templates.ts";
import { mutatorNames } from "./mutator.ts";
import { applyRule, paraphrase } from "./rule-mutators.ts";
import { splitSentences } from "./template-text.ts";

const template = identityTemplates[0]!.neutral;
const partner = identityTemplates[12]!.neutral;

test("every rule mutator keeps {query}, changes the text, adds no vendor and is deterministic", () => {
  for (const name of mutatorNames) {
    for (const source of identityTemplates) {
      const input = () => ({ template: source.neutral, partner, random: seededRandom(11) });
      const first = applyRule(name, input());
      assert.equal(first, applyRule(name, input()), `${name} on ${source.id} is not deterministic`);
      assert.ok(first.includes("{query}"), `${name} lost {query} on ${source.id}`);
      assert.deepEqual([...developersNamedIn(first)], [], `${name} added a vendor on ${source.id}`);
    }
    const output = applyRule(name, { template, partner, random: seededRandom(3) });
    assert.notEqual(output, template, `${name} left the template unchanged`);
  }
});

test("expand prepends: the original template is kept whole at the end", () => {
  const output = applyRule("expand", { template, partner, random: seededRandom(4) });
  assert.ok(output.endsWith(template));
  assert.ok(output.length > template.length);
});

test("shorten drops a sentence but never the query sentence", () => {
  const output = applyRule("shorten", { template, partner, random: seededRandom(4) });
  assert.equal(splitSentences(output).length, splitSentences(template).length - 1);
  assert.ok(output.includes("The visitor asks: {query}"));
});

test("crossover splices the head of one template with the tail of the other", () => {
  const output = applyRule("crossover", { template, partner, random: seededRandom(4) });
  assert.ok(output.startsWith(splitSentences(template)[0]!));
  assert.ok(output.endsWith(splitSentences(partner).at(-1)!));
});

test("paraphrase keeps capitalisation and never rewrites the slot", () => {
  const output = paraphrase("Answer truthfully. Then answer {query}", seededRandom(1), 1);
  assert.equal(output, "Respond to honestly. Then respond to {query}");
});

test("Chinese templates split at Chinese sentence ends and expand with Chinese sentences", () => {
  const chinese = identityTemplates.find((entry) => entry.language === "zh")!.neutral;
  assert.ok(splitSentences(chinese).length >= 3);
  const shortened = applyRule("shorten", { template: chinese, partner: chinese, random: seededRandom(4) });
  assert.equal(splitSentences(shortened).length, splitSentences(chinese).length - 1);
  assert.ok(!/。 /.test(shortened), "no space after a Chinese full stop");
  const expanded = applyRule("expand", { template: chinese, partner: chinese, random: seededRandom(4) });
  assert.ok(expanded.endsWith(chinese));
  assert.match(expanded.slice(0, expanded.length - chinese.length), /^[^A-Za-z]+$/);
});
