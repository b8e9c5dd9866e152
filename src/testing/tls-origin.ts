/**
 * A model server on 127.0.0.1 that speaks HTTPS with the test-only certificate for models.example.test,
 * and a child process (tls-proxy-child.ts) that asks it through a proxy: for tests of TLS inside a tunnel.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { join } from "node:path";
import type { GenerateResult } from "../models/types.ts";

const fixtures = join(import.meta.dirname, "fixtures");

export interface TlsOrigin {
  port: number;
  /** The certificate to trust (NODE_EXTRA_CA_CERTS) for models.example.test. */
  certificatePath: string;
  close: () => Promise<void>;
}

/** Starts an OpenAI-compatible HTTPS server that gives `answer` to every request. */
export async function startTlsOrigin(answer: string): Promise<TlsOrigin> {
  const certificatePath = join(fixtures, "test-only-models-example-test.crt");
  const origin = createHttpsServer(
    {
      key: readFileSync(join(fixtures, "test-only-models-example-test.key")),
      cert: readFileSync(certificatePath),
    },
    (request, response) => {
      request.resume();
      request.on("end", () => {
        response.setHeader("content-type", "application/json");
        response.end(
          JSON.stringify({
            model: "tls-model",
            choices: [{ message: { role: "assistant", content: answer }, finish_reason: "stop" }],
            usage: { prompt_tokens: 3, completion_tokens: 3 },
          }),
        );
      });
    },
  );
  await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
  return {
    port: (origin.address() as { port: number }).port,
    certificatePath,
    close: () => new Promise<void>((resolve) => origin.close(() => resolve())),
  };
}

/**
 * One generate call to `baseUrl` from a child process with `environment` (keys, proxy variables), trusting
 * `certificatePath` (or no extra certificate when it is empty).
 */
export function generateInChild(
  baseUrl: string,
  environment: NodeJS.ProcessEnv,
  certificatePath: string,
): Promise<GenerateResult> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [join(import.meta.dirname, "tls-proxy-child.ts"), baseUrl, JSON.stringify(environment)],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: certificatePath }, timeout: 20_000 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as GenerateResult)),
    ),
  );
}
