/**
 * A fake Azure CLI for tests of Microsoft Entra ID sign-in (@azure/identity's AzureCliCredential runs
 * `az account get-access-token --output json --resource <resource>`): an `az` program alone in a
 * temporary folder, to be put on PATH. Each call prints the JSON the real one prints with the next token
 * of the list (the last one repeats), its expiry counted from the moment of the call, or answers like an
 * `az` that is not logged in. It is a Node script (no shell tools needed), so PATH can
 * hold that folder alone.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FakeAzToken {
  accessToken: string;
  /** Seconds from the call until the token expires (negative: already expired). */
  expiresInSeconds: number;
}

export interface FakeAz {
  /** The folder that holds `az` and nothing else of use: put it on PATH. */
  folder: string;
  /** The arguments of every call so far, in order. */
  calls(): string[][];
  remove(): void;
}

/** An answer of the fake `az`: a token, or "not logged in" (as after the sign-in has expired). */
export type FakeAzAnswer = FakeAzToken | "not logged in";

/** Writes the fake `az`; `answers` empty = never logged in. */
export function writeFakeAz(answers: FakeAzAnswer[]): FakeAz {
  const folder = mkdtempSync(join(tmpdir(), "distillscope-fake-az-"));
  if (/\s/.test(process.execPath) || /\s|'/.test(folder))
    throw new Error(`cannot write a script header for ${process.execPath} in ${folder}`);
  const callsFile = join(folder, "calls.jsonl");
  writeFileSync(join(folder, "answers.json"), JSON.stringify(answers));
  const script = `#!${process.execPath}
// Fake Azure CLI written by src/testing/fake-az.ts (runs with the working directory /bin).
const { appendFileSync, readFileSync } = require("node:fs");
const folder = ${JSON.stringify(folder)};
appendFileSync(folder + "/calls.jsonl", JSON.stringify(process.argv.slice(2)) + "\\n");
const calls = readFileSync(folder + "/calls.jsonl", "utf8").trim().split("\\n").length;
const answers = JSON.parse(readFileSync(folder + "/answers.json", "utf8"));
const answer = answers.length === 0 ? "not logged in" : answers[Math.min(calls, answers.length) - 1];
if (answer === "not logged in") {
  process.stderr.write("ERROR: Please run 'az login' to setup account.\\n");
  process.exit(1);
}
const { accessToken, expiresInSeconds } = answer;
const expiresOn = Math.floor(Date.now() / 1000) + expiresInSeconds;
const local = new Date(expiresOn * 1000).toISOString().replace("T", " ").replace("Z", "000");
process.stdout.write(JSON.stringify({
  accessToken,
  expiresOn: local,
  expires_on: expiresOn,
  subscription: "00000000-0000-0000-0000-000000000001",
  tenant: "00000000-0000-0000-0000-000000000002",
  tokenType: "Bearer",
}, null, 2) + "\\n");
`;
  const path = join(folder, "az");
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return {
    folder,
    calls: () => {
      try {
        return readFileSync(callsFile, "utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as string[]);
      } catch {
        return [];
      }
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/**
 * The environment of a process that must sign in only through the fake `az`: PATH is its folder alone
 * (no real az, azd or pwsh), no AZURE_* variable of this machine, and AZURE_TOKEN_CREDENTIALS=dev so that
 * DefaultAzureCredential skips the environment, workload and managed identity credentials: the last
 * sends a probe to 169.254.169.254, which is a network call (and on an Azure VM could find a real
 * identity).
 */
export function fakeAzEnvironment(fakeAz: FakeAz, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base))
    if (!/^(AZURE_|IDENTITY_|MSI_|IMDS_)/.test(name)) environment[name] = value;
  environment.PATH = fakeAz.folder;
  environment.AZURE_TOKEN_CREDENTIALS = "dev";
  return environment;
}
