import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parquetWriteBuffer } from "hyparquet-writer";
import { InputError } from "../../errors.ts";
import { loadNuminaParquet } from "./numina.ts";

const folder = mkdtempSync(join(tmpdir(), "numina-columns-"));
after(() => rmSync(folder, { recursive: true, force: true }));

function parquet(name: string, columnData: Parameters<typeof parquetWriteBuffer>[0]["columnData"]): string {
  const path = join(folder, name);
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData })));
  return path;
}
const inputError = (message: RegExp) => (error: unknown) =>
  error instanceof InputError && message.test(error.message);

describe("NuminaMath Parquet with unexpected columns", () => {
  it("names the missing columns and the file's columns, not row 1", async () => {
    const path = parquet("question-answer.parquet", [
      { name: "question", data: ["Find x if 2x = 6.", "Primes below 20?"], type: "STRING" },
      { name: "answer", data: ["3", "8"], type: "STRING" },
    ]);
    await assert.rejects(
      loadNuminaParquet(path),
      inputError(
        /question-answer\.parquet: no column "problem" or "messages" \(the file's columns: question, answer\); name the column that holds the prompts "problem"/,
      ),
    );
  });
  it("matches column names exactly (a column named Problem is not problem)", async () => {
    const path = parquet("capitalised.parquet", [{ name: "Problem", data: ["a?"], type: "STRING" }]);
    await assert.rejects(loadNuminaParquet(path), inputError(/the file's columns: Problem\)/));
  });
  it("still names the row of a blank problem when the file has no messages column", async () => {
    const path = parquet("blank.parquet", [
      { name: "problem", data: ["Find x if 2x = 6.", " "], type: "STRING" },
      { name: "solution", data: ["3", "x"], type: "STRING" },
    ]);
    await assert.rejects(loadNuminaParquet(path), inputError(/blank\.parquet row 2: field "problem"/));
  });
  it("reads a file with the problem column among extra columns", async () => {
    const path = parquet("extra.parquet", [
      { name: "question", data: ["ignored"], type: "STRING" },
      { name: "problem", data: ["Find x if 2x = 6."], type: "STRING" },
    ]);
    const set = await loadNuminaParquet(path);
    assert.deepEqual(
      set.prompts.map((prompt) => prompt.turns),
      [["Find x if 2x = 6."]],
    );
  });
});
