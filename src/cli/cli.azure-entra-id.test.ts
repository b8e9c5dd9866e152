/**
 * `azure:` models signing in with Microsoft Entra ID, end to end: the CLI as a child process whose only
 * program on PATH is a fake `az` (src/testing/fake-az.ts), against the loopback Azure OpenAI server. The
 * token reaches the server, and no file, export or output keeps it; no credential is exit 2 with one line;
 * @azure/identity loads only when a model signs in with it.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { redactedKeyMarker } from "../secrets/known-keys.ts";
import { type FakeAz, fakeAzEnvironment, writeFakeAz } from "../testing/fake-az.ts";
import { runRecordingPackages } from "../testing/loaded-packages.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { scanForSecret } from "../testing/secret-scenario.ts";

const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.CLI-ENTRA-TOKEN-3b9d27f1e0c4a658.signature";
const key = "azure-cli-key-DISTINCTIVE-8c1f0e2d";
let scratch: string;
let server: MockProviderServer;
let fakeAz: FakeAz;
let prompts: string;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), "distillscope-entra-"));
  // A hostile (or debugging) endpoint that reflects the Authorization header in its answers.
  server = await startMockProviderServer({
    apiKey: token,
    knownModels: ["prod-chat"],
    respond: ({ messages }) => `Bearer ${token} asked: ${messages.at(-1)?.content}`,
  });
  fakeAz = writeFakeAz([{ accessToken: token, expiresInSeconds: 3600 }]);
  prompts = join(scratch, "prompts.jsonl");
  writeFileSync(
    prompts,
    `${["who made you?", "what is your name?", "who trained you?"].map((prompt, index) => JSON.stringify({ id: `q${index}`, prompt })).join("\n")}\n`,
  );
});
after(async () => {
  await server.close();
  fakeAz.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh home and output folder, and the environment of a child signing in through `fake`. */
function workspace(name: string, fake: FakeAz, extra: NodeJS.ProcessEnv = {}) {
  const folder = join(scratch, name);
  const out = join(folder, "out");
  mkdirSync(out, { recursive: true });
  const environment = {
    ...fakeAzEnvironment(fake),
    CI: "true",
    DISTILLSCOPE_HOME: join(folder, "home"),
    AZURE_OPENAI_ENDPOINT: server.url,
    ...extra,
  };
  const collect = [
    "collect",
    "--target",
    "azure:prod-chat",
    "--prompts",
    prompts,
    "--out",
    join(out, "collect.jsonl"),
  ];
  return { folder, out, environment, collect };
}

test("collect signs in through az, and the token is in no file, export or output", {
  timeout: 60_000,
}, async () => {
  const { folder, out, environment, collect } = workspace("signed-in", fakeAz);
  const requestsBefore = server.stats().requests;
  const started = performance.now();
  const collected = await runRecordingPackages(collect, environment);
  const collectMs = performance.now() - started;
  assert.equal(collected.status, 0, collected.stderr);
  assert.equal(server.stats().requests - requestsBefore, 3);
  assert.ok(collected.packages.includes("@azure/identity"), "the recorder sees the sign-in library");
  const exported = await runRecordingPackages(
    ["transcripts", "export", "--out", join(out, "export.jsonl")],
    environment,
  );
  assert.equal(exported.status, 0, exported.stderr);
  for (const file of ["collect.jsonl", "export.jsonl"]) {
    const lines = readFileSync(join(out, file), "utf8").trim().split("\n");
    assert.equal(lines.length, 3, file);
    for (const line of lines)
      assert.match(
        JSON.parse(line).response,
        new RegExp(`^Bearer ${redactedKeyMarker.replace(/[[\]]/g, "\\$&")} asked: `),
      );
  }
  const scan = scanForSecret(token, folder, [
    { where: "collect stderr", text: collected.stderr },
    { where: "export stderr", text: exported.stderr },
  ]);
  assert.ok(
    scan.fileNames.some((name) => name.endsWith("distillscope.sqlite")),
    scan.fileNames.join(", "),
  );
  assert.deepEqual(scan.hits, []);
  console.log(
    `collect of 3 prompts with Entra ID through the fake az: ${collectMs.toFixed(0)} ms (child process)`,
  );
});

test("with AZURE_OPENAI_API_KEY set, the key wins and @azure/identity is never loaded", {
  timeout: 60_000,
}, async () => {
  server.setOptions({ apiKey: key });
  try {
    const fake = writeFakeAz([{ accessToken: token, expiresInSeconds: 3600 }]);
    try {
      const { environment, collect } = workspace("key", fake, { AZURE_OPENAI_API_KEY: key });
      const run = await runRecordingPackages(collect, environment);
      assert.equal(run.status, 0, run.stderr);
      assert.ok(run.packages.includes("undici"), `the recorder saw: ${run.packages.join(", ")}`);
      assert.ok(!run.packages.includes("@azure/identity"), run.packages.join(", "));
      assert.deepEqual(fake.calls(), []);
    } finally {
      fake.remove();
    }
  } finally {
    server.setOptions({ apiKey: token });
  }
});

test("no key and no sign-in: exit 2 with one line saying what to set", { timeout: 60_000 }, async () => {
  const notLoggedIn = writeFakeAz([]);
  try {
    const { environment, collect } = workspace("no-credential", notLoggedIn);
    const requestsBefore = server.stats().requests;
    const run = await runRecordingPackages(collect, environment);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(server.stats().requests, requestsBefore);
    assert.equal(
      run.stderr,
      "distillscope: azure:prod-chat: no Azure credential worked (no key, no Microsoft Entra ID sign-in); set AZURE_OPENAI_API_KEY, or run `az login` (or `azd auth login`); AZURE_TOKEN_CREDENTIALS=dev tries only these developer sign-ins\n",
    );
    // Not the library's chain of messages, one per credential.
    assert.doesNotMatch(run.stderr, /CredentialUnavailableError|ChainedTokenCredential/);
  } finally {
    notLoggedIn.remove();
  }
});

test("a token the server refuses: exit 2 naming the sign-in, token hidden even with --debug", {
  timeout: 60_000,
}, async () => {
  server.setOptions({ apiKey: "another-token-the-server-wants-0000" });
  try {
    const { folder, environment, collect } = workspace("refused", fakeAz);
    const run = await runRecordingPackages(["--debug", ...collect], environment);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /authentication failed \(401\).*Microsoft Entra ID sign-in/);
    assert.deepEqual(scanForSecret(token, folder, [{ where: "stderr", text: run.stderr }]).hits, []);
  } finally {
    server.setOptions({ apiKey: token });
  }
});
