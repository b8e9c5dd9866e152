import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Command } from "commander";
import { exitCodeFor, InputError } from "../../errors.ts";
import {
  dissimilarModelName,
  referenceModelName,
  scriptedAnswer,
  similarModelName,
} from "../../rse/loopback-fixture.ts";
import type { MockProviderServer } from "../../testing/mock-provider-server.ts";
import { register } from "./rse.ts";

const run = promisify(execFile);
const mainScript = join(dirname(fileURLToPath(import.meta.url)), "..", "main.ts");
const folder = mkdtempSync(join(tmpdir(), "rse-cli-"));
// The adapters and the loopback server are engineer A's (and the CLI loads the adapters): until they
// exist these tests say so and skip.
const needed = ["../../models/registry.ts", "../../testing/mock-provider-server.ts"];
const missing = needed.filter((path) => !existsSync(new URL(path, import.meta.url)));
const skip = missing.length > 0 ? `needs ${missing.join(" and ")}, not built yet` : false;
let server: MockProviderServer;

before(async () => {
  if (skip) return;
  const { startMockProviderServer } = await import("../../testing/mock-provider-server.ts");
  server = await startMockProviderServer({
    respond: ({ model, messages }) => scriptedAnswer(model, messages),
  });
});
after(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [mainScript, "--home", join(folder, "home"), ...args],
      {
        env: { ...process.env, OPENAI_API_KEY: "sk-cli-test" },
        timeout: 120_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe("distillscope rse run", { skip }, () => {
  it("writes the result JSON and prints the per-dataset table", async () => {
    const prompts = join(folder, "mine.jsonl");
    writeFileSync(
      prompts,
      `${JSON.stringify({ id: "a", prompt: "How do I bake bread at home?" })}\n${JSON.stringify({
        id: "b",
        messages: [
          { role: "user", content: "Plan a garden." },
          { role: "user", content: "Which plants first?" },
        ],
      })}\n`,
    );
    const out = join(folder, "result.json");
    const result = await cli([
      "rse",
      "run",
      "--target",
      `openai:${referenceModelName}`,
      "--reference",
      `openai:${similarModelName}`,
      "--reference",
      `openai:${dissimilarModelName}`,
      "--prompts",
      "default",
      "--prompts",
      prompts,
      "--limit",
      "20",
      "--seed",
      "3",
      "--base-url",
      server.openaiBaseUrl,
      "--reference-base-url",
      server.openaiBaseUrl,
      "--out",
      out,
      "--quiet",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(json.kind, "rse");
    for (const field of ["overall", "style", "logic", "content"])
      assert.equal(typeof json.scores[field], "number");
    assert.deepEqual(Object.keys(json.datasets).sort(), ["default", "mine"]);
    assert.equal(json.prompts[0].prompts, 20);
    assert.ok(json.items.length > 0);
    assert.ok(!readFileSync(out, "utf8").includes("sk-cli-test"));
    const printed = await cli([
      "rse",
      "run",
      "--target",
      `openai:${referenceModelName}`,
      "--reference",
      `openai:${similarModelName}`,
      "--limit",
      "5",
      "--base-url",
      server.openaiBaseUrl,
      "--reference-base-url",
      server.openaiBaseUrl,
      "--out",
      join(folder, "second.json"),
    ]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /\| Reference \| default \| Avg \|/);
  });

  it("exits 2 with one clear line on bad flags and bad prompt files", async () => {
    const base = [
      "rse",
      "run",
      "--target",
      "openai:x",
      "--reference",
      "openai:y",
      "--out",
      join(folder, "x.json"),
    ];
    const badLimit = await cli([...base, "--limit", "0"]);
    assert.equal(badLimit.code, 2);
    assert.match(badLimit.stderr, /--limit must be a whole number >= 1/);
    const missing = await cli([...base, "--prompts", `arena-hard:${join(folder, "nope.jsonl")}`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.jsonl: cannot read/);
    const malformed = join(folder, "bad.jsonl");
    writeFileSync(malformed, `${JSON.stringify({ id: "1", prompt: "ok" })}\n{"id": "2"}\n`);
    const bad = await cli([...base, "--prompts", malformed]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.jsonl:2: needs a "prompt"/);
    const noReference = await cli(["rse", "run", "--target", "openai:x", "--out", join(folder, "y.json")]);
    assert.equal(noReference.code, 2);
    assert.equal(bad.stderr.trim().split("\n").length, 1);
  });
});

describe("rse run flag and prompt-file checks (in process)", () => {
  const parse = async (args: string[]) => {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync([
      "node",
      "distillscope",
      "rse",
      "run",
      "--target",
      "openai:x",
      "--reference",
      "openai:y",
      "--out",
      join(folder, "z.json"),
      ...args,
    ]);
  };
  it("rejects bad numbers and malformed prompt files with an InputError (exit 2) before any model is built", async () => {
    await assert.rejects(parse(["--limit", "0"]), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(exitCodeFor(error), 2);
      assert.match(error.message, /--limit must be a whole number >= 1, got "0"/);
      return true;
    });
    await assert.rejects(parse(["--seed", "-1"]), /--seed must be a whole number >= 0/);
    const malformed = join(folder, "in-process-bad.jsonl");
    writeFileSync(malformed, `${JSON.stringify({ id: "1", prompt: "ok" })}\n{"id": "2"}\n`);
    await assert.rejects(parse(["--prompts", malformed]), /in-process-bad\.jsonl:2: needs a "prompt"/);
    await assert.rejects(parse(["--prompts", "mmlu:file.json"]), /expected default, arena-hard/);
  });
});
