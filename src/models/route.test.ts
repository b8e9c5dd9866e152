import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { InputError } from "../errors.ts";
import { closedPort } from "../testing/closed-port.ts";
import { connectOnce } from "../testing/connect-once.ts";
import { type ConnectProxy, startConnectProxy } from "../testing/connect-proxy.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { generateInChild, startTlsOrigin } from "../testing/tls-origin.ts";
import { headersOf } from "./http.ts";
import { abandonPendingTunnels, ProxyTunnelError, tunnelConnector } from "./proxy-tunnel.ts";
import { createModel } from "./registry.ts";
import { directRoute, exemptFromProxy, routeFor } from "./route.ts";
import type { GenerateFailure, GenerateResult } from "./types.ts";

test("NO_PROXY entries match a host, its subdomains, a port, or everything", () => {
  assert.equal(exemptFromProxy("api.example.com", 443, "example.com"), true);
  assert.equal(exemptFromProxy("api.example.com", 443, ".example.com"), true);
  assert.equal(exemptFromProxy("api.example.com", 443, "*.example.com"), true);
  assert.equal(exemptFromProxy("example.com", 443, "example.com"), true);
  assert.equal(exemptFromProxy("notexample.com", 443, "example.com"), false);
  assert.equal(exemptFromProxy("api.example.com", 443, "other.org, example.com:443"), true);
  assert.equal(exemptFromProxy("api.example.com", 8443, "example.com:443"), false);
  assert.equal(exemptFromProxy("api.example.com", 443, "other.org internal.lan"), false);
  assert.equal(exemptFromProxy("anything.at.all", 80, "*"), true);
  assert.equal(exemptFromProxy("[fd00::1]", 80, "[fd00::1]"), true);
  assert.equal(exemptFromProxy("api.example.com", 443, ""), false);
  // As curl reads them: a bare IPv6 address has no port, CIDR ranges, trailing dots, upper case.
  assert.equal(exemptFromProxy("[2001:db8::1]", 443, "2001:db8::1"), true);
  assert.equal(exemptFromProxy("[2001:db8::1]", 443, "[2001:db8::1]:443"), true);
  assert.equal(exemptFromProxy("[2001:db8::1]", 80, "[2001:db8::1]:443"), false);
  assert.equal(exemptFromProxy("10.1.2.3", 80, "10.0.0.0/8"), true);
  assert.equal(exemptFromProxy("11.1.2.3", 80, "10.0.0.0/8"), false);
  assert.equal(exemptFromProxy("[2001:db8::7]", 80, "2001:db8::/32"), true);
  assert.equal(exemptFromProxy("vllm.corp.internal.", 80, "corp.internal"), true);
  assert.equal(exemptFromProxy("vllm.corp.internal", 80, "corp.internal."), true);
  assert.equal(exemptFromProxy("API.Example.COM", 443, "example.com"), true);
  // An IP address is not a subdomain of anything.
  assert.equal(exemptFromProxy("10.1.2.3", 80, "2.3"), false);
});

test("the proxy variable of the URL's scheme applies, lower case first, and never to loopback", () => {
  const https = new URL("https://api.example.com/v1");
  const http = new URL("http://models.example.com/v1");
  assert.equal(routeFor(https, {}), directRoute);
  assert.equal(routeFor(https, { HTTPS_PROXY: "http://proxy.lan:3128" }).proxyVariable, "HTTPS_PROXY");
  assert.equal(
    routeFor(https, { https_proxy: "http://a.lan:1", HTTPS_PROXY: "http://b.lan:2" }).proxyVariable,
    "https_proxy",
  );
  // An https URL does not use HTTP_PROXY, nor an http URL HTTPS_PROXY (as curl and requests read them).
  assert.equal(routeFor(https, { HTTP_PROXY: "http://proxy.lan:3128" }), directRoute);
  assert.equal(routeFor(http, { HTTPS_PROXY: "http://proxy.lan:3128" }), directRoute);
  assert.equal(routeFor(http, { HTTP_PROXY: "proxy.lan:3128" }).proxyVariable, "HTTP_PROXY");
  assert.equal(
    routeFor(https, { HTTPS_PROXY: "http://proxy.lan:3128", NO_PROXY: "example.com" }),
    directRoute,
  );
  for (const local of [
    "http://localhost:8000/v1",
    "http://localhost.:8000/v1",
    "http://vllm.localhost:8000/v1",
    "http://127.0.0.1:8000/v1",
    "http://127.0.0.2:8000/v1",
    "http://[::1]:8000/v1",
  ])
    assert.equal(routeFor(new URL(local), { HTTP_PROXY: "http://proxy.lan:3128" }), directRoute, local);
  // One agent per proxy URL, shared.
  const first = routeFor(https, { HTTPS_PROXY: "http://proxy.lan:3128" });
  const second = routeFor(new URL("https://other.example.org"), { HTTPS_PROXY: "http://proxy.lan:3128" });
  assert.equal(first.dispatcher, second.dispatcher);
  assert.notEqual(first.dispatcher, directRoute.dispatcher);
});

test("ALL_PROXY comes after the scheme's own variable, lower case first, and takes SOCKS proxies", () => {
  const https = new URL("https://api.example.com/v1");
  const http = new URL("http://models.example.com/v1");
  assert.equal(routeFor(https, { ALL_PROXY: "socks5h://proxy.lan:1080" }).proxyVariable, "ALL_PROXY");
  assert.equal(routeFor(http, { ALL_PROXY: "http://proxy.lan:3128" }).proxyVariable, "ALL_PROXY");
  assert.equal(
    routeFor(https, { all_proxy: "socks5://a.lan:1080", ALL_PROXY: "socks5://b.lan:1080" }).proxyVariable,
    "all_proxy",
  );
  assert.equal(
    routeFor(https, { HTTPS_PROXY: "http://proxy.lan:3128", all_proxy: "socks5://a.lan" }).proxyVariable,
    "HTTPS_PROXY",
  );
  // HTTP_PROXY is not for https:// URLs, so ALL_PROXY applies to them.
  assert.equal(
    routeFor(https, { HTTP_PROXY: "http://proxy.lan:3128", ALL_PROXY: "socks4://a.lan" }).proxyVariable,
    "ALL_PROXY",
  );
  assert.equal(routeFor(https, { ALL_PROXY: "socks5://proxy.lan", NO_PROXY: ".example.com" }), directRoute);
  assert.equal(
    routeFor(new URL("http://localhost:8000/v1"), { ALL_PROXY: "socks5://proxy.lan" }),
    directRoute,
  );
  for (const scheme of ["socks4", "socks4a", "socks5", "socks5h", "SOCKS5H"]) {
    const route = routeFor(https, { ALL_PROXY: `${scheme}://u:socks-secret@proxy.lan` });
    assert.notEqual(route.dispatcher, directRoute.dispatcher, scheme);
    assert.deepEqual(route.proxySecrets, ["socks-secret"], scheme);
  }
  // A blank ALL_PROXY is unset.
  assert.equal(routeFor(https, { ALL_PROXY: "  " }), directRoute);
});

test("a bad proxy variable is an InputError that names the variable and not its value", () => {
  const https = new URL("https://api.example.com/v1");
  assert.throws(
    () => routeFor(https, { HTTPS_PROXY: "http://user:hunter2-secret@[bad" }),
    (error: unknown) =>
      error instanceof InputError && /HTTPS_PROXY/.test(error.message) && !error.message.includes("hunter2"),
  );
  assert.throws(
    () => routeFor(https, { HTTPS_PROXY: "ftp://proxy.lan:21" }),
    (error: unknown) => error instanceof InputError && /^HTTPS_PROXY uses ftp: proxies/.test(error.message),
  );
  const withCredentials = routeFor(https, { HTTPS_PROXY: "http://alice:p%40ss-word@proxy.lan:3128" });
  // Only the password is scrubbed (a user name is often an ordinary word).
  assert.deepEqual(withCredentials.proxySecrets, ["p@ss-word"]);
  assert.throws(
    () => routeFor(https, { HTTPS_PROXY: "http://u:p%zz@proxy.lan:3128" }),
    (error: unknown) => error instanceof InputError && /HTTPS_PROXY.*%-escape/.test(error.message),
  );
});

let server: MockProviderServer;
let proxy: ConnectProxy;
let guardedProxy: ConnectProxy;
before(async () => {
  server = await startMockProviderServer();
  const targetPort = Number(new URL(server.url).port);
  proxy = await startConnectProxy({ targetPort });
  guardedProxy = await startConnectProxy({ targetPort, credentials: "alice:proxy-password-123" });
});
after(async () => {
  await proxy.close();
  await guardedProxy.close();
  await server.close();
});

/** A made-up public host: only the proxy knows where it is (it tunnels every CONNECT to the mock server). */
const publicBaseUrl = "http://models.example.test/v1";
const messages = [{ role: "user" as const, content: "hello through the proxy" }];
const ask = (environment: NodeJS.ProcessEnv, stream = false): Promise<GenerateResult> =>
  createModel("openai:proxied-model", {
    baseUrl: publicBaseUrl,
    environment: { OPENAI_API_KEY: "sk-test", ...environment },
  }).generate({ messages, stream, temperature: 0 }, new AbortController().signal);
const failed = (result: GenerateResult): GenerateFailure => {
  assert.equal(result.ok, false, "expected a failure");
  return result as GenerateFailure;
};

test("requests and streams to a public host go through HTTP_PROXY and get the server's answer", async () => {
  const before = proxy.connects.length;
  for (const stream of [false, true]) {
    const result = await ask({ HTTP_PROXY: proxy.url }, stream);
    assert.equal(result.ok, true, JSON.stringify(result));
    if (result.ok) assert.ok(result.text.length > 0);
  }
  assert.ok(proxy.connects.length > before, "the proxy saw no CONNECT");
  assert.ok(proxy.connects.slice(before).every((target) => target === "models.example.test:80"));
});

test("a proxy that wants credentials: 407 is fatal and names the variable; with them it works; never the password", async () => {
  const refused = failed(await ask({ HTTP_PROXY: guardedProxy.url }));
  assert.equal(refused.errorClass, "fatal");
  assert.equal(refused.fix, "HTTP_PROXY");
  assert.match(refused.message, /407/);
  const wrong = failed(
    await ask({ HTTP_PROXY: guardedProxy.url.replace("//", "//alice:wrong-password-9@") }),
  );
  assert.equal(wrong.errorClass, "fatal");
  assert.ok(!wrong.message.includes("wrong-password-9"));
  const good = await ask({ HTTP_PROXY: guardedProxy.url.replace("//", "//alice:proxy-password-123@") });
  assert.equal(good.ok, true, JSON.stringify(good));
  assert.ok(guardedProxy.connects.includes("models.example.test:80"));
});

test("an unreachable proxy names the proxy variable, not --base-url", async () => {
  const port = await closedPort();
  const failure = failed(await ask({ HTTP_PROXY: `http://user:secret-in-url-77@127.0.0.1:${port}` }));
  assert.equal(failure.errorClass, "retryable");
  assert.equal(failure.fix, "HTTP_PROXY");
  assert.match(failure.message, /cannot reach the proxy set by HTTP_PROXY/);
  assert.ok(!failure.message.includes("secret-in-url-77"));
});

test("a loopback base URL never goes through the proxy, even with NO_PROXY unset", async () => {
  const before = proxy.connects.length;
  const model = createModel("openai:direct-model", {
    baseUrl: server.openaiBaseUrl,
    environment: { HTTP_PROXY: proxy.url },
  });
  const result = await model.generate({ messages, temperature: 0 }, new AbortController().signal);
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(proxy.connects.length, before);
});

test("a proxy that closes every connection at once: one classified failure, no reconnect storm", async () => {
  const closing = await startConnectProxy({ targetPort: 1, fault: "close" });
  try {
    const failure = failed(await ask({ HTTP_PROXY: closing.url }));
    assert.equal(failure.errorClass, "retryable");
    assert.match(failure.message, /proxy set by HTTP_PROXY/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(closing.connections() <= 2, `${closing.connections()} connections for one request`);
  } finally {
    await closing.close();
  }
});

test("a proxy that refuses the destination (403) is fatal and names the variable", async () => {
  const refusing = await startConnectProxy({ targetPort: 1, fault: 403 });
  try {
    const failure = failed(await ask({ HTTP_PROXY: refusing.url }));
    assert.equal(failure.errorClass, "fatal");
    assert.equal(failure.fix, "HTTP_PROXY");
    assert.match(failure.message, /does not allow connections to models\.example\.test.*403/);
    const upstreamTrouble = await startConnectProxy({ targetPort: 1, fault: 502 });
    try {
      assert.equal(failed(await ask({ HTTP_PROXY: upstreamTrouble.url })).errorClass, "retryable");
    } finally {
      await upstreamTrouble.close();
    }
  } finally {
    await refusing.close();
  }
});

test("a proxy that never answers CONNECT: the request's abort settles it at once; the tunnel gives up on its own", async () => {
  const stalled = await startConnectProxy({ targetPort: 1, fault: "stall" });
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();
    const result = await createModel("openai:proxied-model", {
      baseUrl: publicBaseUrl,
      environment: { OPENAI_API_KEY: "sk-test", HTTP_PROXY: stalled.url },
    }).generate({ messages, temperature: 0 }, controller.signal);
    assert.equal(failed(result).errorClass, "retryable");
    assert.ok(performance.now() - started < 2_000, `settled after ${performance.now() - started} ms`);
    // The connector itself stops waiting after its answer timeout (30 s in use; 200 ms here).
    const connector = tunnelConnector(new URL(stalled.url), undefined, { answerTimeoutMs: 200 });
    const error = await new Promise<Error | null>((resolve) =>
      connector({ hostname: "models.example.test", protocol: "http:", port: "80" }, (...outcome) =>
        resolve(outcome[0]),
      ),
    );
    assert.ok(error instanceof ProxyTunnelError && /did not answer CONNECT within 0.2 s/.test(error.message));
  } finally {
    await stalled.close();
  }
});

test("a proxy user name without a password is sent as user: (as curl does)", async () => {
  const before = proxy.authorizations.length;
  const result = await ask({ HTTP_PROXY: proxy.url.replace("//", "//carol@") });
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(proxy.authorizations[before], `Basic ${Buffer.from("carol:").toString("base64")}`);
});

test("a header sent twice keeps its first value (two Retry-After headers still give the wait)", () => {
  const headers = headersOf({ "retry-after": ["7", "7"], "x-other": "a" });
  assert.equal(headers.get("retry-after"), "7");
  assert.equal(headers.get("x-other"), "a");
});

test("https through the proxy: TLS to the origin inside the tunnel, certificate checked for the origin's name", async () => {
  const origin = await startTlsOrigin("answer over TLS");
  const tunnel = await startConnectProxy({ targetPort: origin.port });
  try {
    const environment = { OPENAI_API_KEY: "sk-tls-test", HTTPS_PROXY: tunnel.url };
    const answer = await generateInChild(
      "https://models.example.test/v1",
      environment,
      origin.certificatePath,
    );
    assert.ok(answer.ok && answer.text === "answer over TLS", JSON.stringify(answer));
    assert.deepEqual(tunnel.connects, ["models.example.test:443"]);
    // A certificate for another name: fatal, pointing at the base URL (trusting more CAs cannot help).
    const otherName = failed(
      await generateInChild("https://other.example.test/v1", environment, origin.certificatePath),
    );
    assert.equal(otherName.errorClass, "fatal");
    assert.equal(otherName.fix, "--base-url");
    assert.match(otherName.message, /is for another host name \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    // Without the test certificate trusted, the same tunnel fails the TLS check: fatal, naming the fix.
    const untrusted = failed(await generateInChild("https://models.example.test/v1", environment, ""));
    assert.equal(untrusted.errorClass, "fatal");
    assert.equal(untrusted.fix, "NODE_EXTRA_CA_CERTS");
    assert.match(
      untrusted.message,
      /TLS certificate of models\.example\.test is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
  } finally {
    await tunnel.close();
    await origin.close();
  }
});

test("a proxy that answers 200 with a body or stray bytes: one classified failure, no reconnect storm", async () => {
  for (const fault of ["body", "trailing"] as const) {
    const broken = await startConnectProxy({ targetPort: 1, fault });
    try {
      const failure = failed(await ask({ HTTP_PROXY: broken.url }));
      assert.equal(failure.errorClass, "retryable", fault);
      assert.match(failure.message, /sent a body with its 200 answer/, fault);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(broken.connections() <= 2, `${fault}: ${broken.connections()} connections for one request`);
    } finally {
      await broken.close();
    }
  }
});

test("more tunnels a second than the limit: the connector refuses instead of feeding a reconnect loop", async () => {
  const connector = tunnelConnector(new URL(proxy.url), undefined, { tunnelsPerSecond: 3 });
  // All five in the same tick, so they fall in one one-second window however slow the machine is.
  const outcomes = await Promise.all(
    Array.from({ length: 5 }, () => connectOnce(connector, "models.example.test")),
  );
  assert.deepEqual(
    outcomes.map((outcome) => outcome === null),
    [true, true, true, false, false],
  );
  assert.ok(outcomes[3] instanceof ProxyTunnelError && /more than 3 tunnels/.test(outcomes[3].message));
});

test("IPv6: the CONNECT target gets brackets, and a proxy at an IPv6 address is reached", async () => {
  const before = proxy.connects.length;
  assert.equal(
    await connectOnce(tunnelConnector(new URL(proxy.url), undefined), "2001:db8::1", "8080"),
    null,
  );
  assert.deepEqual(proxy.connects.slice(before), ["[2001:db8::1]:8080"]);
  const proxyOnIpv6 = await startConnectProxy({ targetPort: Number(new URL(server.url).port), host: "::1" });
  try {
    const result = await ask({ HTTP_PROXY: proxyOnIpv6.url });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(proxyOnIpv6.connects, ["models.example.test:80"]);
  } finally {
    await proxyOnIpv6.close();
  }
});

test("tunnels still waiting for the proxy's answer are closed by abandonPendingTunnels", async () => {
  const stalled = await startConnectProxy({ targetPort: 1, fault: "stall" });
  try {
    const pending = connectOnce(tunnelConnector(new URL(stalled.url), undefined), "models.example.test");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    abandonPendingTunnels();
    const error = await pending;
    assert.ok(error instanceof ProxyTunnelError, String(error));
    assert.ok(
      performance.now() - started < 5_000,
      `settled after ${(performance.now() - started).toFixed(0)} ms, not after the 30 s answer timeout`,
    );
  } finally {
    await stalled.close();
  }
});
