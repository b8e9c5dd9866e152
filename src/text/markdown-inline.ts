/**
 * One line of text made safe for a Markdown table cell or inline span: line breaks folded to spaces,
 * Markdown markup and pipes backslash-escaped, terminal controls shown as `\uXXXX` (terminal-text.ts).
 * HTML is escaped in one of two ways:
 * - for a Markdown file (`escapeMarkdownInline`): every `&`, `<` and `>`, which a renderer shows as written;
 * - for the terminal (`escapeMarkdownInlineForTerminal`), where nothing renders entities: only a `<` that
 *   could open a tag or comment and an `&` that would read as an entity, so "(1 < 5)" reads as written.
 */
import { terminalSafeLine } from "./terminal-text.ts";

function escapeInline(text: string, escapeHtml: (text: string) => string): string {
  const escaped = escapeHtml(text.replace(/[\r\n\u2028\u2029]+/g, " ")).replace(
    /[\\`*_[\]|~]/g,
    (character) => `\\${character}`,
  );
  return terminalSafeLine(escaped);
}

/** For Markdown files: no markup, HTML, pipe or line break from `text` survives. */
export function escapeMarkdownInline(text: string): string {
  return escapeInline(text, (plain) =>
    plain.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"),
  );
}

/** For Markdown printed on the terminal: the same, with `<` and `&` escaped only where they could open HTML. */
export function escapeMarkdownInlineForTerminal(text: string): string {
  return escapeInline(text, (plain) =>
    plain
      .replace(/&(?=[A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#[xX][0-9A-Fa-f]+;)/g, "&amp;")
      .replace(/<(?=[A-Za-z/!?])/g, "&lt;"),
  );
}
