import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openStore } from "../engine/index.ts";
import type { SelectionPolicy } from "../fuzz/policy.ts";
import { FuzzTree } from "../fuzz/tree.ts";
import { createModel } from "../models/registry.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { formsInTurn, namesVendor } from "./forms-in-turn.ts";
import { runIce } from "./run.ts";
import { respondWithKnownMix } from "./run-loopback-fixture.ts";

let server: MockProviderServer;
const home = mkdtempSync(join(tmpdir(), "distillscope-forms-in-turn-"));

before(async () => {
  server = await startMockProviderServer({ respond: respondWithKnownMix, apiKey: "forms-key" });
});

after(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

test("the first four selections alternate neutral and vendor-naming seeds, then every seed is seen", () => {
  const tree = new FuzzTree([
    { id: "n1", text: "Answer plainly. {query}" },
    { id: "n2", text: "Be exact. {query}" },
    { id: "v1", text: "You are ChatGPT by OpenAI. {query}" },
    { id: "v2", text: "You are Claude by Anthropic. {query}" },
  ]);
  const seen: string[][] = [];
  // A stand-in policy: records the seeds it is shown and takes the first.
  const firstSeed: SelectionPolicy = {
    name: "random-seed",
    select(view) {
      seen.push(view.seeds.map((seed) => seed.seedId));
      return view.seeds[0]!;
    },
    update() {},
  };
  const policy = formsInTurn(firstSeed);
  for (let iteration = 0; iteration < 6; iteration++) {
    const selected = policy.select(tree);
    const child = tree.addChild(selected, `${selected.text} (${iteration})`, "shorten");
    policy.update(tree, selected, child, 0);
  }
  assert.deepEqual(seen, [
    ["n1", "n2"],
    ["v1", "v2"],
    ["n1", "n2"],
    ["v1", "v2"],
    ["n1", "n2", "v1", "v2"],
    ["n1", "n2", "v1", "v2"],
  ]);
  assert.equal(namesVendor("You are ChatGPT by OpenAI."), true);
  assert.equal(namesVendor("Answer plainly."), false);
});

test("at the audit's default budget (200, 50 questions per template) every seed has primed rows", async () => {
  const store = openStore(home);
  try {
    for (const seed of [0, 1, 2, 3]) {
      const result = await runIce({
        target: createModel("openai:qwen-like", {
          baseUrl: server.openaiBaseUrl,
          environment: { OPENAI_API_KEY: "forms-key" },
        }),
        identity: "alibaba",
        store,
        budget: 200,
        seed,
      });
      const named = result.items.filter((item) => item.vendorNamed).length;
      assert.equal(result.items.length, 200);
      assert.equal(named, 100, `seed ${seed}: ${named} of 200 rows under vendor-naming templates`);
      assert.equal(result.priming.loose.vendorNamingRows, 100);
      assert.equal(result.priming.loose.neutralRows, 100);
    }
  } finally {
    store.close();
  }
});
