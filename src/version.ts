import { readFileSync } from "node:fs";

/** The package version, read once from package.json (works from src/ and from dist/). */
export const toolVersion: string = (() => {
  const packageUrl = new URL("../package.json", import.meta.url);
  const parsed = JSON.parse(readFileSync(packageUrl, "utf8")) as { version: string };
  return parsed.version;
})();

/** Version of every result JSON this tool writes; bump on incompatible changes. */
export const schemaVersion = 1;
