/**
 * Child-process helper of store.test.ts: writes `count` answers into the store at `home` as fast as it
 * can, so that two of them running at once exercise SQLite's locking. Usage: node concurrent-writer.ts home tag count
 */
import { cacheKey } from "./cache-key.ts";
import { openStore } from "./store.ts";

const [home, tag, countText] = process.argv.slice(2);
const store = openStore(home!);
const runId = store.startRun(`writer-${tag}`, "fake:model", Number(countText));
for (let index = 0; index < Number(countText); index++) {
  const messages = [{ role: "user" as const, content: `${tag} prompt ${index}` }];
  const key = cacheKey({
    provider: "fake",
    model: "model",
    endpoint: "local",
    messages,
    parameters: {},
    sample: 0,
  });
  store.saveAnswer(runId, key, {
    id: `${tag}-${index}`,
    sample: 0,
    model: "fake:model",
    endpoint: "local",
    messages,
    parameters: {},
    response: `answer ${tag} ${index}`,
    usage: { inputTokens: 3, outputTokens: 2 },
    latencyMs: 1,
    attempts: 1,
  });
}
store.finishRun(runId, "done");
store.close();
