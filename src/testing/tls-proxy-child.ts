/**
 * Child process of route.test.ts: asks an openai: model at an https:// base URL once (through whatever
 * proxy the environment names) and prints the result as JSON. Run with NODE_EXTRA_CA_CERTS pointing at
 * the test-only certificate, which Node reads only at start-up.
 * Usage: node tls-proxy-child.ts <base-url> <environment as JSON> [stream]
 */
import { createModel } from "../models/registry.ts";

const [baseUrl, environmentJson, stream] = process.argv.slice(2);
const model = createModel("openai:tls-model", {
  baseUrl: baseUrl!,
  environment: JSON.parse(environmentJson!) as NodeJS.ProcessEnv,
});
const result = await model.generate(
  { messages: [{ role: "user", content: "hello over TLS" }], stream: stream === "stream" },
  new AbortController().signal,
);
process.stdout.write(JSON.stringify(result));
