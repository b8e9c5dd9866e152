import assert from "node:assert/strict";
import test from "node:test";
import { samplingFallbackSentence, samplingSubject } from "./sampling-note.ts";

test("the sentence names what was refused and its value, and says answers are not deterministic without temperature", () => {
  assert.equal(
    samplingFallbackSentence({ parameters: ["temperature"], asked: { temperature: 0 } }),
    "sampled without temperature (the model refused temperature 0): its answers are not deterministic, as it answered at its provider's default temperature",
  );
  assert.equal(
    samplingFallbackSentence({ parameters: ["temperature", "topP"], asked: { temperature: 0, topP: 0.9 } }),
    "sampled without temperature and top-p (the model refused temperature 0 and top-p 0.9): its answers are not deterministic, as it answered at its provider's default temperature and top-p",
  );
  // Top-p alone leaves temperature 0 in place: no claim about determinism; a value the result lacks is left out.
  assert.equal(
    samplingFallbackSentence({ parameters: ["topP"], asked: {} }),
    "sampled without top-p (the model refused top-p): it answered at its provider's default top-p",
  );
});

test("an RSE note names the model's part, with names escaped by the report's escaper", () => {
  const brackets = (text: string) => `[${text}]`;
  assert.equal(samplingSubject({ model: "o3", role: "target" }, "o3", brackets), "[o3] (target)");
  assert.equal(samplingSubject({ model: "r", role: "reference" }, "t", brackets), "[r] (reference for [t])");
  assert.equal(samplingSubject({ model: "x" }, "t", brackets), "[x]");
});
