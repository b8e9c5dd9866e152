import assert from "node:assert/strict";
import test from "node:test";
import { escapeHtml, escapeLabel } from "./html-escape.ts";
import { promptSetNotes } from "./prompt-set-note.ts";

const sharegpt = {
  dataset: "sharegpt",
  source: "data/sg.json",
  skipped: { "no human turn": 1, "duplicate id": 2, empty: 0 },
  shortened: { "cut at a system turn after a human turn": 3 },
};

test("one sentence per set that left records out, then one per set that shortened some", () => {
  const plain = { dataset: "default", source: "built-in", skipped: {} };
  const onlyShortened = { dataset: "chat", source: "c.json", skipped: { empty: 0 }, shortened: { cut: 1 } };
  assert.deepEqual(promptSetNotes([plain, sharegpt, onlyShortened], { name: (text) => text }), [
    'Left out of sharegpt (data/sg.json): 3 record(s) of the file (no human turn: 1, duplicate id: 2); see "prompts" in the result.',
    'Shortened in sharegpt (data/sg.json): 3 record(s) of the file (cut at a system turn after a human turn: 3); see "prompts" in the result.',
    'Shortened in chat (c.json): 1 record(s) of the file (cut: 1); see "prompts" in the result.',
  ]);
  assert.deepEqual(promptSetNotes([plain], { name: (text) => text }), []);
});

test("names, sources and reasons go through the name escaper, the fixed words through the text one", () => {
  const hostile = {
    dataset: "<img src=x onerror=alert(1)>",
    source: "a\u202eb.json",
    skipped: { "</p><script>x</script>": 1 },
  };
  assert.deepEqual(promptSetNotes([hostile], { name: escapeLabel, text: escapeHtml }), [
    "Left out of <bdi>&lt;img src=x onerror=alert(1)&gt;</bdi> (<bdi>a" +
      '<span class="control" data-code="\\u202e">&#x202e;</span>b.json</bdi>): 1 record(s) of the file ' +
      "(<bdi>&lt;/p&gt;&lt;script&gt;x&lt;/script&gt;</bdi>: 1); see &quot;prompts&quot; in the result.",
  ]);
});
