/**
 * Cheap structural check of a Parquet file before any decoder sees it: the `PAR1` magic at both ends
 * and a footer length that fits in the file. Reads 4 + 8 bytes only; throws an InputError naming the file.
 */
import { open } from "node:fs/promises";
import { InputError } from "../../errors.ts";

const magic = "PAR1";
/** Leading magic, footer length and trailing magic: the smallest possible Parquet file. */
const minimumBytes = 12;

/** What the check learned about a structurally sound file. */
export interface ParquetLayout {
  size: number;
  /** Offset where the Thrift footer (file metadata) starts. */
  footerStart: number;
}

/** Checks the magic bytes and footer length of `path`; returns the layout or throws an InputError. */
export async function checkParquetStructure(path: string): Promise<ParquetLayout> {
  const refuse = (reason: string): never => {
    throw new InputError(
      `${path}: cannot read as Parquet (${reason}); give a NuminaMath .parquet or .jsonl file`,
    );
  };
  const handle = await open(path, "r").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: cannot read the prompt file (${error.code ?? error.message})`);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return refuse("not a regular file");
    const size = stats.size;
    if (size < minimumBytes) return refuse(`${size} bytes; a Parquet file has at least ${minimumBytes}`);
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(8);
    await handle.read(head, 0, 4, 0);
    await handle.read(tail, 0, 8, size - 8);
    if (head.toString("latin1") !== magic) refuse(`does not start with the magic bytes ${magic}`);
    const trailer = tail.toString("latin1", 4, 8);
    if (trailer === "PARE") refuse("encrypted footer, which is not supported");
    if (trailer !== magic) refuse(`does not end with the magic bytes ${magic}; truncated?`);
    const footerLength = tail.readUInt32LE(0);
    if (footerLength === 0 || footerLength > size - minimumBytes)
      refuse(`footer length ${footerLength} does not fit in the ${size}-byte file; truncated?`);
    return { size, footerStart: size - 8 - footerLength };
  } finally {
    await handle.close();
  }
}
