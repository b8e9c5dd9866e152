/**
 * Terminal-safe text: one rule for every piece of model-, corpus-, server- or file-derived text that is
 * printed to a terminal or written into Markdown (which is read in terminals and CI logs).
 *
 * The rule: every character that a terminal or a text renderer treats as a command rather than as text is
 * shown as a visible escape `\uXXXX` (four lower-case hex digits), so that `ESC [ 2 J` prints as
 * `\u001b[2J` instead of clearing the screen. That covers
 * - C0 controls U+0000-U+001F except tab and line feed (NUL, BEL, backspace, carriage return, ESC, ...),
 *   which also neutralises every ESC sequence (CSI colours and cursor moves, OSC 0 titles, OSC 8
 *   hyperlinks, OSC 52 clipboard writes) since the ESC that starts it is no longer there;
 * - DEL U+007F and the C1 controls U+0080-U+009F (CSI, OSC and ST have one-byte C1 forms);
 * - the bidi embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069, which reorder text.
 * A one-line field (a name, a path, an id) additionally shows line feed as `\u000a`, so that it cannot
 * forge a second line. A literal backslash-u in the text looks the same as an escape; the result JSON
 * and the HTML report keep the exact text.
 *
 * The module has no dependencies so that the report and model layers can use it too.
 */

/**
 * The characters the rule above shows as escapes, in text of several lines (tab and line feed kept).
 * The HTML report marks the same ones (html-escape.ts for labels, html-client.ts in the drill-down).
 */
export const multiLinePattern = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The same for a one-line field (a name, a path, an id): line feed too. */
export const oneLinePattern = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `\uXXXX` (four lower-case hex digits) for one character. */
export function visibleEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Text of several lines made terminal-safe: controls and bidi overrides shown as `\uXXXX`; tab and line feed kept. */
export function terminalSafe(text: string): string {
  return text.replace(multiLinePattern, visibleEscape);
}

/** A one-line field (name, path, id) made terminal-safe: like `terminalSafe`, and line feed shown as `\u000a`. */
export function terminalSafeLine(text: string): string {
  return text.replace(oneLinePattern, visibleEscape);
}

/** One-line text with every control character and bidi override removed; tab and line feed become spaces. */
export function withoutTerminalControls(text: string): string {
  return text.replace(/[\t\n]/g, " ").replace(oneLinePattern, "");
}
