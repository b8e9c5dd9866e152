/**
 * Accuracy of `ice run` against a loopback target whose answers are known: the mock provider answers
 * as a DeepSeek model with a fixed mix (own claims, other developers' claims in English and Chinese,
 * negations, third-person facts, quoted characters, refusals, judge-directed text, self-reports written
 * as fields such as "IDENTITY: X, developed by Y" or JSON). Prints the share
 * of right verdicts (loose, strict and hard all right), per answer kind, and checks the budget.
 * Usage: node scripts/validate/ice-loopback.ts [budget] [seed] [template languages, e.g. en,zh]
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/engine/index.ts";
import { runIce } from "../../src/ice/run.ts";
import {
  loopbackAnswerFor,
  loopbackIdentity,
  respondWithKnownMix,
} from "../../src/ice/run-loopback-fixture.ts";

const needed = ["../../src/models/registry.ts", "../../src/testing/mock-provider-server.ts"];
const missing = needed.filter((path) => !existsSync(new URL(path, import.meta.url)));
if (missing.length > 0) {
  process.stdout.write(`skipped: ${missing.join(", ")} not built yet\n`);
  process.exit(0);
}
const { createModel } = await import("../../src/models/registry.ts");
const { startMockProviderServer } = await import("../../src/testing/mock-provider-server.ts");

const budget = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 0);
const templateLanguages = (process.argv[4] ?? "en").split(",") as Array<"en" | "zh">;
const server = await startMockProviderServer({ respond: respondWithKnownMix, apiKey: "loopback-key" });
const home = mkdtempSync(join(tmpdir(), "distillscope-ice-loopback-"));
try {
  const target = createModel("openai:deepseek-chat", {
    baseUrl: server.openaiBaseUrl,
    environment: { OPENAI_API_KEY: "loopback-key" },
  });
  const started = performance.now();
  const result = await runIce({
    target,
    identity: loopbackIdentity,
    store: openStore(home),
    budget,
    seed,
    templateLanguages,
  });
  const seconds = (performance.now() - started) / 1000;
  const sent = server.stats().requests;

  const perKind = new Map<string, { right: number; total: number }>();
  let right = 0;
  let unknown = 0;
  for (const item of result.items) {
    const known = loopbackAnswerFor(item.response);
    if (known === undefined) {
      unknown++;
      continue;
    }
    const ok =
      item.loose === known.expected.loose &&
      item.strict === known.expected.strict &&
      item.hard === (known.expected.strict && !item.vendorNamed);
    if (ok) right++;
    const key = `${known.kind} (${known.language})`;
    const tally = perKind.get(key) ?? { right: 0, total: 0 };
    tally.total++;
    if (ok) tally.right++;
    perKind.set(key, tally);
  }
  const accuracy = right / result.items.length;
  process.stdout.write(
    `ice run loopback: budget ${budget}, seed ${seed}, templates ${templateLanguages.join(",")}: ${result.items.length} answers, ` +
      `${result.search.iterations} templates searched (depth ${result.search.depth}), ${seconds.toFixed(1)} s\n`,
  );
  for (const [kind, tally] of [...perKind.entries()].sort()) {
    process.stdout.write(`  ${kind.padEnd(28)} ${tally.right}/${tally.total}\n`);
  }
  process.stdout.write(`verdict accuracy (loose, strict and hard all right): ${accuracy.toFixed(4)}\n`);
  process.stdout.write(`target requests seen by the server: ${sent} (budget ${budget})\n`);
  process.stdout.write(
    `scores: loose ${result.scores.loose.toFixed(3)}, strict ${result.scores.strict.toFixed(3)}, hard ${result.scores.hard.toFixed(3)}; ` +
      `priming (loose, vendor-naming minus neutral) ${result.priming.loose.difference.toFixed(3)}\n`,
  );
  if (unknown > 0 || accuracy < 0.95 || sent > budget) {
    process.stdout.write("FAILED: accuracy below 0.95, unknown answers, or budget exceeded\n");
    process.exitCode = 1;
  }
} finally {
  await server.close();
  rmSync(home, { recursive: true, force: true });
}
