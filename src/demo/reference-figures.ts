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
  "The paper judged these same answers with two LLM judges. Its recomputed figures count those judges' verdicts again from its files: loose = its first judge's verdict on every answer, strict = the answers its second judge kept, hard = the strict answers to a prompt naming neither GPT nor OpenAI (our reconstruction: the paper gives no code for it, but this gives its printed hard figures), each over all of the target's answers. Ours differ most on loose: our loose counts an answer only when what it says about who made the model is wrong, while the paper's loose judge was not told which model it judged, so it also flagged answers that say nothing about who made the model and even true ones (DeepSeek saying DeepSeek made it); our loose is therefore lower. Strict and hard, the figures that mean a model claims to be another developer's, are close.";

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
