import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { otherStyleModelName, sameStyleModelName, scriptedAnswer } from "../../rse/loopback-fixture.ts";
import { interruptAfterRequests } from "../../testing/interrupt-cli.ts";
import { startMockProviderServer } from "../../testing/mock-provider-server.ts";

const mainFile = join(dirname(fileURLToPath(import.meta.url)), "..", "main.ts");

test("Ctrl-C on rse run: a message, the count of stored answers, exit 3, no partial result; the rerun resumes", async () => {
  const folder = mkdtempSync(join(tmpdir(), "rse-interrupt-"));
  const slow = await startMockProviderServer({
    respond: ({ model, messages }) => scriptedAnswer(model, messages),
    apiKey: "cli-key",
    latencyMs: 30,
  });
  const out = join(folder, "interrupted.json");
  const args = [
    mainFile,
    "rse",
    "run",
    "--target",
    `openai:${sameStyleModelName}`,
    "--reference",
    `openai:${otherStyleModelName}`,
    "--base-url",
    slow.openaiBaseUrl,
    "--reference-base-url",
    slow.openaiBaseUrl,
    "--concurrency",
    "2",
    "--out",
    out,
  ];
  const environment = {
    ...process.env,
    OPENAI_API_KEY: "cli-key",
    DISTILLSCOPE_HOME: join(folder, "home"),
    CI: "true",
  };
  try {
    const { code, stderr } = await interruptAfterRequests(args.slice(1), environment, slow, 20);
    assert.equal(code, 3, stderr);
    assert.match(stderr, /distillscope: interrupted, stopping \(stored answers are kept\)/);
    const counted = /interrupted: (\d+) answers are stored; run the same command again to resume/.exec(
      stderr,
    );
    assert.ok(counted, stderr);
    assert.ok(Number(counted[1]) >= 15, `answers stored before the interrupt: ${counted[1]}`);
    assert.throws(() => readFileSync(out), /ENOENT/, "no result on Ctrl-C");
    // The rerun asks only what was not stored.
    const before = slow.stats().requests;
    const rerun = spawn(process.execPath, args, { env: environment, stdio: ["ignore", "ignore", "pipe"] });
    const rerunCode = await new Promise<number | null>((resolve) =>
      rerun.on("close", (exit) => resolve(exit)),
    );
    assert.equal(rerunCode, 0);
    const total = JSON.parse(readFileSync(out, "utf8")) as { n: number };
    assert.ok(total.n > 0);
    assert.ok(
      slow.stats().requests - before <= 2 * 96 - Number(counted[1]) + 2,
      "stored answers not asked again",
    );
  } finally {
    await slow.close();
    rmSync(folder, { recursive: true, force: true });
  }
});
