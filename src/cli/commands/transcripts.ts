import type { Command } from "commander";
import { globalFlags, prepareOutputFile, resolveHome } from "../common.ts";
import { isStandardOutput, resultPlace } from "../result-output.ts";

const exportExample = `
Example:
  distillscope transcripts export --out all.jsonl
  distillscope transcripts export --model openai:gpt-4o-mini --out gpt-4o-mini.jsonl
  distillscope transcripts export --out - | jq -c .response`;

const importExample = `
Example:
  distillscope transcripts import transcripts.jsonl
Lines already in the store are skipped; lines with "endpoint" answer the same requests from the cache again.`;

/** `distillscope transcripts export|import`: the store's answers as JSONL and back. */
export function register(program: Command): void {
  const transcripts = program
    .command("transcripts")
    .description("export the stored answers as transcript JSONL, or import such a file into the store")
    .addHelpText("after", `${exportExample}\n  distillscope transcripts import all.jsonl`);

  transcripts
    .command("export")
    .description("write every stored answer (optionally of one model) as one JSON line each")
    .requiredOption("--out <file.jsonl>", "where to write (- for standard output)")
    .option("--model <id>", "only answers of this model: provider:model, or the model name of any provider")
    .addHelpText("after", exportExample)
    .action(async (flags: { out: string; model?: string }, self: Command) => {
      const globals = globalFlags(self);
      // As every other --out: a missing folder is made; a folder or an unwritable place is exit 2.
      prepareOutputFile(flags.out);
      const { openStore } = await import("../../store/store.ts");
      const { exportTranscripts } = await import("../../store/transcripts.ts");
      const { rememberEnvironmentKeys } = await import("../../secrets/known-keys.ts");
      // The keys in this environment never leave in an exported answer, whenever it was stored.
      rememberEnvironmentKeys(process.env);
      const store = openStore(resolveHome(globals));
      try {
        const lines = await exportTranscripts(
          store,
          isStandardOutput(flags.out) ? process.stdout : flags.out,
          flags.model === undefined ? {} : { model: flags.model },
        );
        if (!globals.quiet) process.stderr.write(`exported ${lines} answers -> ${resultPlace(flags.out)}\n`);
      } finally {
        store.close();
      }
    });

  transcripts
    .command("import")
    .description("read a transcript JSONL file (from collect or export) into the store")
    .argument("<file.jsonl>", "transcript file")
    .addHelpText("after", importExample)
    .action(async (file: string, _flags: unknown, self: Command) => {
      const globals = globalFlags(self);
      const { openStore } = await import("../../store/store.ts");
      const { importTranscripts } = await import("../../store/transcripts.ts");
      const store = openStore(resolveHome(globals));
      try {
        const { imported, skipped } = await importTranscripts(store, file);
        if (!globals.quiet)
          process.stderr.write(`imported ${imported} answers from ${file} (${skipped} already stored)\n`);
        // Exit 0 still: an export of an empty store is an empty file, and importing it back is no error.
        if (imported + skipped === 0)
          process.stderr.write(
            `warning: ${file} holds no answer lines (an empty file?); nothing was imported\n`,
          );
      } finally {
        store.close();
      }
    });
}
