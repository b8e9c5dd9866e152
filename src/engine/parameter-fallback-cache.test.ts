/**
 * The cache and a model that refuses temperature (models/parameter-fallback.ts, store/cache-key.ts):
 * runWork over the loopback mock provider with a real store. The answer obtained without temperature is
 * served again for the same request (same effective request: that model never gets a temperature), and
 * for no other: a request without a temperature, or with another one, is asked.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { forgetOmittedParameters } from "../models/parameter-fallback.ts";
import { createModel } from "../models/registry.ts";
import { openStore } from "../store/store.ts";
import { exportTranscripts, importTranscripts } from "../store/transcripts.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { runWork } from "./run-work.ts";
import type { WorkItem } from "./types.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-parameter-fallback-"));
let server: MockProviderServer;
let answers = 0;

before(async () => {
  server = await startMockProviderServer({
    rejectTemperatureModels: ["o3"],
    // Every answer differs, so a served answer can be told from a fresh one.
    respond: ({ model }) => `answer ${++answers} of ${model}`,
  });
});
after(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const items = (temperature: number | undefined): WorkItem[] =>
  ["a", "b"].map((id) => ({
    id,
    request: {
      messages: [{ role: "user", content: `question ${id}` }],
      ...(temperature === undefined ? {} : { temperature }),
    },
  }));

test("answers got without temperature are served again only for the same request", async () => {
  forgetOmittedParameters();
  const home = join(scratch, "home");
  const store = openStore(home);
  const environment = { OPENAI_API_KEY: "sk-test-0000" };
  const model = () => createModel("openai:o3", { baseUrl: server.openaiBaseUrl, environment });
  try {
    const first = await runWork({ model: model(), items: items(0), store });
    assert.equal(first.failures.length, 0, JSON.stringify(first.failures));
    assert.deepEqual(
      first.answers.map((answer) => [answer.cached, answer.sentWithout]),
      [
        [false, ["temperature"]],
        [false, ["temperature"]],
      ],
    );
    const freshTexts = first.answers.map((answer) => answer.response);

    // A new process would not know the model refuses temperature: the store alone must serve it.
    forgetOmittedParameters();
    server.resetStats();
    const again = await runWork({ model: model(), items: items(0), store });
    assert.equal(server.stats().requests, 0, "nothing asked again");
    assert.deepEqual(
      again.answers.map((answer) => [answer.response, answer.cached, answer.sentWithout]),
      freshTexts.map((text) => [text, true, ["temperature"]]),
      "served with the record that temperature was not sent",
    );

    // No temperature asked, or another one: other requests, asked again (not served from temperature 0).
    for (const temperature of [undefined, 0.7]) {
      server.resetStats();
      const other = await runWork({ model: model(), items: items(temperature), store });
      assert.ok(server.stats().requests >= 2, `temperature ${temperature}: asked`);
      assert.ok(other.answers.every((answer) => !answer.cached && !freshTexts.includes(answer.response)));
    }

    // The record: the parameters as asked, plus what was not sent; an export carries both.
    const out = join(scratch, "export.jsonl");
    await exportTranscripts(store, out, { model: "openai:o3" });
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const atZero = lines.filter((line) => line.parameters.temperature === 0);
    assert.equal(atZero.length, 2);
    for (const line of atZero) assert.deepEqual(line.parameters.sentWithout, ["temperature"]);

    // Imported into another store, the answers keep their key and their record.
    const imported = openStore(join(scratch, "imported-home"));
    try {
      await importTranscripts(imported, out);
      server.resetStats();
      const fromImport = await runWork({ model: model(), items: items(0), store: imported });
      assert.equal(server.stats().requests, 0);
      assert.deepEqual(
        fromImport.answers.map((answer) => [answer.response, answer.sentWithout]),
        freshTexts.map((text) => [text, ["temperature"]]),
      );
    } finally {
      imported.close();
    }
  } finally {
    store.close();
  }
});
