/**
 * `--api-key-env` / `--reference-api-key-env`: a target on your own OpenAI-compatible endpoint and an
 * OpenAI reference each with their own key, from the CLI (the CLI as a child process against two loopback
 * servers that each accept only their own key).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { spawnCli } from "../testing/spawn-cli.ts";
import { environmentForKeyFlag } from "./key-variable-flag.ts";

const mineKey = "mine-key-aaaaaaaa";
const openaiKey = "openai-key-bbbbbbbb";
let mine: MockProviderServer;
let openai: MockProviderServer;
const scratch = mkdtempSync(join(tmpdir(), "distillscope-key-flag-"));
const prompts = join(scratch, "prompts.jsonl");

before(async () => {
  mine = await startMockProviderServer({ apiKey: mineKey, respond: () => "mine says hello there" });
  openai = await startMockProviderServer({ apiKey: openaiKey, respond: () => "openai says hello" });
  const lines = Array.from({ length: 6 }, (_, index) =>
    JSON.stringify({ id: `p${index}`, prompt: `Q ${index}` }),
  );
  writeFileSync(prompts, `${lines.join("\n")}\n`);
});
after(async () => {
  await mine.close();
  await openai.close();
});

/** The keys as a user's shell holds them: the OpenAI key in OPENAI_API_KEY, our endpoint's in its own. */
const environment = { OPENAI_API_KEY: openaiKey, MINE_KEY: mineKey, OPENAI_BASE_URL: "" };

test("collect and rse run send the target's key from --api-key-env and the reference's from its own variable", async () => {
  const home = join(scratch, "home");
  const out = join(scratch, "mine.jsonl");
  const base = ["--home", home, "--quiet"];
  const target = ["--target", "openai:mine", "--base-url", mine.openaiBaseUrl];
  // Without the flag the target gets OPENAI_API_KEY and our endpoint refuses it.
  const refused = await spawnCli(
    ["collect", ...base, ...target, "--prompts", prompts, "--out", out],
    environment,
  );
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /401/);
  const collected = await spawnCli(
    ["collect", ...base, ...target, "--api-key-env", "MINE_KEY", "--prompts", prompts, "--out", out],
    environment,
  );
  assert.equal(collected.code, 0, collected.stderr);
  assert.equal(readFileSync(out, "utf8").trim().split("\n").length, 6);

  const rse = await spawnCli(
    [
      "rse",
      "run",
      ...base,
      ...target,
      "--api-key-env",
      "MINE_KEY",
      "--reference",
      "openai:gpt-4o",
      "--reference-base-url",
      openai.openaiBaseUrl,
      "--limit",
      "5",
      "--out",
      join(scratch, "rse.json"),
    ],
    environment,
  );
  assert.equal(rse.code, 0, rse.stderr);
  assert.ok(openai.stats().byStatus["200"]! > 0 && mine.stats().byStatus["200"]! > 0);
  for (const file of ["rse.json", "mine.jsonl"])
    assert.equal(readFileSync(join(scratch, file), "utf8").includes(mineKey), false, `${file} holds no key`);
});

test("--api-key-env names a variable: unset, or a key pasted in its place, is exit 2 without the value", async () => {
  const unset = await spawnCli(
    [
      "collect",
      "--home",
      join(scratch, "h2"),
      "--target",
      "openai:mine",
      "--base-url",
      mine.openaiBaseUrl,
      "--api-key-env",
      "NOT_SET_ANYWHERE",
      "--prompts",
      prompts,
      "--out",
      join(scratch, "x.jsonl"),
    ],
    environment,
  );
  assert.equal(unset.code, 2);
  assert.match(
    unset.stderr,
    /--api-key-env NOT_SET_ANYWHERE: the environment variable NOT_SET_ANYWHERE is not set/,
  );
  const pasted = "sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4";
  assert.throws(
    () => environmentForKeyFlag("openai:mine", pasted, "--api-key-env", {}),
    (error: Error) =>
      /takes the NAME of an environment variable/.test(error.message) && !error.message.includes(pasted),
  );
  assert.deepEqual(
    environmentForKeyFlag("google:gemini-2.0-flash", "G", "--reference-api-key-env", { G: "k" }),
    { G: "k", GEMINI_API_KEY: "k", GOOGLE_API_KEY: "k" },
  );
  assert.equal(environmentForKeyFlag("openai:x", undefined, "--api-key-env", environment), environment);
});
