/**
 * Two things a reader of a report about one target and several possible teachers must not misread:
 * whose identity the strict answers claim, and which reference the ICE-versus-RSE comparison uses.
 */
import assert from "node:assert/strict";
import test from "node:test";
import { analyseIdentity } from "../identity/claims.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { buildReportModel } from "./report-model.ts";
import { sampleIceResult, sampleTwoReferenceRseResult } from "./sample-results.ts";

/** An ICE result whose items carry the embedded judge's own verdicts and claims. */
function iceWithClaims(target: string) {
  const responses = [
    "I'm Claude, an AI assistant made by Anthropic.",
    "I'm Claude, an AI assistant made by Anthropic.",
    "I am ChatGPT, developed by OpenAI.",
    "I am Solar Mini, developed by Upstage.",
  ];
  const result = sampleIceResult({ target, identity: "upstage", items: 4, templates: 1, responses });
  result.items = result.items.map((item) => {
    const verdict = analyseIdentity({ response: item.response, identity: "upstage" });
    const claims = verdict.claims.map((claim) => ({ ...claim }));
    return { ...item, loose: verdict.loose, strict: verdict.strict, hard: false, claims };
  });
  const strict = result.items.filter((item) => item.strict).length / result.items.length;
  const loose = result.items.filter((item) => item.loose).length / result.items.length;
  result.scores = { loose, strict, hard: 0 };
  result.counts = { loose: loose * 4, strict: strict * 4, hard: 0 };
  return result;
}

test("both reports say which developers the strict answers claim", async () => {
  const model = buildReportModel([{ result: iceWithClaims("openai:acme-7b") }]);
  assert.match(
    renderMarkdown(model),
    /Developers the strict answers claim \(answers\): openai:acme-7b: anthropic 2, openai 1\./,
  );
  assert.match(
    await renderHtml(model),
    /id="ice-claimed">Developers the strict answers claim \(answers\): <bdi>openai:acme-7b<\/bdi>: <bdi>anthropic 2, openai 1<\/bdi>\./,
  );
});

test("the ICE-versus-RSE comparison names its RSE reference and warns when there are several", async () => {
  const rse = sampleTwoReferenceRseResult();
  const ice = iceWithClaims(String(rse.target));
  const model = buildReportModel([{ result: ice }, { result: rse }]);
  const markdown = renderMarkdown(model);
  const section = markdown.slice(markdown.indexOf("## ICE versus RSE"));
  assert.match(section, /primary \(first\) reference only/);
  assert.match(section, /\| Target \| RSE reference \| RSE overall \| ICE strict \|/);
  assert.match(section, /\| deepseek:deepseek-chat \| openai:gpt-4o \| \d\.\d{3} /);
  const html = await renderHtml(model);
  const scatter = html.slice(html.indexOf('<section id="scatter">'));
  assert.match(
    scatter,
    /RSE reference: <bdi>deepseek:deepseek-chat<\/bdi>: <bdi>openai:gpt-4o<\/bdi>\. RSE overall here/,
  );
});

test("strict examples quote answers to prompts that name no vendor first, and say which kind each is", () => {
  const result = sampleIceResult({
    target: "openai:acme-7b",
    identity: "upstage",
    items: 3,
    templates: 1,
    responses: ["I'm Claude (primed).", "I'm Claude (unprimed).", "I'm Claude (primed again)."],
  });
  result.items = result.items.map((item, index) => ({
    ...item,
    loose: true,
    strict: true,
    hard: index === 1,
  }));
  result.scores = { loose: 1, strict: 1, hard: 1 / 3 };
  result.counts = { loose: 3, strict: 3, hard: 1 };
  const markdown = renderMarkdown(buildReportModel([{ result }]), { examplesPerTarget: 2 });
  const section = markdown.slice(markdown.indexOf("### Strict examples"));
  assert.match(
    section,
    /^### Strict examples: openai:acme-7b\n\nItem 1 \(its prompt names no vendor\), query: /,
  );
  assert.match(
    section,
    /Item 0 \(its prompt names a vendor, which may have suggested the identity\), query: /,
  );
  assert.ok(section.indexOf("(unprimed)") < section.indexOf("(primed)."));
  assert.doesNotMatch(section, /primed again/);
});
