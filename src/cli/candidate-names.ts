/**
 * `--candidates <list>` of `lineage`: repeatable, each value split on commas, and `\,` is a comma inside
 * a name (as in Helm's `--set`), so that an AlpacaEval folder named `b,c` can be a candidate:
 * `--candidates 'a,b\,c'` or `--candidates a --candidates 'b\,c'`. Every other backslash is kept as it
 * is. Names are trimmed; blank names between commas are skipped.
 */
import { Option } from "commander";
import { InputError } from "../errors.ts";

const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The `--candidates <list>` option, for `.addOption()`: its value is the list of the values given. */
export function candidatesOption(): Option {
  return new Option(
    "--candidates <list>",
    "comma-separated candidate teachers (repeatable; a comma inside a name is written \\, in quotes: 'b\\,c'; default: every model, tested against the others)",
  ).argParser(repeatable);
}

/** The parts of one `--candidates` value between its separating commas, `\,` read as a comma, untrimmed. */
function parts(value: string): string[] {
  const found: string[] = [];
  let current = "";
  for (let index = 0; index < value.length; index++) {
    const character = value[index]!;
    if (character === "\\" && value[index + 1] === ",") {
      current += ",";
      index++;
    } else if (character === ",") {
      found.push(current);
      current = "";
    } else current += character;
  }
  found.push(current);
  return found;
}

/**
 * The model names of every `--candidates` value, in order; InputError (exit 2) when they name none
 * (`--candidates " , "`), since leaving the flag out is how to test every model.
 */
export function candidateNames(values: readonly string[]): string[] {
  const names = values.flatMap((value) =>
    parts(value)
      .map((name) => name.trim())
      .filter((name) => name !== ""),
  );
  if (names.length === 0)
    throw new InputError(
      `--candidates lists no model (got ${values.map((value) => JSON.stringify(value)).join(", ")}); give comma-separated model names, or leave it out to test every model`,
    );
  return names;
}

/**
 * InputError when a name the commas made is not a model but the commas split a model's name: `b` and `c`
 * from `--candidates b,c` when the corpus has a model `b,c`. The message gives the value to write instead.
 * Other unknown names are left to the lineage check, which lists the models and its own suggestions.
 */
export function refuseSplitModelNames(values: readonly string[], models: readonly string[]): void {
  const known = new Set(models);
  for (const value of values) {
    const split = parts(value);
    for (let start = 0; start < split.length; start++)
      for (let end = start + 1; end < split.length; end++) {
        const joined = split
          .slice(start, end + 1)
          .join(",")
          .trim();
        const unknown = split
          .slice(start, end + 1)
          .map((name) => name.trim())
          .find((name) => name !== "" && !known.has(name));
        if (known.has(joined) && unknown !== undefined)
          throw new InputError(
            `--candidates: "${unknown}" is not a model in the corpus, but "${joined}" is: a comma inside a name is written \\, (--candidates ${shellQuoted(joined.replaceAll(",", "\\,"))})`,
          );
      }
  }
}

/** The value quoted for a POSIX shell, in which `\,` reaches the program as it is written. */
function shellQuoted(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
