/**
 * verify against a folder that changes while it is checked (time of check to time of use): a thread
 * keeps swapping a listed file, or the folder above it, for a symbolic link out of the report folder.
 * Whatever the timing, verify must never hash the outside file.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { Worker } from "node:worker_threads";
import { verifyManifest } from "./manifest.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Swaps `target` between the real entry at `real` and the link at `link` by renames, holding each for
 * up to 0.3 ms (so that verify sees both, not only the gap between), until `stop` is set or 20 s have
 * passed (it always ends by itself).
 */
const swapper = `
const { renameSync } = require("node:fs");
const { workerData } = require("node:worker_threads");
const { target, real, link, stop } = workerData;
const flag = new Int32Array(stop);
const deadline = Date.now() + 20000;
const hold = () => {
  const until = performance.now() + Math.random() * 0.3;
  while (performance.now() < until);
};
while (Atomics.load(flag, 0) === 0 && Date.now() < deadline) {
  renameSync(real, target);
  hold();
  renameSync(target, real);
  renameSync(link, target);
  hold();
  renameSync(target, link);
}
`;

async function verifyWhileSwapping(
  folder: string,
  swap: { target: string; real: string; link: string },
  listed: string,
) {
  const stop = new SharedArrayBuffer(4);
  const worker = new Worker(swapper, { eval: true, workerData: { ...swap, stop } });
  const seen = new Map<string, number>();
  await new Promise((resolve) => worker.once("online", resolve));
  const actual = new Set<string | undefined>();
  try {
    // Bounded: 1,500 verifications or 8 s, whichever comes first.
    const deadline = Date.now() + 8_000;
    for (let round = 0; round < 1_500 && Date.now() < deadline; round++) {
      const entry = (await verifyManifest(folder)).entries.find((file) => file.path === listed);
      const key = `${entry?.status}${entry?.outside ? `:${entry.outside}` : ""}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      actual.add(entry?.actual);
    }
  } finally {
    Atomics.store(new Int32Array(stop), 0, 1);
    await worker.terminate();
  }
  return { seen, actual };
}

function reportFolder(listed: string) {
  const root = mkdtempSync(join(tmpdir(), "distillscope-manifest-race-"));
  const folder = join(root, "report");
  const outside = join(root, "outside");
  mkdirSync(folder);
  mkdirSync(outside);
  writeFileSync(join(outside, "result.json"), "outside: must never be read");
  writeFileSync(
    join(folder, "manifest.json"),
    JSON.stringify({
      manifestVersion: 2,
      files: [{ path: listed, role: "result", sha256: sha256("inside"), bytes: 6 }],
      external: [],
    }),
  );
  return { root, folder, outside };
}

test("a listed file swapped for a link out of the folder while verify runs is never read through", async () => {
  const { root, folder, outside } = reportFolder("result.json");
  writeFileSync(join(root, "real-file"), "inside");
  symlinkSync(join(outside, "result.json"), join(root, "link-file"));
  const { seen, actual } = await verifyWhileSwapping(
    folder,
    { target: join(folder, "result.json"), real: join(root, "real-file"), link: join(root, "link-file") },
    "result.json",
  );
  assert.ok(!actual.has(sha256("outside: must never be read")), `read the outside file: ${[...seen]}`);
  // The swaps were seen: some checks found the file, some found the link.
  assert.ok((seen.get("ok") ?? 0) > 0 && (seen.get("outside:link") ?? 0) > 0, `${[...seen]}`);
});

test("a parent folder swapped for a link out of the folder while verify runs is never read through", async () => {
  const { root, folder, outside } = reportFolder("results/result.json");
  mkdirSync(join(root, "real-folder"));
  writeFileSync(join(root, "real-folder", "result.json"), "inside");
  symlinkSync(outside, join(root, "link-folder"));
  const { seen, actual } = await verifyWhileSwapping(
    folder,
    { target: join(folder, "results"), real: join(root, "real-folder"), link: join(root, "link-folder") },
    "results/result.json",
  );
  assert.ok(!actual.has(sha256("outside: must never be read")), `read the outside file: ${[...seen]}`);
  assert.ok((seen.get("ok") ?? 0) > 0 && (seen.get("outside:link") ?? 0) > 0, `${[...seen]}`);
});
