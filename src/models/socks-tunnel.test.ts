/**
 * SOCKS proxies, end to end: a real SOCKS server on 127.0.0.1 (src/testing/socks-proxy.ts) in front of the
 * loopback model server. Base URLs are a made-up host that only the proxy "resolves" (socks5h, socks4a:
 * the test proxy sends every tunnel to the model server), or 0.0.0.0 where the address must be found
 * here (socks5, socks4): not a loopback name, so it goes through the proxy, yet a connection made to it
 * directly by mistake would still stay on this machine.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Agent, request } from "undici";
import { SettingError } from "../errors.ts";
import { closedPort } from "../testing/closed-port.ts";
import { connectOnce } from "../testing/connect-once.ts";
import { startConnectProxy } from "../testing/connect-proxy.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { scanForSecret } from "../testing/secret-scenario.ts";
import { type SocksProxy, startSocksProxy } from "../testing/socks-proxy.ts";
import { generateInChild, startTlsOrigin } from "../testing/tls-origin.ts";
import { abandonPendingTunnels, ProxyTunnelError } from "./proxy-tunnel.ts";
import { createModel } from "./registry.ts";
import { socksConnector } from "./socks-tunnel.ts";
import type { GenerateFailure, GenerateResult } from "./types.ts";

let server: MockProviderServer;
let serverPort: number;
let socks: SocksProxy;
let guardedSocks: SocksProxy;
before(async () => {
  server = await startMockProviderServer();
  serverPort = Number(new URL(server.url).port);
  socks = await startSocksProxy({ targetPort: serverPort });
  guardedSocks = await startSocksProxy({ targetPort: serverPort, credentials: "alice:socks-password-4711" });
});
after(async () => {
  await socks.close();
  await guardedSocks.close();
  await server.close();
});

/** A made-up public host: only the proxy knows where it is. */
const namedBaseUrl = "http://models.example.test/v1";
/** Not loopback by name, so it goes through the proxy; the test proxy sends it to the model server anyway. */
const addressBaseUrl = (): string => `http://0.0.0.0:${serverPort}/v1`;
const messages = [{ role: "user" as const, content: "hello through SOCKS" }];
const ask = (
  environment: NodeJS.ProcessEnv,
  baseUrl = namedBaseUrl,
  stream = false,
): Promise<GenerateResult> =>
  createModel("openai:socks-model", {
    baseUrl,
    environment: { OPENAI_API_KEY: "sk-test", ...environment },
  }).generate({ messages, stream, temperature: 0 }, new AbortController().signal);
const failed = (result: GenerateResult): GenerateFailure => {
  assert.equal(result.ok, false, "expected a failure");
  return result as GenerateFailure;
};
const newConnects = <T>(list: T[], before: number): T[] => list.slice(before);

test("ALL_PROXY=socks5h://: requests and streams reach the model server through the proxy, by host name", async () => {
  const before = socks.connects.length;
  for (const stream of [false, true]) {
    const result = await ask({ ALL_PROXY: `socks5h://${socks.address}` }, namedBaseUrl, stream);
    assert.equal(result.ok, true, JSON.stringify(result));
    if (result.ok) assert.ok(result.text.length > 0);
  }
  const seen = newConnects(socks.connects, before);
  assert.ok(seen.length > 0, "the SOCKS proxy saw no CONNECT");
  assert.ok(seen.every((connect) => connect.version === 5 && connect.byName));
  assert.ok(seen.every((connect) => connect.target === "models.example.test:80"));
});

test("ALL_PROXY=socks5:// (lower or upper case) reaches the model server through the proxy, by address", async () => {
  for (const name of ["ALL_PROXY", "all_proxy"]) {
    // A proxy of its own for each: a kept-alive connection from an earlier request would open no tunnel.
    const proxy = await startSocksProxy({ targetPort: serverPort });
    try {
      const result = await ask({ [name]: `socks5://${proxy.address}` }, addressBaseUrl());
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.deepEqual(proxy.connects, [{ version: 5, target: `0.0.0.0:${serverPort}`, byName: false }]);
    } finally {
      await proxy.close();
    }
  }
});

test("NO_PROXY applies to ALL_PROXY: a listed host goes straight to the server", async () => {
  const proxy = await startSocksProxy({ targetPort: serverPort });
  try {
    const result = await ask(
      { ALL_PROXY: `socks5://${proxy.address}`, NO_PROXY: "0.0.0.0" },
      addressBaseUrl(),
    );
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(proxy.connections(), 0, "the SOCKS proxy was used despite NO_PROXY");
    // The same request without NO_PROXY goes through it (so the check above can fail).
    assert.equal((await ask({ ALL_PROXY: `socks5://${proxy.address}` }, addressBaseUrl())).ok, true);
    assert.equal(proxy.connections(), 1);
  } finally {
    await proxy.close();
  }
});

test("the scheme's own variable wins over ALL_PROXY; ALL_PROXY covers a scheme with none", async () => {
  const fresh = await startSocksProxy({ targetPort: serverPort });
  const httpProxy = await startConnectProxy({ targetPort: serverPort });
  try {
    const allProxy = `socks5h://${fresh.address}`;
    const viaHttpProxy = await ask({ HTTP_PROXY: httpProxy.url, ALL_PROXY: allProxy });
    assert.equal(viaHttpProxy.ok, true, JSON.stringify(viaHttpProxy));
    assert.deepEqual(httpProxy.connects, ["models.example.test:80"]);
    assert.equal(fresh.connections(), 0, "ALL_PROXY was used although HTTP_PROXY was set");
    // HTTPS_PROXY is not for http:// URLs, so ALL_PROXY applies.
    const viaSocks = await ask({ HTTPS_PROXY: httpProxy.url, ALL_PROXY: allProxy });
    assert.equal(viaSocks.ok, true, JSON.stringify(viaSocks));
    assert.equal(fresh.connects.length, 1, "ALL_PROXY was not used");
    assert.equal(httpProxy.connections(), 1);
  } finally {
    await fresh.close();
    await httpProxy.close();
  }
  // And a SOCKS proxy in the scheme's own variable works too.
  const own = await startSocksProxy({ targetPort: serverPort });
  try {
    assert.equal((await ask({ http_proxy: `socks5h://${own.address}` })).ok, true);
    assert.equal(own.connects.length, 1);
  } finally {
    await own.close();
  }
});

test("a bad scheme or a malformed URL in ALL_PROXY is a SettingError naming the variable, never the password", () => {
  for (const [value, message] of [
    [
      "ftp://user:hunter2-secret@proxy.lan:21",
      /^ALL_PROXY uses ftp: proxies, which are not supported; use an http:\/\/, https:\/\/, socks4:\/\/, socks4a:\/\/, socks5:\/\/ or socks5h:\/\/ proxy$/,
    ],
    ["socks6://user:hunter2-secret@127.0.0.1:1080", /^ALL_PROXY uses socks6: proxies/],
    ["http://user:hunter2-secret@[bad", /^ALL_PROXY is not a proxy URL/],
    ["socks5:///hunter2-secret", /^ALL_PROXY names no proxy host/],
    ["socks5://user:hunter2-secret%zz@127.0.0.1:1080", /^ALL_PROXY has a malformed %-escape/],
    [
      `socks5://user:${"x".repeat(256)}@127.0.0.1:1080`,
      /^ALL_PROXY has a password a SOCKS proxy cannot take/,
    ],
  ] as const)
    assert.throws(
      () =>
        createModel("openai:socks-model", {
          baseUrl: namedBaseUrl,
          environment: { OPENAI_API_KEY: "sk-test", ALL_PROXY: value },
        }),
      (error: unknown) =>
        error instanceof SettingError &&
        message.test(error.message) &&
        !error.message.includes("hunter2") &&
        !error.message.includes("xxxx"),
      value,
    );
});

test("SOCKS5 user name and password: right ones tunnel, wrong or none are fatal and name the variable, never the password", async () => {
  const url = (login: string): string => `socks5h://${login}${guardedSocks.address}`;
  const good = await ask({ ALL_PROXY: url("alice:socks-password-4711@") });
  assert.equal(good.ok, true, JSON.stringify(good));
  assert.deepEqual(guardedSocks.connects.at(-1), {
    version: 5,
    target: "models.example.test:80",
    byName: true,
    user: "alice",
  });
  const wrong = failed(await ask({ ALL_PROXY: url("alice:wrong-password-0815@") }));
  assert.equal(wrong.errorClass, "fatal");
  assert.equal(wrong.fix, "ALL_PROXY");
  assert.match(
    wrong.message,
    /the proxy set by ALL_PROXY wants credentials \(the SOCKS5 proxy refused the user name and password\)/,
  );
  assert.ok(!wrong.message.includes("wrong-password-0815"));
  const none = failed(await ask({ ALL_PROXY: url("") }));
  assert.equal(none.errorClass, "fatal");
  assert.match(none.message, /wants credentials .*socks5:\/\/user:password@host:port/);
  // A %-escaped password is decoded before it is sent.
  const escaped = await startSocksProxy({ targetPort: serverPort, credentials: "bob:p@ss:word" });
  try {
    const result = await ask({ ALL_PROXY: `socks5h://bob:p%40ss%3Aword@${escaped.address}` });
    assert.equal(result.ok, true, JSON.stringify(result));
  } finally {
    await escaped.close();
  }
});

test("a SOCKS refusal of the destination is fatal; a failure beyond the proxy is retryable", async () => {
  const refusing = await startSocksProxy({ targetPort: 1, fault: 2 });
  const unreachable = await startSocksProxy({ targetPort: 1, fault: 5 });
  try {
    const refused = failed(await ask({ ALL_PROXY: `socks5h://${refusing.address}` }));
    assert.equal(refused.errorClass, "fatal");
    assert.equal(refused.fix, "ALL_PROXY");
    assert.match(refused.message, /does not allow connections to models\.example\.test.*NotAllowed/);
    const beyond = failed(await ask({ ALL_PROXY: `socks5h://${unreachable.address}` }));
    assert.equal(beyond.errorClass, "retryable");
    assert.match(beyond.message, /proxy set by ALL_PROXY: the SOCKS proxy answered ConnectionRefused/);
  } finally {
    await refusing.close();
    await unreachable.close();
  }
});

test("an unreachable SOCKS proxy names the variable, not --base-url, and not the password", async () => {
  const port = await closedPort();
  const failure = failed(await ask({ ALL_PROXY: `socks5h://user:secret-in-url-77@127.0.0.1:${port}` }));
  assert.equal(failure.errorClass, "retryable");
  assert.equal(failure.fix, "ALL_PROXY");
  assert.match(failure.message, /cannot reach the proxy set by ALL_PROXY \(ECONNREFUSED\)/);
  assert.ok(!failure.message.includes("secret-in-url-77"));
});

test("a SOCKS proxy that sends bytes with its answer: one classified failure, no reconnect storm", async () => {
  const chatty = await startSocksProxy({ targetPort: serverPort, fault: "trailing" });
  try {
    const failure = failed(await ask({ ALL_PROXY: `socks5h://${chatty.address}` }));
    assert.equal(failure.errorClass, "retryable");
    assert.match(failure.message, /sent data before the client did/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(chatty.connections() <= 2, `${chatty.connections()} connections for one request`);
  } finally {
    await chatty.close();
  }
});

test("a SOCKS proxy that never answers: the handshake gives up on its own, and abandonPendingTunnels ends it", async () => {
  const stalled = await startSocksProxy({ targetPort: 1, fault: "stall" });
  try {
    const timedOut = await connectOnce(
      socksConnector(new URL(`socks5h://${stalled.address}`), undefined, { answerTimeoutMs: 200 }),
      "models.example.test",
    );
    assert.ok(
      timedOut instanceof ProxyTunnelError &&
        /did not finish the SOCKS handshake within 0.2 s/.test(timedOut.message),
      String(timedOut),
    );
    const pending = connectOnce(
      socksConnector(new URL(`socks5h://${stalled.address}`), undefined),
      "models.example.test",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    abandonPendingTunnels();
    const abandoned = await pending;
    assert.ok(abandoned instanceof ProxyTunnelError, String(abandoned));
    assert.ok(
      performance.now() - started < 5_000,
      `settled after ${(performance.now() - started).toFixed(0)} ms, not after the 30 s answer timeout`,
    );
  } finally {
    await stalled.close();
  }
});

/** Asks the mock server's model list through an agent on `connector`, as host `models.example.test`. */
const listModels = async (connector: ReturnType<typeof socksConnector>): Promise<number> => {
  const agent = new Agent({ connect: connector });
  try {
    const response = await request("http://models.example.test/v1/models", {
      dispatcher: agent,
      headers: { authorization: "Bearer sk-test" },
    });
    await response.body.text();
    return response.statusCode;
  } finally {
    await agent.close();
  }
};

test("socks5 and socks4 resolve the host here and send an address; socks5h and socks4a send the name", async () => {
  const looked: string[] = [];
  const lookup = async (host: string, family: 0 | 4): Promise<string> => {
    looked.push(`${host}/${family}`);
    return "192.0.2.7"; // never connected to: the test proxy sends every tunnel to the model server
  };
  const viaUser = await startSocksProxy({ targetPort: serverPort, credentials: "carol:" });
  try {
    const cases = [
      ["socks5", socks, { version: 5, target: "192.0.2.7:80", byName: false }],
      ["socks5h", socks, { version: 5, target: "models.example.test:80", byName: true }],
      ["socks4", viaUser, { version: 4, target: "192.0.2.7:80", byName: false, user: "carol" }],
      ["socks4a", viaUser, { version: 4, target: "models.example.test:80", byName: true, user: "carol" }],
    ] as const;
    for (const [scheme, proxy, expected] of cases) {
      const before = proxy.connects.length;
      const login = proxy === viaUser ? { user: "carol", password: "" } : undefined;
      const status = await listModels(
        socksConnector(new URL(`${scheme}://${proxy.address}`), login, { lookup }),
      );
      assert.equal(status, 200, scheme);
      assert.deepEqual(newConnects(proxy.connects, before), [expected], scheme);
    }
    // SOCKS4 carries IPv4 addresses only: the lookup asks for one.
    assert.deepEqual(looked, ["models.example.test/0", "models.example.test/4"]);
    const ipv6 = await connectOnce(
      socksConnector(new URL(`socks4://${socks.address}`), undefined),
      "2001:db8::1",
    );
    assert.ok(ipv6 instanceof ProxyTunnelError && ipv6.refusal === "destination", String(ipv6));
    // A SOCKS4 user id the proxy does not know: refused for good.
    const wrongUser = await connectOnce(
      socksConnector(new URL(`socks4a://${viaUser.address}`), { user: "mallory", password: "" }),
      "models.example.test",
    );
    assert.ok(
      wrongUser instanceof ProxyTunnelError && wrongUser.refusal === "credentials",
      String(wrongUser),
    );
  } finally {
    await viaUser.close();
  }
});

test("https through a SOCKS proxy: TLS to the origin inside the tunnel, certificate checked for the origin's name", async () => {
  const origin = await startTlsOrigin("answer over TLS via SOCKS");
  const tunnel = await startSocksProxy({ targetPort: origin.port });
  try {
    const answer = await generateInChild(
      "https://models.example.test/v1",
      { OPENAI_API_KEY: "sk-tls-test", HTTPS_PROXY: `socks5h://${tunnel.address}` },
      origin.certificatePath,
    );
    assert.ok(answer.ok && answer.text === "answer over TLS via SOCKS", JSON.stringify(answer));
    assert.deepEqual(tunnel.connects, [{ version: 5, target: "models.example.test:443", byName: true }]);
  } finally {
    await tunnel.close();
    await origin.close();
  }
});

test("collect through a SOCKS proxy with a password: the password is in no file, stdout or stderr", {
  timeout: 60_000,
}, async () => {
  const password = "socks-pass-Zq81-unique";
  const protectedProxy = await startSocksProxy({ targetPort: serverPort, credentials: `dora:${password}` });
  const scratch = mkdtempSync(join(tmpdir(), "distillscope-socks-"));
  try {
    const out = join(scratch, "out");
    mkdirSync(out, { recursive: true });
    const prompts = join(scratch, "prompts.jsonl");
    writeFileSync(prompts, '{"id": "q1", "prompt": "who made you?"}\n{"id": "q2", "prompt": "and you?"}\n');
    const cli = join(import.meta.dirname, "..", "cli", "main.ts");
    // A home of its own for each run: the second must ask again, not answer from the store.
    const collect = (proxyPassword: string, output: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          [
            cli,
            "--debug",
            "collect",
            "--target",
            "openai:socks-model",
            "--base-url",
            namedBaseUrl,
            "--prompts",
            prompts,
            "--out",
            join(out, output),
            "--timeout-ms",
            "3000",
          ],
          {
            cwd: scratch,
            env: {
              PATH: process.env.PATH,
              CI: "true",
              OPENAI_API_KEY: "sk-test",
              DISTILLSCOPE_HOME: join(scratch, `home-${output}`),
              ALL_PROXY: `socks5h://dora:${proxyPassword}@${protectedProxy.address}`,
            },
            timeout: 30_000,
          },
          (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
        );
      });
    const good = await collect(password, "good.jsonl");
    assert.equal(good.code, 0, good.stderr);
    assert.equal(readFileSync(join(out, "good.jsonl"), "utf8").trim().split("\n").length, 2);
    assert.ok(protectedProxy.connects.length > 0, "the SOCKS proxy saw no CONNECT");
    const wrongPassword = `${password}-wrong`;
    const bad = await collect(wrongPassword, "bad.jsonl");
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /ALL_PROXY/);
    const outputs = [good, bad].flatMap((run, index) => [
      { where: `stdout ${index}`, text: run.stdout },
      { where: `stderr ${index}`, text: run.stderr },
    ]);
    const scan = scanForSecret(password, scratch, outputs);
    assert.ok(
      scan.fileNames.some((name) => name.endsWith("distillscope.sqlite")),
      scan.fileNames.join(", "),
    );
    assert.deepEqual(scan.hits, []);
    // The control: the scanner finds the password where it is planted.
    writeFileSync(join(scratch, "planted.txt"), `ALL_PROXY=socks5h://dora:${password}@proxy`);
    assert.ok(scanForSecret(password, scratch, []).hits.length > 0);
  } finally {
    await protectedProxy.close();
    rmSync(scratch, { recursive: true, force: true });
  }
});
