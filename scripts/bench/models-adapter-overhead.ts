/**
 * Per-request overhead of the openai SDK vs our adapter (undici request API) vs bare keep-alive clients
 * (node:http and undici), 6,000 requests at concurrency 64 against the zero-latency loopback mock (in this
 * process, so the numbers are lower than bench (a)'s, where the server has its own process). Run: node scripts/bench/models-adapter-overhead.ts
 */
import { Agent, request as httpRequest } from "node:http";
import OpenAI from "openai";
import { Pool } from "undici";
import { createModel } from "../../src/models/registry.ts";
import { startMockProviderServer } from "../../src/testing/mock-provider-server.ts";

const total = Number(process.env.BENCH_REQUESTS ?? 6000);
const concurrency = 64;
const server = await startMockProviderServer();
const messages = (index: number) => [{ role: "user" as const, content: `prompt number ${index}` }];

async function measure(label: string, call: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await call(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const rate = total / seconds;
  console.log(`${label.padEnd(28)} ${rate.toFixed(0).padStart(6)} requests/s`);
  return rate;
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const url = new URL(`${server.openaiBaseUrl}/chat/completions`);
const bare = (index: number) =>
  new Promise<void>((resolve, reject) => {
    const body = JSON.stringify({ model: "bench", messages: messages(index) });
    const outgoing = httpRequest(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => {
          JSON.parse(text);
          resolve();
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });

const pool = new Pool(url.origin, { connections: concurrency });
const bareUndici = async (index: number) => {
  const body = JSON.stringify({ model: "bench", messages: messages(index) });
  const response = await pool.request({
    method: "POST",
    path: url.pathname,
    headers: { "content-type": "application/json" },
    body,
  });
  JSON.parse(await response.body.text());
};

const model = createModel("openai:bench", { baseUrl: server.openaiBaseUrl, environment: {} });
const adapter = async (index: number) => {
  const result = await model.generate({ messages: messages(index) }, new AbortController().signal);
  if (!result.ok) throw new Error(result.message);
};
const client = new OpenAI({ apiKey: "bench", baseURL: server.openaiBaseUrl, maxRetries: 0 });
const sdk = async (index: number) => {
  await client.chat.completions.create({ model: "bench", messages: messages(index) });
};

await measure("warm-up (bare)", bare);
const bareRate = await measure("bare node:http keep-alive", bare);
const undiciRate = await measure("bare undici keep-alive", bareUndici);
const sdkRate = await measure("openai SDK maxRetries 0", sdk);
const adapterRate = await measure("undici adapter (ours)", adapter);
await measure("bare node:http again", bare);
console.log(
  `adapter/bare node:http ${(adapterRate / bareRate).toFixed(2)}  adapter/bare undici ${(adapterRate / undiciRate).toFixed(2)}  sdk/bare node:http ${(sdkRate / bareRate).toFixed(2)}`,
);
agent.destroy();
await pool.close();
await server.close();
