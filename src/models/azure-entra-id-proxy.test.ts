/**
 * The proxy of the Microsoft Entra ID sign-in: the HTTP(S) proxy our own requests would take to the
 * sign-in host is passed to @azure/identity as `proxyOptions`; a SOCKS proxy is not (its pipeline cannot
 * use one). Nothing leaves the machine: the proxies are loopback ones that refuse every tunnel.
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { InputError } from "../errors.ts";
import { closedPort } from "../testing/closed-port.ts";
import { startConnectProxy } from "../testing/connect-proxy.ts";
import { entraIdCredentialOptions, signInBeforeRequests } from "./azure-entra-id.ts";
import { createModel } from "./registry.ts";

const originalEnvironment = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in originalEnvironment)) delete process.env[name];
  Object.assign(process.env, originalEnvironment);
});

/** This process's environment without any proxy or Azure variable (the credential chain reads it). */
function clearProcessEnvironment(): void {
  for (const name of Object.keys(process.env))
    if (/_PROXY$|^(AZURE_|IDENTITY_|MSI_|IMDS_)/i.test(name)) delete process.env[name];
}

test("an HTTP(S) proxy for the sign-in host becomes proxyOptions, credentials still %-escaped", () => {
  clearProcessEnvironment();
  assert.deepEqual(entraIdCredentialOptions({}), {});
  assert.deepEqual(entraIdCredentialOptions({ HTTPS_PROXY: "http://me:p%40ss@proxy.example:3128" }), {
    proxyOptions: { host: "http://proxy.example", port: 3128, username: "me", password: "p%40ss" },
  });
  // ALL_PROXY stands in when HTTPS_PROXY is not set; lower case wins; the port defaults as for requests.
  assert.deepEqual(entraIdCredentialOptions({ ALL_PROXY: "https://gate.example" }), {
    proxyOptions: { host: "https://gate.example", port: 443 },
  });
  assert.deepEqual(
    entraIdCredentialOptions({ https_proxy: "proxy.lower:8080", HTTPS_PROXY: "http://proxy.upper:1" }),
    { proxyOptions: { host: "http://proxy.lower", port: 8080 } },
  );
  // HTTP_PROXY is for http:// hosts only; the sign-in host is https://.
  assert.deepEqual(entraIdCredentialOptions({ HTTP_PROXY: "http://proxy.example:3128" }), {});
});

test("NO_PROXY, a SOCKS proxy and AZURE_AUTHORITY_HOST are honoured", () => {
  clearProcessEnvironment();
  const proxy = "http://proxy.example:3128";
  assert.deepEqual(entraIdCredentialOptions({ HTTPS_PROXY: proxy, NO_PROXY: ".microsoftonline.com" }), {});
  // SOCKS: @azure/identity's pipeline speaks only HTTP CONNECT, so no proxy is passed (see the docs).
  assert.deepEqual(entraIdCredentialOptions({ ALL_PROXY: "socks5h://127.0.0.1:1080" }), {});
  process.env.AZURE_AUTHORITY_HOST = "https://login.microsoftonline.us";
  assert.deepEqual(
    entraIdCredentialOptions({ HTTPS_PROXY: proxy, NO_PROXY: "login.microsoftonline.us" }),
    {},
  );
  assert.equal(
    entraIdCredentialOptions({ HTTPS_PROXY: proxy, NO_PROXY: "login.microsoftonline.com" }).proxyOptions
      ?.port,
    3128,
  );
});

test("a client-secret sign-in asks for its token through the proxy the model's environment names", {
  timeout: 60_000,
}, async () => {
  // Nothing reaches the internet: our proxy sends every tunnel to a closed loopback port, and the one in
  // this process's environment (what the library would use by itself) closes every connection.
  const nowhere = await closedPort();
  const ours = await startConnectProxy({ targetPort: nowhere, credentials: "me:proxy-pass" });
  const libraryOwn = await startConnectProxy({ targetPort: nowhere, fault: "close" });
  try {
    clearProcessEnvironment();
    Object.assign(process.env, {
      HTTPS_PROXY: libraryOwn.url,
      AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential",
      AZURE_TENANT_ID: "00000000-0000-0000-0000-0000000000aa",
      AZURE_CLIENT_ID: "00000000-0000-0000-0000-0000000000bb",
      AZURE_CLIENT_SECRET: "client-secret-PROXY-TEST-9d8c7b",
    });
    const proxyUrl = new URL(ours.url);
    proxyUrl.username = "me";
    proxyUrl.password = "proxy-pass";
    const model = createModel("azure:prod-chat", {
      environment: { AZURE_OPENAI_ENDPOINT: "https://resource.example", HTTPS_PROXY: proxyUrl.href },
    });
    await assert.rejects(signInBeforeRequests([model]), (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.match(error.message, /^azure:prod-chat: /);
      assert.doesNotMatch(error.message, /PROXY-TEST|proxy-pass/);
      return true;
    });
    assert.ok(ours.connects.length > 0, "the sign-in did not go through the proxy it was given");
    assert.ok(
      ours.connects.every((target) => target === "login.microsoftonline.com:443"),
      ours.connects.join(", "),
    );
    assert.equal(ours.authorizations[0], `Basic ${Buffer.from("me:proxy-pass").toString("base64")}`);
    assert.equal(libraryOwn.connections(), 0);
  } finally {
    await ours.close();
    await libraryOwn.close();
  }
});
