/**
 * Reader for the score CSV files of Lee et al. 2025 (`loose_score/*.csv`, `strict_score/*.csv`):
 * RFC 4180 quoting, fields spanning lines. Used by validation to match labels to attack rows.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../errors.ts";

/** Parses CSV text into rows of fields (RFC 4180: double quotes, doubled quotes, embedded newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index++;
        } else quoted = false;
      } else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ",") {
      row.push(field);
      field = "";
    } else if (character === "\n" || character === "\r") {
      if (character === "\r" && text[index + 1] === "\n") index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += character;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Reads a CSV file with a header row into records keyed by column name. */
export function readCsvRecords(file: string): Array<Record<string, string>> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError(`${file}: cannot read the file`);
  }
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
  if (header === undefined) return [];
  return rows
    .filter((row) => row.length > 1 || (row[0] ?? "") !== "")
    .map((row) => Object.fromEntries(header.map((name, column) => [name, row[column] ?? ""])));
}
