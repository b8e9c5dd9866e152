/**
 * A Microsoft Entra ID sign-in is checked before any request: `audit`, `ice run` and `rse run` with an
 * `azure:` model that signs in (no AZURE_OPENAI_API_KEY) and a model with a key stop with exit 2 and the
 * sign-in's one line before the model with a key is asked anything, when the fake `az` is not logged in.
 * Signed in, the check's token is the one the requests use (one `az` call in all); with a key, `az` is
 * never run. The CLI runs as a child process against the loopback mock server.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type FakeAz, fakeAzEnvironment, writeFakeAz } from "../testing/fake-az.ts";
import { runRecordingPackages } from "../testing/loaded-packages.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";

// The mock server takes one credential: the openai: target's key and the azure: model's token are the same.
const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.CHECK-ENTRA-TOKEN-5e1d7c0b9a.signature";
const noSignIn =
  "distillscope: azure:prod-chat: no Azure credential worked (no key, no Microsoft Entra ID sign-in); set AZURE_OPENAI_API_KEY, or run `az login` (or `azd auth login`); AZURE_TOKEN_CREDENTIALS=dev tries only these developer sign-ins\n";
let scratch: string;
let server: MockProviderServer;
let prompts: string;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), "distillscope-entra-check-"));
  server = await startMockProviderServer({ apiKey: token, knownModels: ["plain", "prod-chat"] });
  prompts = join(scratch, "prompts.jsonl");
  writeFileSync(
    prompts,
    `${["Explain tides.", "Name three rivers.", "What is a prime?"].map((prompt, index) => JSON.stringify({ id: `p${index}`, prompt })).join("\n")}\n`,
  );
});
after(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** An audit config whose first target has a key and whose second signs in with Entra ID. */
function auditConfig(folder: string): string {
  const path = join(folder, "distillscope.yaml");
  const lines = [
    "targets:",
    "  - id: openai:plain",
    "    identity: alibaba",
    `    base-url: ${server.openaiBaseUrl}`,
    "    api-key-env: PLAIN_KEY",
    "  - id: azure:prod-chat",
    "    identity: openai",
    "evaluations:",
    "  ice:",
    "    budget: 4",
    "    seed: 3",
    "report:",
    "  out: report",
  ];
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** The commands to try, in a fresh folder, with the environment of a child signing in through `fake`. */
function commands(name: string, fake: FakeAz, extra: NodeJS.ProcessEnv = {}) {
  const folder = join(scratch, name);
  mkdirSync(folder, { recursive: true });
  const environment: NodeJS.ProcessEnv = {
    ...fakeAzEnvironment(fake),
    CI: "true",
    DISTILLSCOPE_HOME: join(folder, "home"),
    AZURE_OPENAI_ENDPOINT: server.url,
    OPENAI_API_KEY: token,
    PLAIN_KEY: token,
    ...extra,
  };
  const plain = ["--base-url", server.openaiBaseUrl];
  return {
    environment,
    runs: {
      audit: ["audit", "-c", auditConfig(folder), "--quiet"],
      "ice run": [
        "ice",
        "run",
        "--target",
        "openai:plain",
        ...plain,
        "--identity",
        "alibaba",
        "--helper",
        "azure:prod-chat",
        "--budget",
        "4",
        "--out",
        join(folder, "ice.json"),
      ],
      "rse run": [
        "rse",
        "run",
        "--target",
        "openai:plain",
        ...plain,
        "--reference",
        "azure:prod-chat",
        "--prompts",
        prompts,
        "--out",
        join(folder, "rse.json"),
      ],
    },
  };
}

test("not signed in: audit, ice run and rse run exit 2 with one line before any request to any model", {
  timeout: 120_000,
}, async () => {
  const notLoggedIn = writeFakeAz([]);
  try {
    const { environment, runs } = commands("not-signed-in", notLoggedIn);
    for (const [name, args] of Object.entries(runs)) {
      const before = server.stats().requests;
      const run = await runRecordingPackages(args, environment);
      assert.equal(run.status, 2, `${name}: ${run.stderr}`);
      assert.equal(run.stderr, noSignIn, name);
      assert.equal(server.stats().requests - before, 0, `${name} sent requests before failing`);
    }
    assert.ok(notLoggedIn.calls().length >= 3, JSON.stringify(notLoggedIn.calls()));
  } finally {
    notLoggedIn.remove();
  }
});

test("signed in: the up-front token is the one the requests use (one az call per command)", {
  timeout: 120_000,
}, async () => {
  const fake = writeFakeAz([{ accessToken: token, expiresInSeconds: 3600 }]);
  try {
    const { environment, runs } = commands("signed-in", fake);
    for (const [name, args] of Object.entries(runs)) {
      const callsBefore = fake.calls().length;
      const before = server.stats().requests;
      const run = await runRecordingPackages(args, environment);
      assert.ok(run.status === 0 || run.status === 1, `${name}: exit ${run.status}: ${run.stderr}`);
      assert.ok(server.stats().requests - before > 0, name);
      assert.equal(fake.calls().length - callsBefore, 1, `${name}: az calls`);
      assert.ok(run.packages.includes("@azure/identity"), name);
    }
  } finally {
    fake.remove();
  }
});

test("with AZURE_OPENAI_API_KEY set, nothing signs in: az is never run and @azure/identity never loads", {
  timeout: 120_000,
}, async () => {
  const fake = writeFakeAz([]);
  try {
    const { environment, runs } = commands("key", fake, { AZURE_OPENAI_API_KEY: token });
    const run = await runRecordingPackages(runs["ice run"], environment);
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    assert.ok(run.packages.includes("undici"), run.packages.join(", "));
    assert.ok(!run.packages.includes("@azure/identity"), run.packages.join(", "));
    assert.deepEqual(fake.calls(), []);
  } finally {
    fake.remove();
  }
});
