/**
 * Escaping for the HTML report: text placed in markup, labels from input (each in its own bidi
 * isolate, controls marked), and JSON placed in a `<script type="application/json">` block (which must
 * never close the block or start a comment).
 */
import { oneLinePattern, visibleEscape } from "../text/terminal-text.ts";

const htmlEntities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML text node or a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => htmlEntities[character] ?? character);
}

/**
 * One control or bidi override of a label, marked as the drill-down marks them (html-client.ts): alone in
 * an isolated `.control` element that shows `\uXXXX` (its `data-code`). The character stays in the text,
 * as a character reference, where HTML can carry one: not NUL, nor a C1 control (the parser maps
 * `&#x80;`-`&#x9f;` to other characters); those are only marked.
 */
function controlMark(character: string): string {
  const code = character.charCodeAt(0);
  const kept = code === 0 || (code >= 0x80 && code <= 0x9f) ? "" : `&#x${code.toString(16)};`;
  return `<span class="control" data-code="${visibleEscape(character)}">${kept}</span>`;
}

/**
 * Markup for text from input shown outside the drill-down (a model, prompt set, candidate or file name, a
 * note from a result): escaped, inside its own `<bdi>` (so that right-to-left text or an unmatched
 * override can neither reorder the text around it nor be reordered by it), with every control, bidi
 * embedding, override and isolate (line feed included: a label is one line) marked as in the drill-down,
 * so that an RLO cannot reverse the label itself either.
 */
export function escapeLabel(text: string): string {
  return `<bdi>${escapeHtml(text).replace(oneLinePattern, controlMark)}</bdi>`;
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` become `\u003c`, `\u003e`
 * and `\u0026` (so no `</script>` or `<!--` can appear), and U+2028/U+2029 are escaped too.
 * `JSON.parse` of the block's textContent gives back the exact value.
 */
export function serializeJsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (character) => {
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
