import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { multiLinePattern, oneLinePattern } from "../text/terminal-text.ts";
import { clientScript } from "./html-client.ts";
import { escapeHtml, escapeLabel, serializeJsonForScript } from "./html-escape.ts";

test("escapeHtml escapes every character that could start markup or end an attribute", () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
});

test("the JSON data block never contains <, > or & and parses back to the same value", () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.string({ unit: "binary" }), (value, text) => {
      for (const input of [value, { text }, [text, "</script><!--", "\u2028\u2029"]]) {
        const serialized = serializeJsonForScript(input);
        assert.doesNotMatch(serialized, /[<>&\u2028\u2029]/);
        assert.deepEqual(JSON.parse(serialized), JSON.parse(JSON.stringify(input)));
      }
    }),
    { numRuns: 300 },
  );
});

test("a label sits in its own <bdi>; each control or bidi override is kept, marked and isolated", () => {
  assert.equal(
    escapeLabel("my\u202Eledom<b> x\u2066y\u2069"),
    '<bdi>my<span class="control" data-code="\\u202e">&#x202e;</span>ledom&lt;b&gt; x<span class="control" data-code="\\u2066">&#x2066;</span>y<span class="control" data-code="\\u2069">&#x2069;</span></bdi>',
  );
  // A label is one line: a line feed is marked too. NUL and C1 controls have no character reference
  // that survives HTML parsing, so they are only marked.
  assert.equal(
    escapeLabel("a\nb\u0000c\u009bd\u001be\tf"),
    '<bdi>a<span class="control" data-code="\\u000a">&#xa;</span>b<span class="control" data-code="\\u0000"></span>c<span class="control" data-code="\\u009b"></span>d<span class="control" data-code="\\u001b">&#x1b;</span>e\tf</bdi>',
  );
  assert.equal(escapeLabel("openai:gpt-4o"), "<bdi>openai:gpt-4o</bdi>");
});

/** The text a browser gets from a label's markup (tags dropped, references decoded). */
function textOf(markup: string): string {
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };
  return markup
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|[a-z0-9#]+);/g, (_, name: string) =>
      name.startsWith("#x")
        ? String.fromCharCode(Number.parseInt(name.slice(2), 16))
        : (entities[name] ?? ""),
    );
}

/** Characters that matter to a label: markup, controls, bidi overrides and isolates, right-to-left text. */
const labelCharacter = fc.constantFrom(
  ..."a<>&\"'\n\t\r\u0000\u001b\u007f\u0085\u009b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u05d0\u0627",
);

test("any label: no raw control or bidi character, no markup of its own, and the same text back", () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: labelCharacter })), (label) => {
      const markup = escapeLabel(label);
      assert.doesNotMatch(markup, oneLinePattern);
      assert.equal(markup.match(/<bdi>/g)?.length, 1);
      assert.doesNotMatch(
        markup.replace(/<\/?bdi>|<span class="control" data-code="\\u[0-9a-f]{4}">|<\/span>/g, ""),
        /[<>]/,
      );
      // All but NUL and C1 controls, which HTML cannot carry, come back.
      assert.equal(textOf(markup), label.replace(/[\u0000\u0080-\u009f]/g, ""));
    }),
    { numRuns: 300 },
  );
});

test("the drill-down marks the same characters as the labels and the Markdown (one pattern)", () => {
  assert.ok(clientScript.includes(`const controls = /${multiLinePattern.source}/g;`));
});
