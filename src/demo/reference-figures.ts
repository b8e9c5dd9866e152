/**
 * The `referenceFigures` the demo writes into each ICE result, so that the HTML and Markdown reports
 * show the same comparison with Lee et al. 2025 as the printed table: the paper's published figures
 * and its own verdicts recomputed from its files.
 */
import type { ReferenceFigures } from "../report/result-schema.ts";
import type { PublishedIce } from "./paper-figures.ts";
import type { PaperFileScores } from "./paper-verdicts.ts";

export const paperCitation = "Lee et al. 2025 (arXiv 2501.12619)";
const paperRepository = "github.com/Aegis1863/LLMs-Distillation-Quantification";

export const recomputedNote =
  "recomputed = the paper's own judges' verdicts counted again from its files: loose from each attack row's eval_results, strict from the rows its strict_score CSV kept, hard as the strict rows whose template names neither GPT nor OpenAI; strict and hard over all attack rows. Ours differ most on loose: our loose counts only what an answer says about who it is, while the paper's loose judge, which did not know the target, also flagged answers that make no claim about who the model is and even true self-claims (DeepSeek saying DeepSeek made it), so our loose is lower; strict and hard are close.";

/** The figures of one paper target; `label` is the paper's name for it, when the paper has one. */
export function referenceFiguresOf(input: {
  label?: string;
  published?: PublishedIce;
  paperFile: PaperFileScores;
}): ReferenceFigures {
  const { published, paperFile } = input;
  const figures: ReferenceFigures = {
    source: published
      ? `${paperCitation}, ${published.source}`
      : `${paperCitation}, files of ${paperRepository} (no published figure)`,
    recomputed: { loose: paperFile.loose, strict: paperFile.strict, hard: paperFile.hard },
    note: recomputedNote,
  };
  if (input.label !== undefined) figures.label = input.label;
  if (published)
    figures.published = { loose: published.loose, strict: published.strict, hard: published.hard };
  return figures;
}
