import assert from "node:assert/strict";
import test from "node:test";
import { escapeMarkdownInline, escapeMarkdownInlineForTerminal } from "./markdown-inline.ts";

test("for a Markdown file every &, < and > is an entity; markup, pipes and line breaks are escaped", () => {
  assert.equal(
    escapeMarkdownInline("a <b>|c</b>\n& *d* 1 < 5"),
    "a &lt;b&gt;\\|c&lt;/b&gt; &amp; \\*d\\* 1 &lt; 5",
  );
});

test("for the terminal only a < or & that could open HTML is escaped; the rest reads as written", () => {
  assert.equal(
    escapeMarkdownInlineForTerminal("too few (1 < 5) & <img src=x> &amp; <!-- x -->|\u001b[31m"),
    "too few (1 < 5) & &lt;img src=x> &amp;amp; &lt;!-- x -->\\|\\u001b\\[31m",
  );
});

test("bidi embeddings, overrides and isolates in a label are shown as escapes in both variants", () => {
  const label = "a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j";
  const shown = "a\\u202ab\\u202bc\\u202cd\\u202de\\u202ef\\u2066g\\u2067h\\u2068i\\u2069j";
  assert.equal(escapeMarkdownInline(label), shown);
  assert.equal(escapeMarkdownInlineForTerminal(label), shown);
});
