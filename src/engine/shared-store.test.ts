import assert from "node:assert/strict";
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, test } from "node:test";
import { RuntimeFailure } from "../errors.ts";
import { cacheKey } from "../store/cache-key.ts";
import { openStore } from "../store/store.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { defaultAnswer, FakeModel } from "./fake-model.ts";
import { runWork } from "./run-work.ts";
import type { ChildTotals } from "./shared-store-child.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-shared-store-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const childPath = join(import.meta.dirname, "shared-store-child.ts");

interface Child {
  process: ChildProcess;
  ready: Promise<void>;
  totals: Promise<ChildTotals>;
  go(): void;
}

/** A forked process that runs one runWork into the store at `home` once told to go. */
function startChild(
  home: string,
  server: MockProviderServer,
  prefix: string,
  count: number,
  concurrency: number,
) {
  const child = fork(childPath, [home, server.openaiBaseUrl, prefix, String(count), String(concurrency)], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  let onReady = (): void => {};
  let onTotals = (_totals: ChildTotals): void => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const totals = new Promise<ChildTotals>((resolve, reject) => {
    onTotals = resolve;
    child.on("exit", (code, signal) => reject(new Error(`child exited (${code ?? signal}) without totals`)));
  });
  child.on("message", (message) => {
    if (message === "ready") onReady();
    else onTotals(message as ChildTotals);
  });
  const started: Child = { process: child, ready, totals, go: () => child.send("go") };
  return started;
}

const answerTo = (content: string): string => `answer to ${content}`;

async function answeringServer(latencyMs: number): Promise<MockProviderServer> {
  return startMockProviderServer({
    latencyMs,
    apiKey: "shared-store-key",
    respond: (input) => answerTo(input.messages.at(-1)?.content ?? ""),
  });
}

function storeRows(home: string): { answers: number; distinctKeys: number; claims: number; owners: number } {
  const database = new DatabaseSync(join(home, "distillscope.sqlite"), { readOnly: true });
  try {
    const count = (sql: string): number => Number(database.prepare(sql).get()?.n ?? 0);
    return {
      answers: count("SELECT count(*) AS n FROM answers"),
      distinctKeys: count("SELECT count(DISTINCT cache_key) AS n FROM answers"),
      claims: count("SELECT count(*) AS n FROM claims"),
      owners: count("SELECT count(*) AS n FROM claim_owners"),
    };
  } finally {
    database.close();
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test("a run alone on its store registers once and writes no claim (its requests are noted in memory only)", async () => {
  const home = join(scratch, "alone");
  const store = openStore(home);
  const seen: Array<{ claims: number; owners: number }> = [];
  const model = new FakeModel((call) => {
    const { claims, owners } = storeRows(home);
    seen.push({ claims, owners });
    return defaultAnswer(call);
  });
  const items = Array.from({ length: 20 }, (_, index) => ({
    id: `a${index}`,
    request: { messages: [{ role: "user" as const, content: `alone ${index}` }] },
  }));
  const result = await runWork({ model, items, store, concurrency: 4 });
  store.close();
  assert.equal(result.stats.answered, 20);
  assert.deepEqual(new Set(seen.map((state) => JSON.stringify(state))), new Set(['{"claims":0,"owners":1}']));
  assert.deepEqual(storeRows(home), { answers: 20, distinctKeys: 20, claims: 0, owners: 0 });
});

test("a request another run holds is not sent: the run serves that run's answer once stored, and stops at once on abort", async () => {
  const home = join(scratch, "held");
  const holder = openStore(home);
  const store = openStore(home);
  const model = new FakeModel();
  const [heldItem, freeItem] = ["held", "free"].map((name) => ({
    id: name,
    request: { messages: [{ role: "user" as const, content: `${name} question` }] },
  }));
  const heldKey = cacheKey({
    provider: model.provider,
    model: model.model,
    endpoint: model.endpoint,
    messages: heldItem!.request.messages,
    parameters: {},
    sample: 0,
  });
  // Another run (another connection: another process to the store) is sending the held item.
  holder.claims.join("holder", 60_000);
  holder.claims.startClaiming("holder", [heldKey], 60_000);
  try {
    const controller = new AbortController();
    const first = runWork({ model, items: [heldItem!, freeItem!], store, signal: controller.signal });
    await until(() => model.calls === 1, "the free item to be sent");
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual([...model.callsByPrompt.keys()], ["free question"], "the held item was not sent");
    const abortedAt = Date.now();
    controller.abort();
    await assert.rejects(
      first,
      (error: unknown) => error instanceof RuntimeFailure && /interrupted/.test(error.message),
    );
    assert.ok(Date.now() - abortedAt < 1000, "the wait ends with the abort");

    const second = runWork({ model, items: [heldItem!], store });
    await new Promise((resolve) => setTimeout(resolve, 100));
    holder.saveAnswers(
      null,
      [
        {
          cacheKey: heldKey,
          answer: {
            id: "held",
            sample: 0,
            model: model.id,
            endpoint: model.endpoint,
            messages: heldItem!.request.messages,
            parameters: {},
            response: "the holder's answer",
            usage: { inputTokens: 2, outputTokens: 3 },
            latencyMs: 5,
            attempts: 1,
          },
          attempts: [],
        },
      ],
      { releaseClaimsOf: "holder" },
    );
    const result = await second;
    assert.equal(result.answers[0]?.response, "the holder's answer");
    assert.equal(result.answers[0]?.cached, true);
    assert.equal(model.calls, 1, "still only the free item was ever sent");
  } finally {
    holder.claims.leave("holder");
    holder.close();
    store.close();
  }
});

for (const { concurrency, latencyMs } of [
  { concurrency: 8, latencyMs: 2 },
  { concurrency: 32, latencyMs: 0 },
]) {
  test(`two processes collecting the same 300 prompts at the same moment send each prompt once (concurrency ${concurrency}, ${latencyMs} ms answers)`, async () => {
    const count = 300;
    const server = await answeringServer(latencyMs);
    const home = join(scratch, `same-moment-${concurrency}`);
    const prefix = `same moment ${concurrency}`;
    try {
      const children = [1, 2].map(() => startChild(home, server, prefix, count, concurrency));
      await Promise.all(children.map((child) => child.ready));
      for (const child of children) child.go();
      const totals = await Promise.all(children.map((child) => child.totals));

      const asked = server.stats().successfulByPrompt;
      assert.equal(server.stats().requests, count, "the server was asked each prompt once");
      assert.equal(asked.size, count);
      assert.deepEqual(new Set(asked.values()), new Set([1]));
      const expected = Array.from({ length: count }, (_, index) => answerTo(`${prefix} ${index}`));
      for (const child of totals) {
        assert.deepEqual(child.responses, expected, "every item answered, with its own answer");
        assert.equal(child.failed, 0);
        assert.equal(child.answered + child.cached, count);
      }
      assert.equal(totals[0]!.answered + totals[1]!.answered, count, "each prompt paid by one process");
      assert.deepEqual(storeRows(home), { answers: count, distinctKeys: count, claims: 0, owners: 0 });
    } finally {
      await server.close();
    }
  });
}

test("when the process holding the claims is killed, the other one sends those prompts itself and loses none", async (context) => {
  const count = 20;
  // The first process's requests hang: it dies holding them.
  const server = await answeringServer(60_000);
  const home = join(scratch, "owner-killed");
  const prefix = "owner killed";
  try {
    const first = startChild(home, server, prefix, count, count);
    first.totals.catch(() => {}); // it is killed before it has any
    await first.ready;
    first.go();
    await until(() => server.stats().requests === count, "the first process to send every prompt");
    const second = startChild(home, server, prefix, count, count);
    await second.ready;
    second.go();
    // The second one arrives, the first claims what it has in flight, the second waits for those claims.
    await until(() => storeRows(home).claims === count, "the first process to claim its requests");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(server.stats().requests, count, "nothing sent while the claims' owner lives");

    server.setOptions({ latencyMs: 1 });
    const killedAt = Date.now();
    first.process.kill("SIGKILL");
    const totals = await second.totals;
    const takeoverSeconds = (Date.now() - killedAt) / 1000;
    context.diagnostic(`the survivor finished ${takeoverSeconds.toFixed(2)} s after the kill`);

    assert.equal(totals.failed, 0);
    assert.equal(totals.answered, count, "every prompt asked again by the survivor");
    assert.deepEqual(
      totals.responses,
      Array.from({ length: count }, (_, index) => answerTo(`${prefix} ${index}`)),
    );
    assert.equal(server.stats().requests, 2 * count, "the dead process's requests, then the survivor's");
    // Its process is gone at once: no need to wait out the lease (15 s).
    assert.ok(takeoverSeconds < 5, `took over ${takeoverSeconds} s after the kill`);
    assert.deepEqual(storeRows(home), { answers: count, distinctKeys: count, claims: 0, owners: 0 });
  } finally {
    await server.close();
  }
});
