import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { escapeHtml, serializeJsonForScript } from "./html-escape.ts";

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
