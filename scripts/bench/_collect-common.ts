/**
 * Shared parts of the collect benchmarks: the mock server in a child process, prompt files, the
 * "true answer" the server gives, a bare keep-alive node:http client, and reading transcripts.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { Pool } from "undici";
import type { ChatMessage } from "../../src/models/types.ts";

export const repositoryRoot = join(import.meta.dirname, "../..");
export const cliPath = join(repositoryRoot, "src/cli/main.ts");

/** The answer the benchmark server gives to a conversation (so a test can check every line). */
export function trueAnswer(messages: readonly ChatMessage[]): string {
  const text = messages.map((message) => `${message.role}:${message.content}`).join("\n");
  return `true answer ${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
}

export function promptText(index: number): string {
  return `bench prompt ${index}: explain item ${index} in one sentence.`;
}

/** Writes `count` prompts as a prompt JSONL file. */
export function writePrompts(path: string, count: number): void {
  const lines: string[] = [];
  for (let index = 0; index < count; index++)
    lines.push(JSON.stringify({ id: `p${index}`, prompt: promptText(index) }));
  writeFileSync(path, `${lines.join("\n")}\n`);
}

export interface ServerStats {
  requests: number;
  byStatus: Record<string, number>;
  successfulByPrompt: Record<string, number>;
}

export interface ServerHandle {
  url: string;
  openaiBaseUrl: string;
  stats(): Promise<ServerStats>;
  setOptions(options: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** Starts the mock provider server in its own process. */
export async function startServerProcess(
  options: Record<string, unknown>,
  respond?: "truth",
): Promise<ServerHandle> {
  const child: ChildProcess = fork(join(import.meta.dirname, "_mock-server.ts"), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const reply = <T>(type: string): Promise<T> =>
    new Promise((resolve) => {
      const listener = (message: { type: string }): void => {
        if (message.type !== type) return;
        child.off("message", listener);
        resolve(message as T);
      };
      child.on("message", listener);
    });
  const ready = reply<{ url: string; openaiBaseUrl: string }>("ready");
  child.send({ type: "start", options, ...(respond ? { respond } : {}) });
  const { url, openaiBaseUrl } = await ready;
  return {
    url,
    openaiBaseUrl,
    stats: async () => {
      const answer = reply<ServerStats>("stats");
      child.send({ type: "stats" });
      return answer;
    },
    setOptions: async (next) => {
      const answer = reply("set");
      child.send({ type: "set", options: next });
      await answer;
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "close" });
      await exited;
    },
  };
}

/**
 * The baseline: a bare keep-alive node:http client sending the same chat-completions requests with
 * `concurrency` in flight and reading each answer. Returns the seconds it took.
 */
export async function bareClientRun(
  openaiBaseUrl: string,
  model: string,
  prompts: readonly string[],
  concurrency: number,
  apiKey = "bench-key",
): Promise<{ seconds: number; answers: string[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(`${openaiBaseUrl}/chat/completions`);
  const answers: string[] = new Array(prompts.length);
  let next = 0;
  const one = (prompt: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ model, messages: [{ role: "user", content: prompt }], temperature: 0 });
      const request = http.request(
        url,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            authorization: `Bearer ${apiKey}`,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
              resolve(String(parsed.choices?.[0]?.message?.content ?? ""));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < prompts.length) {
        const index = next++;
        answers[index] = await one(prompts[index]!);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { seconds, answers };
}

/**
 * The second baseline: a bare undici client (a keep-alive Pool of `concurrency` connections, undici's
 * request API, the same requests and the same JSON parsing as bareClientRun). undici is what the adapters
 * use, so this side shows the engine's own overhead apart from the choice of HTTP library.
 */
export async function bareUndiciRun(
  openaiBaseUrl: string,
  model: string,
  prompts: readonly string[],
  concurrency: number,
  apiKey = "bench-key",
): Promise<{ seconds: number; answers: string[] }> {
  const url = new URL(`${openaiBaseUrl}/chat/completions`);
  const pool = new Pool(url.origin, { connections: concurrency });
  const headers = { "content-type": "application/json", authorization: `Bearer ${apiKey}` };
  const answers: string[] = new Array(prompts.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < prompts.length) {
        const index = next++;
        const body = JSON.stringify({
          model,
          messages: [{ role: "user", content: prompts[index] }],
          temperature: 0,
        });
        const response = await pool.request({ method: "POST", path: url.pathname, headers, body });
        const parsed = JSON.parse(await response.body.text());
        answers[index] = String(parsed.choices?.[0]?.message?.content ?? "");
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { seconds, answers };
}

/** The arguments of `distillscope --home <home> --quiet collect` against the bench model on a loopback server. */
export function collectArgs(options: {
  home: string;
  baseUrl: string;
  promptFile: string;
  out: string;
  extra?: readonly string[];
}): string[] {
  return [
    "--home",
    options.home,
    "--quiet",
    "collect",
    "--target",
    "openai:bench-model",
    "--base-url",
    options.baseUrl,
    "--prompts",
    options.promptFile,
    "--out",
    options.out,
    ...(options.extra ?? []),
  ];
}

/** Runs `node src/cli/main.ts ...` and resolves with its exit code, stdout and stderr. */
export function runCli(
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: environment,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Parsed lines of a JSONL file. */
export function readJsonl<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

/** Prints the verdict line and sets the exit code. */
export function verdict(passed: boolean, description: string): void {
  process.stdout.write(`${passed ? "PASS" : "FAIL"}: ${description}\n`);
  if (!passed) process.exitCode = 1;
}
