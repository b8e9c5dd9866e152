/**
 * Files in a report folder that its manifest does not list: someone may have added a result, a second
 * report or a transcript after the report was written, and `verify` would otherwise say "all match"
 * about a folder that holds more than the evidence it covers. Only the folders that hold a listed file
 * are looked at (not their subfolders), and nothing is read or followed: a symbolic link is reported
 * by its own name like a file.
 */
import { type Dirent, readdirSync, realpathSync, statSync } from "node:fs";
import { posix, resolve, sep } from "node:path";

/**
 * Relative paths (with `/`), sorted, of the entries other than folders (or links to folders) that sit in
 * a folder holding a listed file inside the report folder but are not in the manifest themselves.
 * `inside` are the manifest's inside paths as `verify` placed them; `every` is every path the manifest
 * lists, as written (an entry it could not check is still not unlisted); the manifest itself
 * (`manifestName`, at the top of the folder) is never unlisted.
 */
export function unlistedFiles(
  directory: string,
  inside: readonly string[],
  every: readonly string[],
  manifestName: string,
): string[] {
  const known = new Set([...inside, ...every.map((path) => posix.normalize(path)), manifestName]);
  const folders = new Set(inside.map((path) => posix.dirname(path)));
  const unlisted: string[] = [];
  const root = realpathSync(directory);
  for (const folder of folders) {
    let names: Dirent[];
    try {
      // A folder that has become a link out of the report folder is not listed: its names are not ours.
      const real = realpathSync(resolve(directory, folder));
      if (real !== root && !real.startsWith(root + sep)) continue;
      names = readdirSync(real, { withFileTypes: true });
    } catch {
      continue; // a folder that is gone: its listed files are already MISSING
    }
    for (const entry of names) {
      if (entry.isDirectory()) continue;
      const path = folder === "." ? entry.name : posix.join(folder, entry.name);
      if (known.has(path)) continue;
      // A link to a folder (results/ on a data disk) is layout, not a file the manifest missed.
      if (
        entry.isSymbolicLink() &&
        statSync(resolve(directory, path), { throwIfNoEntry: false })?.isDirectory()
      )
        continue;
      unlisted.push(path);
    }
  }
  return unlisted.sort();
}
