import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { judgeNonceSecret } from "../rse/judge-secret.ts";
import { derivedJudgeSecret, homeJudgeSecret, judgeSecretFileName } from "./judge-nonce-secret.ts";

test("the judge secret is random per home, stable within it, and kept with mode 600", () => {
  const home = mkdtempSync(join(tmpdir(), "judge-secret-"));
  const other = mkdtempSync(join(tmpdir(), "judge-secret-other-"));
  const secret = homeJudgeSecret(home);
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.equal(homeJudgeSecret(home), secret);
  assert.notEqual(homeJudgeSecret(other), secret);
  assert.equal(statSync(join(home, judgeSecretFileName)).mode & 0o777, 0o600);
  // `rse run` keeps reading the same secret, so its cached verdicts stay valid.
  assert.equal(judgeNonceSecret(home), secret);
});

test("derived secrets depend on the home and the purpose, and not on public values alone", () => {
  const home = mkdtempSync(join(tmpdir(), "judge-secret-derived-"));
  writeFileSync(join(home, judgeSecretFileName), `${"ab".repeat(32)}\n`);
  assert.equal(readFileSync(join(home, judgeSecretFileName), "utf8").trim(), homeJudgeSecret(home));
  const iceJudge = derivedJudgeSecret(home, "ice-judge:1");
  assert.equal(derivedJudgeSecret(home, "ice-judge:1"), iceJudge);
  assert.notEqual(derivedJudgeSecret(home, "ice-judge:2"), iceJudge);
  assert.notEqual(
    derivedJudgeSecret(mkdtempSync(join(tmpdir(), "judge-secret-b-")), "ice-judge:1"),
    iceJudge,
  );
  assert.notEqual(iceJudge, "ice-judge:1");
});

test("processes that start in a new home at once all end up with the one secret on disk", async () => {
  const { spawn } = await import("node:child_process");
  const module = new URL("./judge-nonce-secret.ts", import.meta.url).pathname;
  for (let trial = 0; trial < 3; trial++) {
    const home = join(mkdtempSync(join(tmpdir(), "judge-secret-race-")), "home");
    const script = `import { homeJudgeSecret } from ${JSON.stringify(module)}; process.stdout.write(homeJudgeSecret(${JSON.stringify(home)}));`;
    const secrets = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
              stdio: ["ignore", "pipe", "inherit"],
            });
            let output = "";
            child.stdout.on("data", (chunk) => {
              output += chunk;
            });
            child.on("close", (code) => (code === 0 ? resolve(output) : reject(new Error(`exit ${code}`))));
          }),
      ),
    );
    const onDisk = readFileSync(join(home, judgeSecretFileName), "utf8").trim();
    assert.deepEqual(new Set(secrets), new Set([onDisk]), `trial ${trial}`);
    assert.deepEqual(readdirSync(home), [judgeSecretFileName], "no temporary file left");
  }
});

test("a damaged secret file (too short) is replaced", () => {
  const home = mkdtempSync(join(tmpdir(), "judge-secret-short-"));
  writeFileSync(join(home, judgeSecretFileName), "short\n");
  const secret = homeJudgeSecret(home);
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.equal(readFileSync(join(home, judgeSecretFileName), "utf8").trim(), secret);
});
