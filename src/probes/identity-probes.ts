/**
 * Seeded selection of the probe set for an identity run: which questions (the same ones in every
 * language) and which seed templates, in which order. The selection depends only on the options,
 * never on the target, so every target of a study sees the same ordered set.
 */
import { InputError } from "../errors.ts";
import { type DeveloperKey, developerRecord } from "../identity/registry.ts";
import { seededRandom, shuffled } from "../metrics/random.ts";
import {
  type IdentityQuestion,
  identityQuestions,
  type QuestionLanguage,
  type QuestionTopic,
  questionLanguages,
} from "./identity-questions.ts";
import {
  fillVendorSlots,
  type IdentityTemplate,
  identityTemplates,
  type TemplateLanguage,
  type TemplateStrategy,
  templateLanguages,
} from "./identity-templates.ts";

/** A seed template ready to use: vendor slots filled, `{query}` still open. */
export interface ProbeSeed {
  /** `t-roleplay-01` for the neutral form, `t-roleplay-01@openai` for a counterfactual one. */
  id: string;
  templateId: string;
  strategy: TemplateStrategy;
  /** The developer the counterfactual form names, or null for the neutral form. */
  vendor: DeveloperKey | null;
  text: string;
}

export interface ProbeSelectionOptions {
  seed: number;
  /** Default: every language of the bank (en, zh). */
  languages?: readonly QuestionLanguage[];
  /** Developers named by counterfactual forms. Default: openai, anthropic, google, meta, alibaba. */
  counterfactualVendors?: readonly DeveloperKey[];
  /**
   * "paired" (default): every template once neutral and once counterfactual, vendors assigned in turn,
   * so half the seeds name no vendor. "all": the neutral form plus one form per vendor.
   * "neutral": neutral forms only.
   */
  forms?: "paired" | "all" | "neutral";
  /** How many distinct questions (each asked in every language). Default: all 60. */
  questionsPerLanguage?: number;
  /** Restrict to these strategies. Default: all. */
  strategies?: readonly TemplateStrategy[];
  /** Languages the seed templates are written in. Default: English only (the paper's setting). */
  templateLanguages?: readonly TemplateLanguage[];
}

export interface ProbeSelection {
  questions: IdentityQuestion[];
  seeds: ProbeSeed[];
}

export const defaultCounterfactualVendors: readonly DeveloperKey[] = [
  "openai",
  "anthropic",
  "google",
  "meta",
  "alibaba",
];

/** The names a counterfactual form uses for a developer: its display name and its first product. */
export function vendorNames(key: DeveloperKey): { vendor: string; product: string } {
  const record = developerRecord(key);
  if (record === undefined)
    throw new InputError(`counterfactual vendor "${key}" is not a known developer key`);
  return { vendor: record.displayName, product: record.products[0] ?? record.displayName };
}

function counterfactualSeed(template: IdentityTemplate, vendor: DeveloperKey): ProbeSeed {
  return {
    id: `${template.id}@${vendor}`,
    templateId: template.id,
    strategy: template.strategy,
    vendor,
    text: fillVendorSlots(template.counterfactual, vendorNames(vendor)),
  };
}

function neutralSeed(template: IdentityTemplate): ProbeSeed {
  return {
    id: template.id,
    templateId: template.id,
    strategy: template.strategy,
    vendor: null,
    text: template.neutral,
  };
}

/** Question base ids drawn round-robin over topics (each topic's order shuffled), so topics stay balanced. */
function selectQuestionBases(count: number, random: () => number): string[] {
  const byTopic = new Map<QuestionTopic, string[]>();
  for (const question of identityQuestions) {
    const list = byTopic.get(question.topic) ?? [];
    if (!list.includes(question.baseId)) list.push(question.baseId);
    byTopic.set(question.topic, list);
  }
  const queues = shuffled([...byTopic.values()], random).map((list) => shuffled(list, random));
  const chosen: string[] = [];
  while (chosen.length < count && queues.some((queue) => queue.length > 0)) {
    for (const queue of queues) {
      const next = queue.shift();
      if (next !== undefined && chosen.length < count) chosen.push(next);
    }
  }
  return chosen;
}

/**
 * The ordered probe set for a seed: questions (grouped by base question, one per language, in the
 * order of `languages`) and seed templates. Same options, same result, whatever the target.
 */
export function selectProbes(options: ProbeSelectionOptions): ProbeSelection {
  const languages = options.languages ?? questionLanguages;
  for (const language of languages) {
    if (!questionLanguages.includes(language))
      throw new InputError(`language "${language}" has no questions; use ${questionLanguages.join(", ")}`);
  }
  if (languages.length === 0) throw new InputError("at least one question language is needed");
  const vendors = options.counterfactualVendors ?? defaultCounterfactualVendors;
  for (const vendor of vendors) vendorNames(vendor);
  const forms = options.forms ?? "paired";
  if (forms !== "neutral" && vendors.length === 0)
    throw new InputError(`forms "${forms}" needs at least one counterfactual vendor`);
  const random = seededRandom(options.seed);

  const totalBases = identityQuestions.length / questionLanguages.length;
  const wanted = Math.min(options.questionsPerLanguage ?? totalBases, totalBases);
  if (!Number.isInteger(wanted) || wanted < 1)
    throw new InputError(
      `questions per language must be a positive integer, got ${options.questionsPerLanguage}`,
    );
  const bases = selectQuestionBases(wanted, random);
  const questions: IdentityQuestion[] = [];
  for (const baseId of bases) {
    for (const language of languages) {
      const question = identityQuestions.find((item) => item.baseId === baseId && item.language === language);
      if (question !== undefined) questions.push(question);
    }
  }

  const strategies = options.strategies;
  const wantedTemplateLanguages = options.templateLanguages ?? ["en"];
  for (const language of wantedTemplateLanguages) {
    if (!templateLanguages.includes(language))
      throw new InputError(
        `template language "${language}" has no templates; use ${templateLanguages.join(", ")}`,
      );
  }
  const templates = shuffled(
    identityTemplates.filter(
      (template) =>
        (strategies === undefined || strategies.includes(template.strategy)) &&
        wantedTemplateLanguages.includes(template.language),
    ),
    random,
  );
  if (templates.length === 0) throw new InputError("no seed template matches the chosen strategies");
  const seeds: ProbeSeed[] = [];
  templates.forEach((template, position) => {
    seeds.push(neutralSeed(template));
    if (forms === "paired") seeds.push(counterfactualSeed(template, vendors[position % vendors.length]!));
    if (forms === "all") for (const vendor of vendors) seeds.push(counterfactualSeed(template, vendor));
  });
  return { questions, seeds };
}
