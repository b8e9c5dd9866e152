/**
 * Evidence manifest of a report directory: tool version, scrubbed config, model ids and endpoints,
 * timestamps and the SHA-256 of every result, transcript and report file, so that a third party can
 * check that a report matches its data (`verifyManifest`).
 *
 * `files` lists only files inside the report folder, by relative path, so the folder verifies wherever
 * it is copied. A file outside it (a transcript or config elsewhere) goes to `external` by name and
 * hash only: verify shows it but cannot check it. `verifyManifest` refuses a manifest whose `files`
 * name an absolute path or one that leaves the folder, so a received manifest cannot probe local files.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve, sep, win32 } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { redactSecrets } from "../secrets/redact.ts";
import { toolVersion } from "../version.ts";
import type { ReportableResult } from "./result-schema.ts";

export const manifestFileName = "manifest.json";
export const manifestVersion = 1;

export type EvidenceRole = "result" | "transcript" | "config" | "report";

export interface EvidenceFile {
  /** Relative to the report directory, with `/` separators. */
  path: string;
  role: EvidenceRole;
  sha256: string;
  bytes: number;
}

/** A file outside the report folder: its name (no directories) and hash only; verify cannot check it. */
export interface ExternalFile {
  name: string;
  role: EvidenceRole;
  sha256: string;
  bytes: number;
}

export interface ManifestModel {
  /** The model id ("provider:model"). */
  id: string;
  /** The name reports show for it, when the config gave one (results then name the model by it). */
  label?: string;
  role: string;
  /** Scheme, host, port and path only: never user info, query or fragment. */
  endpoint?: string;
}

export interface Manifest {
  manifestVersion: number;
  tool: { name: "distillscope"; version: string };
  createdAt: string;
  config: unknown;
  models: ManifestModel[];
  results: Array<{
    /** Relative path inside the report folder, or the file name alone when `external`. */
    path: string;
    external?: true;
    kind: string;
    createdAt: string;
    toolVersion: string;
    schemaVersion: number;
  }>;
  files: EvidenceFile[];
  external: ExternalFile[];
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
  external: z
    .array(
      z.looseObject({
        name: z.string(),
        role: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        bytes: z.number().int().min(0),
      }),
    )
    .optional(),
});

/** SHA-256 (hex) of a file, streamed so that large transcripts are never loaded whole. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const secretKeyPattern = /api[_-]?key|apikey|token|secret|password|passwd|authorization|credential|cookie/i;

/** An endpoint URL without user info, query or fragment (where keys and tokens travel), secrets redacted. */
export function scrubEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = "";
    url.password = "";
    url.search = "";
    url.hash = "";
    return redactSecrets(url.toString());
  } catch {
    return redactSecrets(endpoint.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1").replace(/[?#].*$/s, ""));
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

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function textOf(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The models an audit config names (targets, references, judges, helper) with their labels and
 * endpoints; nothing for a config of another shape.
 */
function configModels(config: unknown): ManifestModel[] {
  const record = asRecord(config);
  const entries: Array<{ entry: Record<string, unknown>; role: string; idKey: string; labelKey: string }> =
    [];
  for (const target of asList(record.targets))
    entries.push({ entry: asRecord(target), role: "target", idKey: "id", labelKey: "label" });
  for (const reference of asList(record.references))
    entries.push({ entry: asRecord(reference), role: "reference", idKey: "id", labelKey: "label" });
  for (const judge of asList(record.judges))
    entries.push({ entry: asRecord(judge), role: "judge", idKey: "model", labelKey: "name" });
  const helper =
    asRecord(record.evaluations).ice === undefined
      ? undefined
      : asRecord(asRecord(record.evaluations).ice).helper;
  if (typeof helper === "string")
    entries.push({ entry: { id: helper }, role: "helper", idKey: "id", labelKey: "label" });
  else if (helper !== undefined)
    entries.push({ entry: asRecord(helper), role: "helper", idKey: "id", labelKey: "label" });
  return entries.flatMap(({ entry, role, idKey, labelKey }) => {
    const id = textOf(entry, idKey);
    if (id === undefined) return [];
    const model: ManifestModel = { id: redactSecrets(id), role };
    const label = textOf(entry, labelKey);
    if (label !== undefined && label !== id) model.label = redactSecrets(label);
    const endpoint = textOf(entry, "base-url") ?? textOf(entry, "baseUrl");
    if (endpoint !== undefined) model.endpoint = scrubEndpoint(endpoint);
    return [model];
  });
}

/**
 * Model ids (and endpoints when known) named by the config and the results. A config model is listed
 * by its id with its label; a result that names a model by that label adds nothing more.
 */
export function modelsOf(results: readonly ReportableResult[], config?: unknown): ManifestModel[] {
  const models = new Map<string, ManifestModel>();
  const known = new Map<string, ManifestModel>();
  for (const model of configModels(config)) {
    const key = `${model.role}\u0000${model.id}`;
    if (models.has(key)) continue;
    models.set(key, model);
    known.set(`${model.role}\u0000${model.id}`, model);
    if (model.label !== undefined) known.set(`${model.role}\u0000${model.label}`, model);
  }
  const add = (id: string | undefined, role: string, endpoint?: string) => {
    if (!id || models.has(`${role}\u0000${id}`)) return;
    const configured = known.get(`${role}\u0000${id}`);
    if (configured) {
      if (endpoint && configured.endpoint === undefined) configured.endpoint = scrubEndpoint(endpoint);
      return;
    }
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

/** The manifest path of a file: relative to the report directory with `/`; undefined when outside it. */
export function evidencePath(directory: string, file: string): string | undefined {
  const relativePath = relative(resolve(directory), resolve(file));
  if (relativePath === "" || isAbsolute(relativePath) || relativePath.split(sep)[0] === "..")
    return undefined;
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

/** Throws InputError (exit 2) naming the file when an evidence file is missing or not a file. */
export function checkEvidenceFile(path: string, what: string): void {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new InputError(`${path}: ${what} file not found; cannot hash it for the manifest`);
}

/** Builds the manifest object (hashing every file now). */
export async function buildManifest(options: BuildManifestOptions): Promise<Manifest> {
  const files: EvidenceFile[] = [];
  const external: ExternalFile[] = [];
  const add = async (path: string, role: EvidenceRole) => {
    checkEvidenceFile(path, role);
    const hashed = { role, sha256: await sha256File(path), bytes: statSync(path).size };
    const inside = evidencePath(options.directory, path);
    if (inside === undefined) external.push({ name: basename(path), ...hashed });
    else files.push({ path: inside, ...hashed });
  };
  for (const { path } of options.results) await add(path, "result");
  for (const path of options.transcripts ?? []) await add(path, "transcript");
  if (options.configPath) await add(options.configPath, "config");
  for (const path of options.reports ?? []) await add(path, "report");
  return {
    manifestVersion,
    tool: { name: "distillscope", version: toolVersion },
    createdAt: (options.now ?? new Date()).toISOString(),
    config: options.config === undefined ? null : scrubSecrets(options.config),
    models: modelsOf(
      options.results.map((entry) => entry.result),
      options.config,
    ),
    results: options.results.map(({ path, result }) => {
      const inside = evidencePath(options.directory, path);
      return {
        ...(inside === undefined ? { path: basename(path), external: true as const } : { path: inside }),
        kind: result.kind,
        createdAt: result.createdAt,
        toolVersion: result.toolVersion,
        schemaVersion: result.schemaVersion,
      };
    }),
    files,
    external,
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
  /** Files the manifest records outside the report folder (name and hash only): shown, not checked. */
  external: ExternalFile[];
  ok: boolean;
}

/**
 * The absolute path of a manifest entry inside `directory`, or an InputError naming the entry when it
 * is absolute or leaves the folder (by `..` or through a symbolic link).
 */
function entryPath(directory: string, manifestPath: string, entry: string): string {
  const refuse = (why: string) =>
    new InputError(
      `${manifestPath}: entry ${JSON.stringify(entry)} ${why}; a manifest may list only files inside its report folder, so nothing was checked`,
    );
  if (isAbsolute(entry) || win32.isAbsolute(entry) || /^[a-z]:/i.test(entry))
    throw refuse("is an absolute path");
  const path = resolve(directory, entry);
  if (evidencePath(directory, path) === undefined) throw refuse("leaves the report folder");
  if (existsSync(path) && evidencePath(realpathSync(directory), realpathSync(path)) === undefined)
    throw refuse("is a link that leaves the report folder");
  return path;
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
  // Every path is checked before any file is read: a refused manifest hashes nothing.
  const paths = manifest.data.files.map((file) => entryPath(directory, manifestPath, file.path));
  const entries: VerifyEntry[] = [];
  for (const [index, file] of manifest.data.files.entries()) {
    const path = paths[index] ?? "";
    const entry: VerifyEntry = { path: file.path, role: file.role, status: "missing", expected: file.sha256 };
    if (existsSync(path) && statSync(path).isFile()) {
      entry.actual = await sha256File(path);
      entry.status = entry.actual === file.sha256 ? "ok" : "mismatch";
    }
    entries.push(entry);
  }
  const external = (manifest.data.external ?? []).map((file) => ({
    name: file.name,
    role: file.role as EvidenceRole,
    sha256: file.sha256,
    bytes: file.bytes,
  }));
  return { manifestPath, entries, external, ok: entries.every((entry) => entry.status === "ok") };
}
