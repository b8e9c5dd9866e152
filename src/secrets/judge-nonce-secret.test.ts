import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
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
