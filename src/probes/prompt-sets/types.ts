/** One RSE prompt: a single question, or a conversation whose user turns are replayed one by one. */
export interface RsePrompt {
  /** Unique within its dataset. */
  id: string;
  /** Dataset name used in the per-dataset tables, e.g. "arena-hard", "numina", "sharegpt", "default". */
  dataset: string;
  /** User turns in order; the model's own earlier answers are placed between them when replayed. */
  turns: string[];
  /** Optional system message sent before the first turn. */
  system?: string;
  category?: string;
}

/** A loaded prompt set, with how many records the loader had to skip and why. */
export interface PromptSet {
  dataset: string;
  prompts: RsePrompt[];
  /** Records present in the file but unusable (empty conversations and the like), by reason. */
  skipped: Record<string, number>;
  /**
   * Records kept in part, by reason (a ShareGPT conversation cut at a system turn after a human turn):
   * counted over the whole file, like `skipped`. Absent when nothing was shortened.
   */
  shortened?: Record<string, number>;
  /** Where the prompts came from: "built-in" or the file path. */
  source: string;
}
