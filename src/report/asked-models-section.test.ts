import assert from "node:assert/strict";
import { test } from "node:test";
import { askedModelsHtml, askedModelsMarkdown } from "./asked-models-section.ts";
import { askedModelsView } from "./asked-models-view.ts";
import { sampleIceResult } from "./sample-results.ts";

const hostile = "evil</td><script>alert(1)</script>|[x](http://a)\u202e";

function withModels(models: unknown) {
  return { ...sampleIceResult({ target: "t", items: 1 }), models } as ReturnType<typeof sampleIceResult>;
}

test("hostile ids, roles and endpoints are escaped in both reports; local endpoints are marked in words", () => {
  const views = [
    askedModelsView(
      "t",
      withModels([
        { role: hostile, id: hostile, endpoint: "127.0.0.1:1" },
        { role: "judge", id: "openai:gpt-4o", endpoint: `api.openai.com/${hostile}` },
        { role: "helper", id: "openai:h" },
      ]),
    ),
  ];
  const html = askedModelsHtml(views);
  assert.doesNotMatch(html, /<script>|<\/td><script/);
  assert.match(html, /<bdi>evil&lt;\/td&gt;&lt;script&gt;/);
  assert.match(html, /class="control" data-code="\\u202e"/);
  assert.match(html, /<strong>LOCAL: loopback address/);
  assert.match(html, /<td>–<\/td><td>not recorded<\/td>/);
  const markdown = askedModelsMarkdown(views)!;
  assert.doesNotMatch(markdown, /<script>|(?<!\\)\]\(http|(?<!\\)\|\[/);
  assert.ok(!markdown.includes("\u202e"), "the override is shown as an escape, not kept");
  assert.equal(markdown.split("\n").filter((line) => line.startsWith("| ")).length, 2 + 3);
  assert.match(markdown, /\*\*LOCAL: loopback address/);
});

test("a result without the field is said not to record endpoints; a key-shaped endpoint is redacted", () => {
  const key = "sk-proj-0123456789abcdefghijklmnopqrstuv";
  const views = [
    askedModelsView("old", sampleIceResult({ target: "old", items: 1 })),
    askedModelsView("new", withModels([{ role: "target", id: "openai:m", endpoint: `gw:1/${key}` }])),
  ];
  assert.equal(views[0]!.models, undefined);
  const markdown = askedModelsMarkdown(views)!;
  assert.match(markdown, /^old \(ice\): this result does not record where its models were asked/m);
  assert.ok(!markdown.includes(key));
  assert.ok(!askedModelsHtml(views).includes(key));
  assert.equal(askedModelsMarkdown([]), undefined);
  assert.equal(askedModelsHtml([]), "");
});

test("a target's ICE and RSE results, which share its label, are told apart by their kind", () => {
  const ice = withModels([{ role: "target", id: "openai:m", endpoint: "api.openai.com" }]);
  const rse = { ...ice, kind: "rse" } as unknown as typeof ice;
  const views = [askedModelsView("m", ice), askedModelsView("m", rse)];
  const markdown = askedModelsMarkdown(views)!;
  const rows = markdown.split("\n").filter((line) => line.startsWith("| m |"));
  assert.deepEqual(
    rows.map((line) => line.split("|")[2]?.trim()),
    ["ice", "rse"],
  );
  assert.notEqual(rows[0], rows[1]);
  const html = askedModelsHtml(views);
  assert.match(html, /<th>Result<\/th><th>Kind<\/th>/);
  assert.match(html, /<td><bdi>m<\/bdi><\/td><td><bdi>ice<\/bdi><\/td>/);
  assert.match(html, /<td><bdi>m<\/bdi><\/td><td><bdi>rse<\/bdi><\/td>/);
});
