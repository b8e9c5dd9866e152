/**
 * Evidence manifest of a report directory: tool version, scrubbed config, model ids and endpoints,
 * timestamps and the SHA-256 of every result, transcript and report file, so that a third party can
 * check that a report matches its data (`verifyManifest`).
 *
 * `files` lists only files inside the report folder, by relative path, so the folder verifies wherever
 * it is copied. A file outside it (a transcript or config elsewhere, or one reached through a symbolic
 * link that leads out of the folder) goes to `external` by name and hash only: verify shows it but
 * cannot check it. One function, `placeInFolder`, decides "inside" for the writer and for verify.
 * `verifyManifest` never reads a `files` entry outside the folder (absolute, `..`, or a link out; old
 * version-1 manifests listed results as `../result.json`): it reports it as not checked, so a received
 * manifest cannot make it read other local files. An inside file is hashed by `hashInsideFolder`, which
 * checks again as it opens it (no link followed at its end, a regular file, really inside), so a file or
 * folder swapped for a link out between the check and the read is not read either.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep, win32 } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import { type EndpointPlace, endpointPlace } from "../models/endpoint-place.ts";
import { checkListArgument, checkListOption, checkOptionsObject } from "../options/library-options.ts";
import { redactSecrets } from "../secrets/redact.ts";
import { toolVersion } from "../version.ts";
import { hashInsideFolder, leavesFolder } from "./hash-inside-folder.ts";
import { readManifestJson } from "./read-manifest-file.ts";
import { resultDisagreements } from "./result-consistency.ts";
import { parseResultShape, type ReportableResult } from "./result-schema.ts";
import { unlistedFiles } from "./unlisted-files.ts";

export const manifestFileName = "manifest.json";
/**
 * 2: `files` holds only files inside the report folder and files outside it are under `external`.
 * 1 (before 2026-11-29): `files` could name files outside the folder (`../result.json`); verify still
 * reads it and shows such entries as not checked.
 */
export const manifestVersion = 2;

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
  /** Scheme, host, port and path only (or `Model.endpoint`: host, port and path): never user info, query or fragment. */
  endpoint?: string;
  /** Set when the endpoint is this machine or a private network: not the provider's public API. */
  endpointPlace?: EndpointPlace;
}

function setEndpoint(model: ManifestModel, endpoint: string): void {
  model.endpoint = scrubEndpoint(endpoint);
  const place = endpointPlace(model.endpoint);
  if (place === undefined) delete model.endpointPlace;
  else model.endpointPlace = place;
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
    if (endpoint !== undefined) setEndpoint(model, endpoint);
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
    if (!id) return;
    // A config model (by id or label) takes the endpoint a result records when the config named none
    // (its base URL came from OPENAI_BASE_URL or the like).
    const configured = known.get(`${role}\u0000${id}`);
    if (configured) {
      if (endpoint && configured.endpoint === undefined) setEndpoint(configured, endpoint);
      return;
    }
    const existing = models.get(`${role}\u0000${id}`);
    if (existing && (endpoint === undefined || existing.endpoint === undefined)) {
      if (endpoint && existing.endpoint === undefined) setEndpoint(existing, endpoint);
      return;
    }
    // One id asked at two endpoints (a real API in one result, a local stand-in in another) is two entries.
    let key = `${role}\u0000${id}`;
    if (existing && endpoint) {
      const scrubbed = scrubEndpoint(endpoint);
      key = `${key}\u0000${scrubbed}`;
      if (existing.endpoint === scrubbed || models.has(key)) return;
    }
    const model: ManifestModel = { id: redactSecrets(id), role };
    if (endpoint) setEndpoint(model, endpoint);
    models.set(key, model);
  };
  for (const result of results)
    for (const asked of result.models ?? []) add(asked.id, asked.role, asked.endpoint || undefined);
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

/**
 * Where a manifest entry (a path relative to the report folder) lies. Inside: its manifest path, with
 * `/`. Outside: why. `absolute` and `parent` (`..` out of the folder) are decided from the text alone,
 * touching no file; `link` means the path stays inside by its text but a symbolic link on the way leads
 * out of the folder (real paths compared, so the folder itself may be reached through a link).
 */
export type FolderPlace =
  | { inside: true; path: string }
  | { inside: false; why: "absolute" | "parent" | "link" };

/**
 * The real path of `path`: its longest existing prefix with links resolved, plus the rest as written.
 * Resolving is the existence test, so a file that vanishes meanwhile only shortens the prefix.
 */
function realPathOf(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync.native(existing), ...rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!["ENOENT", "ENOTDIR", "ELOOP", "EACCES"].includes(code ?? "")) throw error;
    }
    const parent = dirname(existing);
    if (parent === existing) return resolve(path);
    rest.unshift(basename(existing));
    existing = parent;
  }
}

/**
 * The one rule for "inside the report folder", shared by the manifest writer (`buildManifest`, which
 * lists inside files under `files` and the rest under `external`) and by `verifyManifest` (which hashes
 * only inside files), so the two always agree.
 */
export function placeInFolder(directory: string, entry: string): FolderPlace {
  if (isAbsolute(entry) || win32.isAbsolute(entry) || /^[a-z]:/i.test(entry))
    return { inside: false, why: "absolute" };
  const folder = resolve(directory);
  const path = resolve(folder, entry);
  if (leavesFolder(folder, path)) return { inside: false, why: "parent" };
  if (leavesFolder(realPathOf(folder), realPathOf(path))) return { inside: false, why: "link" };
  return { inside: true, path: relative(folder, path).split(sep).join("/") };
}

/**
 * The place of a file given by a path of this process (absolute or relative to the working directory),
 * for the writer. Its manifest path is taken from real paths (so a file reached through a link that
 * stays inside is listed where it really is) and then put through `placeInFolder`, the same test verify
 * applies to that entry. Outside: `parent` when the path is outside the folder as written, `link` when
 * it is inside as written but really elsewhere.
 */
export function placeOfFile(directory: string, file: string): FolderPlace {
  const folder = resolve(directory);
  const realRelative = relative(realPathOf(folder), realPathOf(file));
  if (
    realRelative !== "" &&
    !isAbsolute(realRelative) &&
    !leavesFolder(folder, resolve(folder, realRelative))
  )
    return placeInFolder(folder, realRelative);
  return {
    inside: false,
    why: leavesFolder(folder, resolve(file)) || resolve(file) === folder ? "parent" : "link",
  };
}

/** The manifest path of a file: relative to the report directory with `/`; undefined when outside it. */
export function evidencePath(directory: string, file: string): string | undefined {
  const place = placeOfFile(directory, file);
  return place.inside ? place.path : undefined;
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
  checkOptionsObject(options, "buildManifest", "directory, results, transcripts?, reports?, configPath?");
  checkPathArgument(options.directory, "buildManifest: directory");
  checkListArgument(options.results, "buildManifest: results", '[{ path: "ice.json", result }]');
  checkListOption(options.transcripts, "buildManifest: transcripts", '["transcripts.jsonl"]');
  checkListOption(options.reports, "buildManifest: reports", '["report.html"]');
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

/** `outside`: the entry lies outside the report folder ({@link placeInFolder}); it was not read or hashed. */
/**
 * `inconsistent`: a result whose bytes match the manifest, but whose headline figures its own items do
 * not give (src/report/result-consistency.ts): written so, or by a tool before that check.
 */
export type VerifyStatus = "ok" | "mismatch" | "missing" | "outside" | "inconsistent";

export interface VerifyEntry {
  path: string;
  role: string;
  status: VerifyStatus;
  expected: string;
  actual?: string;
  /** For `outside`: an absolute path, `..` out of the folder, or a symbolic link that leads out of it. */
  outside?: "absolute" | "parent" | "link";
  /** For `inconsistent`: the first disagreements between the result's figures and its items. */
  disagreements?: string[];
  /** A result whose figures could not be re-derived (not JSON, a newer schema): why. Its hash still counts. */
  notRederived?: string;
}

export interface VerifyOutcome {
  manifestPath: string;
  manifestVersion: number;
  entries: VerifyEntry[];
  /** Entries inside the report folder, the ones hashed. */
  checked: number;
  /** Entries of `files` outside the report folder (written by manifests before version 2, or edited). */
  notChecked: number;
  /** Files the manifest records outside the report folder (name and hash only): shown, not checked. */
  external: ExternalFile[];
  /** True when at least one file inside the folder was checked and every one matches. */
  ok: boolean;
  /**
   * Files beside the listed ones (in the folders that hold them) that the manifest does not list, so
   * does not cover: shown by verify, not failed on (see unlisted-files.ts).
   */
  unlisted: string[];
}

/** Marks a result entry `inconsistent` when its figures disagree with its items, or notes why it was not re-derived. */
function rederive(entry: VerifyEntry, content: Buffer): void {
  let value: unknown;
  try {
    value = JSON.parse(content.toString("utf8"));
  } catch {
    entry.notRederived = "not JSON";
    return;
  }
  let result: ReportableResult;
  try {
    result = parseResultShape(value, entry.path);
  } catch (error) {
    entry.notRederived = error instanceof InputError ? error.message : String(error);
    return;
  }
  const disagreements = resultDisagreements(result);
  if (disagreements.length === 0) return;
  entry.status = "inconsistent";
  entry.disagreements = disagreements;
}

/**
 * Recomputes the hash of every file inside the report folder that the manifest lists. `target` is the
 * report directory or the manifest file itself. An entry outside the folder (absolute, `..` out of it,
 * or through a symbolic link that leads out) is never read or hashed, in any manifest version: it is
 * returned as `outside`, so a manifest from someone else cannot make verify read other local files.
 * Throws InputError when the manifest is missing or invalid.
 */
export async function verifyManifest(target: string): Promise<VerifyOutcome> {
  checkPathArgument(target, "the report folder or manifest.json to verify");
  const manifestPath =
    existsSync(target) && statSync(target).isDirectory() ? join(target, manifestFileName) : target;
  const directory = resolve(manifestPath, "..");
  // The manifest.json found in a folder is not followed if it is a link; a manifest file named by the user
  // is (the user chose it). A JSON error names the file and position only, never its text.
  const parsed = readManifestJson(manifestPath, manifestPath === target);
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
  const placedInside: string[] = [];
  for (const file of manifest.data.files) {
    const entry: VerifyEntry = { path: file.path, role: file.role, status: "missing", expected: file.sha256 };
    const place = placeInFolder(directory, file.path);
    if (!place.inside) {
      entry.status = "outside";
      entry.outside = place.why;
    } else {
      placedInside.push(place.path);
      // Checked again as it is opened: the folder may change between placeInFolder and the read.
      const read = await hashInsideFolder(directory, place.path, { keepContent: file.role === "result" });
      if ("sha256" in read) {
        entry.actual = read.sha256;
        entry.status = entry.actual === file.sha256 ? "ok" : "mismatch";
        // A result is also re-derived: the bytes just hashed, not a second read of the file.
        if (entry.status === "ok" && read.content !== undefined) rederive(entry, read.content);
      } else if ("outside" in read) {
        entry.status = "outside";
        entry.outside = read.outside;
      }
    }
    entries.push(entry);
  }
  const external = (manifest.data.external ?? []).map((file) => ({
    name: file.name,
    role: file.role as EvidenceRole,
    sha256: file.sha256,
    bytes: file.bytes,
  }));
  const inside = entries.filter((entry) => entry.status !== "outside");
  return {
    manifestPath,
    manifestVersion: manifest.data.manifestVersion,
    entries,
    checked: inside.length,
    notChecked: entries.length - inside.length,
    external,
    ok: inside.length > 0 && inside.every((entry) => entry.status === "ok"),
    unlisted: unlistedFiles(
      directory,
      placedInside,
      manifest.data.files.map((file) => file.path),
      basename(manifestPath),
    ),
  };
}
