/**
 * Child-process helper of shared-store.test.ts: one `runWork` into the store at `home`, asking an
 * OpenAI-compatible server `count` prompts. It opens the store and the model, says "ready", and starts
 * only on "go" (so that two children start at the same moment); then it sends its totals and exits.
 * Prompt i is "<prefix> i". Usage (forked, with IPC): node shared-store-child.ts home baseUrl prefix count concurrency
 */
import { createModel } from "../models/registry.ts";
import { openStore } from "../store/store.ts";
import { runWork } from "./run-work.ts";
import type { WorkItem } from "./types.ts";

export interface ChildTotals {
  answers: number;
  answered: number;
  cached: number;
  failed: number;
  /** The answer text of each item, in item order. */
  responses: string[];
  seconds: number;
}

const [home, baseUrl, prefix, countText, concurrencyText] = process.argv.slice(2);
const store = openStore(home!);
const model = createModel("openai:shared-model", {
  baseUrl: baseUrl!,
  environment: { OPENAI_API_KEY: "shared-store-key" },
});
const items: WorkItem[] = Array.from({ length: Number(countText) }, (_, index) => ({
  id: `p${index}`,
  request: { messages: [{ role: "user", content: `${prefix} ${index}` }], temperature: 0 },
}));
process.once("message", async () => {
  const started = performance.now();
  const result = await runWork({ model, items, store, concurrency: Number(concurrencyText) });
  store.close();
  const totals: ChildTotals = {
    answers: result.answers.length,
    answered: result.stats.answered,
    cached: result.stats.cached,
    failed: result.stats.failed,
    responses: result.answers.map((answer) => answer.response),
    seconds: (performance.now() - started) / 1000,
  };
  process.send?.(totals, () => process.disconnect());
});
process.send?.("ready");
