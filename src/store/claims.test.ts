import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, test } from "node:test";
import { cacheKey } from "./cache-key.ts";
import { schemaStatements, storeSchemaVersion } from "./schema.ts";
import { openStore, type PendingAnswer, storeFileName } from "./store.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-claims-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const leaseMs = 60_000;

function answerFor(index: number, response: string): PendingAnswer {
  const messages = [{ role: "user" as const, content: `claims prompt ${index}` }];
  const key = cacheKey({
    provider: "openai",
    model: "m",
    endpoint: "e:1",
    messages,
    parameters: {},
    sample: 0,
  });
  return {
    cacheKey: key,
    answer: {
      id: `c${index}`,
      sample: 0,
      model: "openai:m",
      endpoint: "e:1",
      messages,
      parameters: {},
      response,
      usage: { inputTokens: 1, outputTokens: 1 },
      latencyMs: 1,
      attempts: 1,
    },
    attempts: [],
  };
}

function rows(home: string, sql: string): Record<string, unknown>[] {
  const database = new DatabaseSync(join(home, storeFileName), { readOnly: true });
  try {
    return database.prepare(sql).all();
  } finally {
    database.close();
  }
}

test("a key claimed by one connection is held for another until its answer is stored, then served from the store", () => {
  const home = join(scratch, "held-then-stored");
  const first = openStore(home);
  const second = openStore(home);
  const entry = answerFor(0, "first's answer");
  assert.equal(first.claims.join("first", leaseMs), false, "nobody else is there");
  assert.equal(second.claims.join("second", leaseMs), true, "the first run is there");
  assert.deepEqual(first.claims.claim("first", entry.cacheKey), { kind: "claimed" });
  assert.deepEqual(second.claims.claim("second", entry.cacheKey), { kind: "held", owner: "first" });
  first.saveAnswers(null, [entry], { deferIndex: true, releaseClaimsOf: "first" });
  assert.deepEqual(rows(home, "SELECT * FROM claims"), [], "released with the answer");
  const outcome = second.claims.claim("second", entry.cacheKey);
  assert.equal(outcome.kind, "stored");
  assert.equal(outcome.kind === "stored" ? outcome.answer.response : "", "first's answer");
  first.claims.leave("first");
  second.claims.leave("second");
  assert.deepEqual(rows(home, "SELECT * FROM claim_owners"), []);
  first.close();
  second.close();
});

test("a claim whose owner's lease ran out, or whose process on this host is gone (or its pid reused), is taken over; a live one is not", () => {
  const home = join(scratch, "taken-over");
  const store = openStore(home);
  const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
  const [expired, leased, dead, reused] = [
    answerFor(1, ""),
    answerFor(2, ""),
    answerFor(3, ""),
    answerFor(6, ""),
  ];
  const database = new DatabaseSync(join(home, storeFileName));
  const now = Date.now();
  const owner = database.prepare("INSERT INTO claim_owners VALUES (?, ?, ?, 1, ?)");
  // Owners on another host cannot be checked by pid: only their lease counts.
  owner.run("expired", 1, "another-host", now - 1);
  owner.run("leased", 1, "another-host", now + leaseMs);
  owner.run("dead", deadPid, hostname(), now + leaseMs);
  // A killed process whose pid this one has now: its pid exists, but it is not one of this process's runs.
  owner.run("reused", process.pid, hostname(), now + leaseMs);
  const claim = database.prepare("INSERT INTO claims VALUES (?, ?)");
  claim.run(expired.cacheKey, "expired");
  claim.run(leased.cacheKey, "leased");
  claim.run(dead.cacheKey, "dead");
  claim.run(reused.cacheKey, "reused");
  database.close();

  store.claims.join("survivor", leaseMs);
  assert.deepEqual(store.claims.claim("survivor", expired.cacheKey), { kind: "claimed" });
  assert.deepEqual(store.claims.claim("survivor", leased.cacheKey), { kind: "held", owner: "leased" });
  assert.deepEqual(store.claims.claim("survivor", dead.cacheKey), { kind: "claimed" });
  assert.deepEqual(store.claims.claim("survivor", reused.cacheKey), { kind: "claimed" });
  assert.deepEqual(
    rows(home, "SELECT owner FROM claim_owners ORDER BY owner").map((row) => row.owner),
    ["leased", "survivor"],
    "the owners that are gone were forgotten (join forgot them already)",
  );
  assert.deepEqual(
    rows(home, "SELECT owner, count(*) AS n FROM claims GROUP BY owner ORDER BY owner").map((row) => [
      row.owner,
      row.n,
    ]),
    [
      ["leased", 1],
      ["survivor", 3],
    ],
  );
  store.claims.release("survivor", [expired.cacheKey, dead.cacheKey, reused.cacheKey]);
  assert.equal(rows(home, "SELECT * FROM claims WHERE owner = 'survivor'").length, 0);
  store.claims.leave("survivor");
  store.close();
});

test("a newcomer sees the run already there sending unclaimed until it claims what it has in flight", () => {
  const home = join(scratch, "handshake");
  const alone = openStore(home);
  const newcomer = openStore(home);
  const inFlight = answerFor(4, "");
  alone.claims.join("alone", leaseMs);
  assert.equal(alone.claims.othersAreLive(), false);
  newcomer.claims.join("newcomer", leaseMs);
  assert.equal(alone.claims.othersAreLive(), true);
  assert.equal(newcomer.claims.othersSendUnclaimed(), true);
  assert.deepEqual(
    newcomer.claims.claim("newcomer", inFlight.cacheKey),
    { kind: "claimed" },
    "not yet known",
  );
  newcomer.claims.release("newcomer", [inFlight.cacheKey]);
  alone.claims.startClaiming("alone", [inFlight.cacheKey], leaseMs);
  assert.equal(newcomer.claims.othersSendUnclaimed(), false);
  assert.deepEqual(newcomer.claims.claim("newcomer", inFlight.cacheKey), { kind: "held", owner: "alone" });
  alone.claims.leave("alone");
  assert.deepEqual(
    newcomer.claims.claim("newcomer", inFlight.cacheKey),
    { kind: "claimed" },
    "freed on leave",
  );
  newcomer.claims.leave("newcomer");
  alone.close();
  newcomer.close();
});

test("runs of one connection are not others to each other (they cannot see each other's commits)", () => {
  const store = openStore(join(scratch, "one-connection"));
  assert.equal(store.claims.join("run-1", leaseMs), false);
  assert.equal(store.claims.join("run-2", leaseMs), false);
  assert.equal(store.claims.othersAreLive(), false);
  store.claims.leave("run-1");
  store.claims.leave("run-2");
  store.close();
});

test("a store made before claims existed gets their tables when opened", () => {
  const home = join(scratch, "before-claims");
  mkdirSync(home, { recursive: true });
  const database = new DatabaseSync(join(home, storeFileName));
  for (const statement of schemaStatements) if (!/claim/.test(statement)) database.exec(statement);
  assert.equal(database.prepare("SELECT name FROM sqlite_master WHERE name = 'claims'").get(), undefined);
  database.close();
  assert.equal(storeSchemaVersion, 2);
  const store = openStore(home);
  const entry = answerFor(5, "");
  store.claims.join("upgraded", leaseMs);
  assert.deepEqual(store.claims.claim("upgraded", entry.cacheKey), { kind: "claimed" });
  store.claims.leave("upgraded");
  assert.equal(store.integrityCheck(), "ok");
  store.close();
});
