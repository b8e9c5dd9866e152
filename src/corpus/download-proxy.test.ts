import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { EnvHttpProxyAgent } from "undici";
import { closedPort } from "../testing/closed-port.ts";
import { startConnectProxy } from "../testing/connect-proxy.ts";
import { downloadDispatcher, fetchHonoursEnvProxy } from "./download-proxy.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-download-proxy-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("before Node 24 the downloader brings its own proxy agent, only when NODE_USE_ENV_PROXY=1", () => {
  assert.equal(fetchHonoursEnvProxy("22.13.0"), false);
  assert.equal(fetchHonoursEnvProxy("23.11.1"), false);
  assert.equal(fetchHonoursEnvProxy("24.0.0"), true);
  assert.ok(downloadDispatcher({ NODE_USE_ENV_PROXY: "1" }, "22.13.0") instanceof EnvHttpProxyAgent);
  assert.equal(
    downloadDispatcher({ NODE_USE_ENV_PROXY: "1" }, "24.22.3"),
    undefined,
    "Node 24 does it itself",
  );
  assert.equal(downloadDispatcher({}, "22.13.0"), undefined);
  assert.equal(downloadDispatcher({ NODE_USE_ENV_PROXY: "0" }, "22.13.0"), undefined);
});

test("with HTTPS_PROXY and NODE_USE_ENV_PROXY=1 a download goes to the proxy, on this Node (22.13 ignored the variable)", async () => {
  // The proxy refuses every CONNECT (403): the download fails at once, after reaching it. (A tunnel that
  // opens and then closes would make undici's proxy agent reconnect in a loop.)
  const proxy = await startConnectProxy({ targetPort: await closedPort(), fault: 403 });
  try {
    const downloader = pathToFileURL(join(import.meta.dirname, "download.ts")).href;
    const script = `
      import { downloadFile } from ${JSON.stringify(downloader)};
      try {
        await downloadFile({ url: "https://files.example.test/data.json", relativePath: "data.json",
          cacheDirectory: ${JSON.stringify(scratch)}, timeoutMs: 10000 });
        console.log("downloaded");
      } catch (error) { console.log("failed:", error.message); }`;
    const output = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        [
          ...process.execArgv.filter((flag) => !flag.startsWith("--test")),
          "--input-type=module",
          "-e",
          script,
        ],
        {
          env: { ...process.env, NODE_USE_ENV_PROXY: "1", HTTPS_PROXY: proxy.url, NO_PROXY: "" },
          timeout: 30_000,
        },
        (_error, stdout, stderr) => resolve(stdout + stderr),
      );
    });
    assert.match(output, /failed/);
    assert.ok(proxy.connections() > 0, `the proxy saw no connection: ${output}`);
  } finally {
    await proxy.close();
  }
});
