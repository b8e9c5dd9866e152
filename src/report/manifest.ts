/**
 * Evidence manifest of a report directory: tool version, scrubbed config, model ids and endpoints,
 * timestamps and the SHA-256 of every result, transcript and report file, so that a third party can
 * check that a report matches its data (`verifyManifest`).
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { redactSecrets } from "../secrets/redact.ts";
import { toolVersion } from "../version.ts";
import type { ReportableResult } from "./result-schema.ts";

export const manifestFileName = "manifest.json";
export const manifestVersion = 1;

export type EvidenceRole = "result" | "transcript" | "config" | "report";

export interface EvidenceFile {
  /** Relative to the report directory, with `/` separators (or absolute when outside it). */
  path: string;
  role: EvidenceRole;
  sha256: string;
  bytes: number;
}

export interface ManifestModel {
  id: string;
  role: string;
  endpoint?: string;
}

export interface Manifest {
  manifestVersion: number;
  tool: { name: "distillscope"; version: string };
  createdAt: string;
  config: unknown;
  models: ManifestModel[];
  results: Array<{
    path: string;
    kind: string;
    createdAt: string;
    toolVersion: string;
    schemaVersion: number;
  }>;
  files: EvidenceFile[];
}

const manifestSchema = z.looseObject({
  manifestVersion: z.number().int(),
  files: z.array(
    z.looseObject({
      path: z.string().min(1),
      role: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      bytes: z.number().int().min(0),
    }),
  ),
});

/** SHA-256 (hex) of a file, streamed so that large transcripts are never loaded whole. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const secretKeyPattern = /api[_-]?key|apikey|token|secret|password|passwd|authorization|credential|cookie/i;

/** An endpoint URL without user info and with key-like query parameters removed. */
export function scrubEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = "";
    url.password = "";
    for (const name of [...url.searchParams.keys()])
      if (secretKeyPattern.test(name) || name.toLowerCase() === "key")
        url.searchParams.set(name, "[redacted]");
    return redactSecrets(url.toString());
  } catch {
    return redactSecrets(endpoint);
  }
}

/**
 * A deep copy with secrets removed: values under key-like names (apiKey, token, secret, password...)
 * become "[redacted]", and strings that look like keys or equal a key variable's value are redacted.
 */
export function scrubSecrets(value: unknown): unknown {
  if (typeof value === "string")
    return /^https?:\/\//i.test(value) ? scrubEndpoint(value) : redactSecrets(value);
  if (Array.isArray(value)) return value.map((entry) => scrubSecrets(entry));
  if (typeof value === "object" && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      // A key *variable name* (apiKeyEnv: OPENAI_API_KEY) is not a secret; its value would be.
      const namesVariable =
        /env|variable/i.test(key) && typeof entry === "string" && /^[A-Z0-9_]+$/.test(entry);
      copy[key] = secretKeyPattern.test(key) && !namesVariable ? "[redacted]" : scrubSecrets(entry);
    }
    return copy;
  }
  return value;
}

function stringField(result: ReportableResult, key: string): string | undefined {
  const value = (result as Record<string, unknown>)[key];
  return typeof value === "string" ? value : undefined;
}

/** Model ids (and endpoints when a result records one) named by the results. */
export function modelsOf(results: readonly ReportableResult[]): ManifestModel[] {
  const models = new Map<string, ManifestModel>();
  const add = (id: string | undefined, role: string, endpoint?: string) => {
    if (!id || models.has(`${role}\u0000${id}`)) return;
    const model: ManifestModel = { id: redactSecrets(id), role };
    if (endpoint) model.endpoint = scrubEndpoint(endpoint);
    models.set(`${role}\u0000${id}`, model);
  };
  for (const result of results) {
    const endpoint = stringField(result, "endpoint") ?? stringField(result, "baseUrl");
    if (result.kind === "ice") add(result.target, "target", endpoint);
    else if (result.kind === "rse") {
      add(result.target, "target", endpoint);
      const references = (result as Record<string, unknown>).references ?? result.reference;
      for (const reference of Array.isArray(references) ? references : [references])
        if (typeof reference === "string") add(reference, "reference");
    } else {
      for (const candidate of result.candidates) add(candidate, "candidate");
      for (const attribution of result.attributions)
        if (!result.candidates.includes(attribution.model)) add(attribution.model, "student");
    }
  }
  return [...models.values()];
}

/** The manifest path of a file: relative to the report directory with `/`, or absolute outside it. */
export function evidencePath(directory: string, file: string): string {
  const relativePath = relative(resolve(directory), resolve(file));
  if (relativePath === "" || isAbsolute(relativePath)) return resolve(file);
  return relativePath.split(sep).join("/");
}

export interface BuildManifestOptions {
  directory: string;
  results: Array<{ path: string; result: ReportableResult }>;
  transcripts?: readonly string[];
  reports?: readonly string[];
  configPath?: string;
  config?: unknown;
  now?: Date;
}

async function evidence(directory: string, path: string, role: EvidenceRole): Promise<EvidenceFile> {
  if (!existsSync(path)) throw new InputError(`${path}: file not found; cannot hash it for the manifest`);
  return {
    path: evidencePath(directory, path),
    role,
    sha256: await sha256File(path),
    bytes: statSync(path).size,
  };
}

/** Builds the manifest object (hashing every file now). */
export async function buildManifest(options: BuildManifestOptions): Promise<Manifest> {
  const files: EvidenceFile[] = [];
  for (const { path } of options.results) files.push(await evidence(options.directory, path, "result"));
  for (const path of options.transcripts ?? [])
    files.push(await evidence(options.directory, path, "transcript"));
  if (options.configPath) files.push(await evidence(options.directory, options.configPath, "config"));
  for (const path of options.reports ?? []) files.push(await evidence(options.directory, path, "report"));
  return {
    manifestVersion,
    tool: { name: "distillscope", version: toolVersion },
    createdAt: (options.now ?? new Date()).toISOString(),
    config: options.config === undefined ? null : scrubSecrets(options.config),
    models: modelsOf(options.results.map((entry) => entry.result)),
    results: options.results.map(({ path, result }) => ({
      path: evidencePath(options.directory, path),
      kind: result.kind,
      createdAt: result.createdAt,
      toolVersion: result.toolVersion,
      schemaVersion: result.schemaVersion,
    })),
    files,
  };
}

export type VerifyStatus = "ok" | "mismatch" | "missing";

export interface VerifyEntry {
  path: string;
  role: string;
  status: VerifyStatus;
  expected: string;
  actual?: string;
}

export interface VerifyOutcome {
  manifestPath: string;
  entries: VerifyEntry[];
  ok: boolean;
}

/**
 * Recomputes the hash of every file a report directory's manifest lists. `target` is the report
 * directory or the manifest file itself. Throws InputError when the manifest is missing or invalid.
 */
export async function verifyManifest(target: string): Promise<VerifyOutcome> {
  const manifestPath =
    existsSync(target) && statSync(target).isDirectory() ? join(target, manifestFileName) : target;
  const directory = resolve(manifestPath, "..");
  if (!existsSync(manifestPath))
    throw new InputError(`${manifestPath}: no manifest; write one with distillscope report --manifest`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (error) {
    throw new InputError(`${manifestPath}: invalid JSON (${(error as Error).message})`);
  }
  const manifest = manifestSchema.safeParse(parsed);
  if (!manifest.success) {
    const issue = manifest.error.issues[0];
    throw new InputError(
      `${manifestPath}: field "${issue?.path.join(".") || "(root)"}": ${issue?.message ?? "invalid"}; the manifest was edited or is not a distillscope manifest`,
    );
  }
  if (manifest.data.manifestVersion > manifestVersion)
    throw new InputError(
      `${manifestPath}: manifestVersion ${manifest.data.manifestVersion} is newer than this tool reads (${manifestVersion}); upgrade distillscope`,
    );
  const entries: VerifyEntry[] = [];
  for (const file of manifest.data.files) {
    const path = isAbsolute(file.path) ? file.path : join(directory, file.path);
    const entry: VerifyEntry = { path: file.path, role: file.role, status: "missing", expected: file.sha256 };
    if (existsSync(path) && statSync(path).isFile()) {
      entry.actual = await sha256File(path);
      entry.status = entry.actual === file.sha256 ? "ok" : "mismatch";
    }
    entries.push(entry);
  }
  return { manifestPath, entries, ok: entries.every((entry) => entry.status === "ok") };
}
