/**
 * Maps a field path (["evaluations", "ice", "budget"]) to the line it sits on in the YAML source,
 * and formats paths the way error messages show them (`targets[1].id`).
 */
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";

export type FieldPath = ReadonlyArray<string | number>;

/** The value at `path` inside parsed YAML (undefined where the path leaves the data). */
export function valueAt(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** `targets[1].id` style. */
export function formatPath(path: FieldPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text === "" ? "(top level)" : text;
}

/**
 * The 1-based line of the node at `path`; with `keyOf`, the line of that key inside the mapping at
 * `path`. Falls back to the deepest node that exists (a missing field points at its parent).
 */
export function lineOf(
  document: Document,
  lineCounter: LineCounter,
  path: FieldPath,
  keyOf?: string,
): number {
  let node: unknown = document.contents;
  let located: Node | undefined = isNode(node) ? node : undefined;
  const segments: Array<string | number> = [...path];
  if (keyOf !== undefined) segments.push(keyOf);
  for (const [position, segment] of segments.entries()) {
    const isLast = position === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      // A misspelt key is best shown at the key itself, not at its value.
      const wantsKey = isLast && keyOf !== undefined;
      const next = wantsKey ? pair.key : (pair.value ?? pair.key);
      if (isNode(next)) located = next;
      node = next;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (!isNode(item)) break;
      located = item;
      node = item;
    } else {
      break;
    }
  }
  const offset = located?.range?.[0] ?? 0;
  return lineCounter.linePos(offset).line;
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && "range" in value;
}
