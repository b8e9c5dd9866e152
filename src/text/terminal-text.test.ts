import assert from "node:assert/strict";
import { test } from "node:test";
import { terminalSafe, terminalSafeLine, withoutTerminalControls } from "./terminal-text.ts";

/** Every code point a terminal could act on; none may survive any of the three functions. */
const dangerous = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const hostile = [
  "\u001bc", // RIS: full terminal reset
  "\u001b]0;TITLE\u0007", // OSC 0: window title, BEL-terminated
  "\u001b]8;;http://evil.example/\u001b\\click\u001b]8;;\u001b\\", // OSC 8 hyperlink, ST-terminated
  "\u001b]52;c;aGk=\u0007", // OSC 52: clipboard write
  "\u001b[2J\u001b[1A\rFAKE OK", // clear screen, cursor up, carriage return over the previous line
  "\u009b31m\u009d0;C1\u009c", // one-byte C1 CSI / OSC / ST
  "nul\u0000del\u007fbs\u0008",
  "\u202eevil\u202c \u2066isolate\u2069",
].join(" | ");

test("terminalSafe shows every control and bidi override as a visible \\u escape and keeps tab and line feed", () => {
  const safe = terminalSafe(`${hostile}\nsecond\tline`);
  assert.doesNotMatch(safe, dangerous);
  assert.match(safe, /\\u001bc/);
  assert.match(safe, /\\u001b\]0;TITLE\\u0007/);
  assert.match(safe, /\\u001b\]8;;http:\/\/evil\.example\/\\u001b\\click/);
  assert.match(safe, /\\u009b31m/);
  assert.match(safe, /nul\\u0000del\\u007fbs\\u0008/);
  assert.match(safe, /\\u000dFAKE OK/);
  assert.match(safe, /\\u202eevil\\u202c \\u2066isolate\\u2069/);
  assert.ok(safe.endsWith("\nsecond\tline"));
});

test("terminalSafeLine also shows line feeds, so a name cannot forge a second line", () => {
  const safe = terminalSafeLine("evil\nOK       report     all-good.html");
  assert.equal(safe, "evil\\u000aOK       report     all-good.html");
  assert.doesNotMatch(terminalSafeLine(hostile), dangerous);
});

test("plain text, including non-Latin scripts, emoji and right-to-left letters, passes unchanged", () => {
  const plain = "Qwen 通义千问 — I am Claude 🤖 שלום مرحبا tab\there";
  assert.equal(terminalSafe(plain), plain);
  assert.equal(terminalSafeLine(plain), plain);
});

test("the escapes are printable, so applying the function twice changes nothing more", () => {
  const once = terminalSafe(hostile);
  assert.equal(terminalSafe(once), once);
});

test("withoutTerminalControls drops controls and bidi overrides and folds tab and line feed away", () => {
  const dropped = withoutTerminalControls("a\u001b]0;T\u0007b\u202ec\td\ne\u009bf");
  assert.equal(dropped, "a]0;Tbc d ef");
  assert.doesNotMatch(dropped, dangerous);
  assert.doesNotMatch(dropped, /[\n\t]/);
});
