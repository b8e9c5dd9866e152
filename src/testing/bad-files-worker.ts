/** Worker side of the importer fuzzer: reads each posted input with the named importer, answers its outcome. */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "../store/store.ts";
import { importers, tryInput } from "./bad-files.ts";

const scratch = mkdtempSync(join((workerData as { scratch: string }).scratch, "worker-"));
const store = openStore(join(scratch, "home"));
const byName = new Map(importers(store).map((importer) => [importer.name, importer]));

parentPort?.on("message", async (message: { importer: string; bytes: Uint8Array }) => {
  const importer = byName.get(message.importer);
  if (importer === undefined) {
    parentPort?.postMessage({ outcome: "crash", detail: `unknown importer ${message.importer}` });
    return;
  }
  // The outer time limit (terminating this worker) is the real one; this one only reports slow async work.
  const answer = await tryInput(importer, message.bytes, scratch, 60_000);
  parentPort?.postMessage(answer);
});
