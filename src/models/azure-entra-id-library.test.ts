/**
 * The library entry points check a Microsoft Entra ID sign-in before any request, as the CLI commands do:
 * a model whose token cannot be had stops collect, runIce and runRse with an InputError, and the loopback
 * server behind every model (target, reference, helper, judge) is never asked anything.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { collect } from "../engine/collect.ts";
import { InputError } from "../errors.ts";
import { runIce } from "../ice/run.ts";
import { loadPromptSets } from "../probes/prompt-sets/load.ts";
import { runRse } from "../rse/run.ts";
import { openStore, type Store } from "../store/store.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { signsInWithEntraId } from "./azure-entra-id.ts";
import { createModel } from "./registry.ts";
import type { Model } from "./types.ts";

let server: MockProviderServer;
let folder: string;
let store: Store;

before(async () => {
  server = await startMockProviderServer();
  folder = mkdtempSync(join(tmpdir(), "entra-library-"));
  store = openStore(join(folder, "home"));
});

after(async () => {
  store.close();
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A model on the loopback server that answers with a key. */
function keyedModel(name: string): Model {
  return createModel(`openai:${name}`, {
    baseUrl: server.openaiBaseUrl,
    environment: { OPENAI_API_KEY: "sk-test" },
  });
}

/** The same, marked as signing in with Entra ID through a source that has no credential. */
function notSignedIn(name: string): Model {
  return signsInWithEntraId(keyedModel(name), async () => ({
    ok: false,
    errorClass: "fatal",
    message: `azure:${name}: no Microsoft Entra ID credential was found (run az login)`,
  }));
}

function assertSignInError(name: string) {
  return (error: unknown) => {
    assert.ok(error instanceof InputError, String(error));
    assert.equal(error.message, `azure:${name}: no Microsoft Entra ID credential was found (run az login)`);
    return true;
  };
}

test("collect: no request and no output file when the model cannot sign in", async () => {
  server.resetStats();
  const promptsPath = join(folder, "prompts.jsonl");
  writeFileSync(promptsPath, `${JSON.stringify({ id: "p1", prompt: "Hello?" })}\n`);
  const outPath = join(folder, "out.jsonl");
  await assert.rejects(
    collect({ model: notSignedIn("target"), promptsPath, outPath, store }),
    assertSignInError("target"),
  );
  assert.equal(server.stats().requests, 0);
  assert.equal(existsSync(outPath) || existsSync(`${outPath}.partial`), false);
});

test("runIce: a judge or helper that cannot sign in stops the run before the target is asked", async () => {
  server.resetStats();
  await assert.rejects(
    runIce({
      target: keyedModel("target"),
      store,
      identity: "openai",
      budget: 4,
      judge: { kind: "llm", model: notSignedIn("judge") },
    }),
    assertSignInError("judge"),
  );
  await assert.rejects(
    runIce({
      target: keyedModel("target"),
      store,
      identity: "openai",
      budget: 4,
      helper: notSignedIn("helper"),
    }),
    assertSignInError("helper"),
  );
  assert.equal(server.stats().requests, 0);
});

test("runRse: a reference that cannot sign in stops the run before the target is asked", async () => {
  server.resetStats();
  const promptSets = await loadPromptSets(["default"], { limit: 3 });
  await assert.rejects(
    runRse({
      target: keyedModel("target"),
      references: [keyedModel("first"), notSignedIn("second")],
      promptSets,
      store,
    }),
    assertSignInError("second"),
  );
  assert.equal(server.stats().requests, 0);
  // The same models with keys only: the run asks the server (the check above is what stopped it).
  const result = await runRse({
    target: keyedModel("target"),
    references: [keyedModel("first")],
    promptSets,
    store,
  });
  assert.ok(server.stats().requests > 0);
  assert.equal(result.kind, "rse");
});
