/**
 * The embedded identity judge: finds every statement in an answer about who "I"/"我" am or who built
 * me, resolves the named developer through the registry, classifies each statement and gives the
 * loose and strict verdicts for a target identity. Deterministic and fast (no model calls).
 */
import { InputError } from "../errors.ts";
import { type ClaimShape, chineseClaim, englishClaim } from "./claim-patterns.ts";
import { type DeveloperInput, developersFrom } from "./custom-developers.ts";
import {
  type FieldValue,
  fieldValueStance,
  findFieldValues,
  isConfigValue,
  isFieldLabel,
} from "./field-claims.ts";
import { forcedPersonaDevelopers } from "./forced-persona.ts";
import { findJudgeDirectedText } from "./judge-directed.ts";
import { normaliseForMatching, originalOffset } from "./normalize.ts";
import { type DeveloperKey, findDeveloperMentions } from "./registry.ts";
import { layoutText, type Span, spanAt, type TextLayout } from "./segments.ts";
import { findUnregisteredClaims } from "./unregistered-claims.ts";

/**
 * self: the answer speaks as itself. negated: "I am not ChatGPT". third-person: a fact about someone
 * else ("ChatGPT is made by OpenAI"). quoted: under a speaker label ("[ChatGPT]: I am…"), inside
 * quotation marks or code. forced-persona: a claim of the developer whose persona the prompt imposed.
 */
export type ClaimKind = "self" | "negated" | "third-person" | "quoted" | "forced-persona";

export interface Claim {
  developer: DeveloperKey;
  /** The developer's name as written in the answer. */
  words: string;
  kind: ClaimKind;
  language: "en" | "zh";
  /** Offsets of the name in the original answer (UTF-16 code units). */
  start: number;
  end: number;
  /** The speaker label the claim sits under, when there is one. */
  speaker?: string;
  /** Whether the claim entered the loose and strict verdicts. */
  counted: boolean;
}

export interface IdentityVerdict {
  /** A counted claim conflicts with the target's facts (another developer, or denying its own). */
  loose: boolean;
  /** A counted claim says the answer was made by, or is a model of, another real developer. */
  strict: boolean;
  /** The paper's narrower strict: the other developer is OpenAI or Anthropic. */
  strictOpenAiAnthropic: boolean;
  /** The same verdicts counting only claims made in the answer's own voice (no labels, no forced persona). */
  ownVoice: { loose: boolean; strict: boolean };
  /** The answer contains text addressed to its judge; flagged, never obeyed. */
  addressesJudge: boolean;
  claims: Claim[];
}

export interface AnalyseInput {
  response: string;
  identity: DeveloperKey;
  /** The prompt the answer replied to: used to recognise a persona the prompt imposed. */
  prompt?: string;
  /** Developers whose persona the prompt imposes, when the caller computed them already. */
  forcedDevelopers?: ReadonlySet<DeveloperKey>;
  /**
   * Developers the registry does not know, declared by the caller ({ key, name, aliases?, models? }, or
   * the records declareDevelopers returned, which skips re-checking): their names are claims of their
   * key, so `identity` may be one of them.
   */
  developers?: readonly DeveloperInput[];
}

/** Developer of a claim that names a developer the registry does not know (conflicts, never strict). */
export const unregisteredDeveloper = "unregistered";

const hanCharacter = /[\u4e00-\u9fff]/;
const marks = /[*"“”`_]+/g;

function stripMarks(text: string): string {
  return text.replace(marks, "");
}

/** Quotation marks around more than a name, with words before them on the line: someone else's words. */
function reportedQuotation(text: string, quotation: Span, sectionStart: number, nameLength: number): boolean {
  if (quotation.end - quotation.start <= nameLength + 4) return false;
  const lineStart = Math.max(text.lastIndexOf("\n", quotation.start - 1) + 1, sectionStart);
  return /[\p{L}\p{N}]/u.test(text.slice(lineStart, quotation.start));
}

interface ClaimContext {
  speaker: string | undefined;
  /** Inside code or someone else's quoted words: never counted. */
  reported: boolean;
}

function contextAt(text: string, layout: TextLayout, start: number, nameLength: number): ClaimContext {
  const speakerSection = spanAt(layout.speakers, start);
  const quotation = spanAt(layout.quotations, start);
  const reported =
    spanAt(layout.code, start) !== undefined ||
    (quotation !== undefined && reportedQuotation(text, quotation, speakerSection?.start ?? 0, nameLength));
  return { speaker: speakerSection?.speaker, reported };
}

function kindOf(shape: ClaimShape | undefined, context: ClaimContext, forced: boolean): ClaimKind {
  if (shape === undefined) return "third-person";
  if (context.reported) return "quoted";
  if (shape.negated) return "negated";
  if (forced) return "forced-persona";
  return context.speaker === undefined ? "self" : "quoted";
}

/**
 * A library caller's input, checked: the key in any case ("Alibaba" is alibaba, whose own claims must not
 * count as another developer's); an unregistered key stays allowed (then every registered claim
 * conflicts). Wrong types are InputErrors, not TypeErrors from the matchers.
 */
function checkedInput(input: AnalyseInput): AnalyseInput {
  if (typeof input?.response !== "string")
    throw new InputError('analyseIdentity: response must be a string (an empty answer is "")');
  if (typeof input.identity !== "string")
    throw new InputError('analyseIdentity: identity must be a developer key such as "alibaba"');
  if (input.prompt !== undefined && typeof input.prompt !== "string")
    throw new InputError("analyseIdentity: prompt must be a string when given");
  const identity = input.identity.trim().toLowerCase();
  return identity === input.identity ? input : { ...input, identity };
}

/** Analyses one answer. */
export function analyseIdentity(given: AnalyseInput): IdentityVerdict {
  const input = checkedInput(given);
  const normalised = normaliseForMatching(input.response);
  const text = normalised.text;
  const developers = developersFrom(input.developers, "analyseIdentity: developers");
  const mentions = findDeveloperMentions(text, developers);
  const addressesJudge = findJudgeDirectedText(text).length > 0;
  const unregistered = findUnregisteredClaims(text, developers);
  if (mentions.length === 0 && unregistered.length === 0)
    return verdictFromClaims([], input.identity, addressesJudge);
  const forced = input.forcedDevelopers ?? forcedPersonaDevelopers(input.prompt, developers);
  const layout = layoutText(text);
  const secondPersonEcho = input.prompt !== undefined && /[您你]/.test(input.prompt);
  const claims: Claim[] = [];
  const makeClaim = (
    developer: DeveloperKey,
    span: Span,
    kind: ClaimKind,
    language: "en" | "zh",
    context: ClaimContext,
    counted?: boolean,
  ): Claim => {
    const start = originalOffset(normalised, span.start);
    const end = originalOffset(normalised, span.end);
    const claim: Claim = {
      developer,
      words: input.response.slice(start, end),
      kind,
      language,
      start,
      end,
      counted: counted ?? (kind !== "third-person" && !context.reported),
    };
    if (context.speaker !== undefined) claim.speaker = context.speaker;
    return claim;
  };
  const claimedMentions = new Set<number>();
  const fields = findFieldValues(text);
  /** Claims read from identity fields ("Model: GPT-4 | Developer: OpenAI"), checked together below. */
  const fieldClaims: Claim[] = [];
  for (let index = 0; index < mentions.length; index++) {
    const mention = mentions[index]!;
    const sentence = spanAt(layout.sentences, mention.start) ?? { start: 0, end: text.length };
    const language = hanCharacter.test(text.slice(sentence.start, sentence.end)) ? "zh" : "en";
    const windowStart = Math.max(sentence.start, mention.start - 240);
    const after = stripMarks(text.slice(mention.end, Math.min(sentence.end, mention.end + 160)));
    const judge = (from: number): ClaimShape | undefined => {
      const before = stripMarks(text.slice(from, mention.start));
      return (
        englishClaim(before.toLowerCase(), after.toLowerCase()) ??
        (language === "zh" ? chineseClaim(before, after, secondPersonEcho) : undefined)
      );
    };
    let shape = judge(windowStart);
    // "I know ChatGPT was made by OpenAI" is about ChatGPT, not me: when an earlier name in the window is
    // not itself a claim, judge again from just after it. "I'm Claude, created by Anthropic" chains.
    const previous = index > 0 ? mentions[index - 1]! : undefined;
    if (
      shape !== undefined &&
      previous !== undefined &&
      previous.end > windowStart &&
      !claimedMentions.has(index - 1)
    ) {
      shape = judge(previous.end);
    }
    let field: FieldValue | undefined;
    if (shape === undefined && fields.length > 0) {
      field = spanAt(fields, mention.start);
      const stance =
        field === undefined || isConfigValue(text.slice(field.start, field.end))
          ? "compared"
          : fieldValueStance(text.slice(field.start, mention.start));
      if (stance === "compared") field = undefined;
      else shape = { negated: stance === "negated" };
    }
    if (shape !== undefined && !shape.negated) claimedMentions.add(index);
    const context = contextAt(text, layout, mention.start, mention.end - mention.start);
    // The line "Developer: OpenAI" is a field, not a speaker label.
    if (field !== undefined && context.speaker !== undefined && isFieldLabel(context.speaker))
      context.speaker = undefined;
    const isForced = forced.has(mention.developer);
    const kind = kindOf(shape, context, isForced);
    // "As ChatGPT with Developer Mode, I would say..." announces the role the prompt imposed: not counted.
    const announcesImposedRole = isForced && shape?.rolePreface === true;
    const claim = makeClaim(
      mention.developer,
      mention,
      kind,
      language,
      context,
      announcesImposedRole ? false : undefined,
    );
    claims.push(claim);
    if (field !== undefined && !shape!.negated) fieldClaims.push(claim);
  }
  // Fields that name several developers describe a catalogue of models, not the answer itself; fields
  // about a developer the answer already spoke of in the third person are a card about it.
  const fieldDevelopers = new Set(fieldClaims.map((claim) => claim.developer));
  const firstField = fieldClaims[0]?.start ?? 0;
  if (
    fieldDevelopers.size > 1 ||
    claims.some(
      (claim) =>
        claim.kind === "third-person" && claim.start < firstField && fieldDevelopers.has(claim.developer),
    )
  ) {
    for (const claim of fieldClaims) {
      claim.kind = "third-person";
      claim.counted = false;
      delete claim.speaker;
    }
  }
  for (const found of unregistered) {
    const context = contextAt(text, layout, found.start, found.end - found.start);
    const kind = context.reported || context.speaker !== undefined ? "quoted" : "self";
    claims.push(makeClaim(unregisteredDeveloper, found, kind, found.language, context));
  }
  claims.sort((left, right) => left.start - right.start);
  return verdictFromClaims(claims, input.identity, addressesJudge);
}

function conflicts(claim: Claim, identity: DeveloperKey): boolean {
  return claim.kind === "negated" ? claim.developer === identity : claim.developer !== identity;
}

/** Loose and strict verdicts for a target identity from already classified claims. */
export function verdictFromClaims(
  claims: Claim[],
  identity: DeveloperKey,
  addressesJudge: boolean,
): IdentityVerdict {
  const counted = claims.filter((claim) => claim.counted);
  const ownVoice = counted.filter((claim) => claim.kind === "self" || claim.kind === "negated");
  const otherDeveloper = (claim: Claim): boolean =>
    claim.kind !== "negated" && claim.developer !== identity && claim.developer !== unregisteredDeveloper;
  return {
    loose: counted.some((claim) => conflicts(claim, identity)),
    strict: counted.some(otherDeveloper),
    strictOpenAiAnthropic: counted.some(
      (claim) => otherDeveloper(claim) && (claim.developer === "openai" || claim.developer === "anthropic"),
    ),
    ownVoice: {
      loose: ownVoice.some((claim) => conflicts(claim, identity)),
      strict: ownVoice.some(otherDeveloper),
    },
    addressesJudge,
    claims,
  };
}
