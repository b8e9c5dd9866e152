/**
 * The sentence patterns that make a developer mention a statement about who "I" am or who built me,
 * in English and Chinese. Each function looks at the text of one sentence before and after the mention
 * and answers whether it is a first-person identity claim and whether that claim is negated.
 */

export interface ClaimShape {
  negated: boolean;
  /** Only "As X, I ..." made it a claim: a role the answer announces, which the prompt may have imposed. */
  rolePreface?: boolean;
}

const englishFirstPerson =
  /\b(?:i|me|my|myself|mine|i'm|i’m|i've|i’ve|i'd|we|our|us|ourselves|this (?:ai |language |chat )?(?:model|assistant|chatbot|chat|ai|system|bot|llm)|the (?:ai|model|assistant|chatbot|system) (?:that )?you(?:['’]re| are) (?:talking|interacting|chatting|speaking) (?:to|with))\b/g;
const englishNegation =
  /(?:\b(?:not|never|no longer|nothing to do|no (?:relation|affiliation|connection|association|ties)|unaffiliated|independent of|independent from|neither|nor|unlike|rather than|instead of|other than|deny|denies|falsely|mistakenly|mistaken for|confused with|confuse me with|mix me up)\b|n['’]t\b)/;
const englishHypothetical =
  /\b(?:if|whether|pretend|pretending|imagine|imagining|suppose|supposing|as if|would|might|could|hypothetical(?:ly)?|fictional|fictitious|role-?play(?:ing)?|simulate|simulating|act as|acting as|playing)\b/;
/** Someone else's belief about me is not my claim: "people think I'm ChatGPT". */
const englishOthersBelieve =
  /\b(?:people|users|some|many|others|they|you|someone|somebody|folks|everyone)\s+(?:\w+\s+)?(?:think|thinks|thought|assume|assumes|assumed|believe|believes|believed|mistake|mistakes|mistook|confuse|confuses|confused|say|says|said|call|calls|called|claim|claims|claimed|expect|expects|guess|guessed)\b/;
const englishThirdParty =
  /\b(?:it|they|he|she|its|their|his|her|them|this company|the company|models|companies|such as|other|these|those|someone|somebody|people|users)\b/;
const englishSubjectBreak =
  /\b(?:but|however|although|though|while|whereas|unlike|that (?!was|is|were|are|has|have)|whether|know|knew|think|believe|heard|read|according|say|says|said|tell|told|ask|asked|question|about|regarding)\b|[?]/;

const relationVerbs =
  "developed|created|built|trained|made|designed|produced|powered|owned|maintained|supported|provided|operated|engineered|programmed|released|launched|fine-?tuned|backed|invented|deployed|hosted|funded|handled|managed|crafted|coded|constructed|architected|brought to life|brought into (?:being|existence)|run|affiliated|associated|connected|related|optimi[sz]ed|updated|improved|licensed|distributed|sponsored|founded|conceived|birthed|born|raised|taught|forged|shaped|woven|spawned|assembled|grown|cultivated|nurtured|instantiated|bred|sculpted|molded|moulded|written|authored|refined|developed and maintained|led";
const passiveAgent = new RegExp(
  `\\b(?:${relationVerbs})\\b(?:\\s*(?:,|and|&)\\s*(?:is\\s+|are\\s+|was\\s+|were\\s+|am\\s+)?(?:being\\s+)?\\w+)?\\s+(?:by|at|from|with|to|within|through|thanks to|in|inside|under|of)\\b([^.;!?。！？]{0,100})$`,
);
const basedOn =
  /\b(?:based on|built on|built upon|powered by|running on|runs on|run on|derived from|fine-?tuned from|a version of|a variant of|a fork of|part of|an instance of|an? (?:[\w-]+\s+){0,2}(?:product|creation|invention|brainchild|offspring|child|project|work|model|ai|assistant|chatbot|system|llm) (?:of|from|by)|the (?:[\w-]+\s+){0,2}(?:product|creation|invention|brainchild|work) of|come from|comes from|came from|hail from|belong to|belongs to|courtesy of|brought to you by|built using|a member of|the family of|nothing to do with|no (?:relation|affiliation|connection|association|ties|relationship) (?:with|to)|independent (?:of|from)|not (?:affiliated|associated|connected|related) (?:with|to))\b([^.;!?。！？]{0,40})$/;
const copula =
  /\b(?:i am|i'm|i’m|im|i was|i've been|i’ve been|i have been|i remain|this is|you are talking to|you're talking to|you are chatting with|you're chatting with|call me|my name is|i go by|known as|i'm called|i am called|i identify as)\s+((?:[\w'’.-]+\s+){0,3}(?:(?:called|named|known as)\s+)?)$/;
const copulaFillerBlock =
  /\b(?:to|about|with|for|like|than|that|how|what|sorry|happy|glad|able|unable|going|here|asking|talking|aware|familiar|curious|interested|sure|similar|compared|different|unlike|using|used|trying|afraid|told|asked|programmed|designed|meant|supposed|made|there|in|on|at|by|from|and|or|but|also|often|sometimes)\b/;
const possessiveRelation =
  /\b(?:my|our)\s+(?:[\w-]+\s+){0,3}?(?:developers?|creators?|makers?|company|companies|institution|team|teams|parent|owners?|origins?|organi[sz]ation|lab|laboratory|provider|vendor|architects?|trainers?|builders?|founders?|base model|underlying model|model|family|foundation|creation|development|programmers?|engineers?|designers?|manufacturer|brand|employer|roots|birthplace|home|headquarters|creator company)\b([^.;!?。！？]{0,90})$/;
const possessiveConnector =
  /(?:\b(?:is|are|was|were|at|from|by|of|called|named|include|includes|including|as|being)|[:：,—(=])\s*(?:the\s+|a\s+|an\s+)?(?:(?:team|folks|people|researchers|engineers|scientists|developers|group)\s+(?:at|from|of)\s+|company\s+|organi[sz]ation\s+|lab\s+)?$/;
const possessiveBlock =
  /\b(?:unlike|not|but|compared|than|like|such as|about|regarding|concerning|similar)\b/;
const subjectPhraseBeforeCopula =
  /\b(?:team|teams|developers?|people|minds|architects?|engineers?|creators?|organi[sz]ations?|company|companies|entity|institution|group|lab|technology|platform|framework|architecture|code|stack|infrastructure|model|models|system|creation|development|origins?)\b[^.;!?]{0,100}?(?<!\b(?:like|as|than|including|unlike)\s)\b(?:me|my)\b[^.;!?]{0,80}?\b(?:is|are|was|were)\b([^.;!?]{0,80})$/;
const afterPatterns: RegExp[] = [
  /^(?:['’]s)?\s*,?\s*(?:is|was|are|were|remains)\s+(?:also\s+|indeed\s+|actually\s+)?(?:my\b|the\s+(?:[\w-]+\s+){0,3}?(?:behind|that\s+\w+|which\s+\w+|who\s+\w+|responsible\s+for)\s+(?:me|my)\b|(?:the\s+)?one\s+(?:who|that)\s+\w+\s+me\b)/,
  /^(?:['’]s\s+(?:[\w-]+\s+){0,2})?\s*(?:(?:has|have|had|is|was|are|were)\s+)?(?:\w+ly\s+)?(?:developed|created|built|trained|made|designed|owns|powers|runs|maintains|programmed|crafted|engineered|fine-tuned|birthed|develops|trains|creates|builds|designs|powered|owned|maintained|provides|provided|supports|supported|operates|operated|forged|shaped|updates|updated)\s+(?:and\s+\w+\s+)?(?:[^.;!?,]{0,60}?\s)?(?:me|my|us)\b/,
  /^\s*(?:['’]s)?\s*,\s*(?:the|a|an|which|who|that|my)\s+[^,.;!?]{0,50}?\b(?:behind|created|developed|built|trained|made|designed|that\s+\w+|responsible\s+for|which\s+\w+)\s+(?:me|my|this\s+(?:model|assistant|ai))\b/,
];
const afterNegation =
  /^(?:['’]s)?\s*,?\s*(?:is not|isn't|isn’t|was not|wasn't|wasn’t|did not|didn't|didn’t|does not|doesn't|doesn’t|has nothing|had nothing|never)/;

/** End of the last first-person word in text, ignoring "models like me". */
function lastFirstPersonEnd(text: string): number {
  let last = -1;
  englishFirstPerson.lastIndex = 0;
  for (const match of text.matchAll(englishFirstPerson)) {
    const objectForm = /^(?:me|us|myself|ourselves)$/.test(match[0]);
    if (
      objectForm &&
      /(?:like|as|than|including|unlike|with|to|for)\s+$/.test(
        text.slice(Math.max(0, match.index - 12), match.index),
      )
    )
      continue;
    last = match.index + match[0].length;
  }
  return last;
}

const leadingConnectives =
  /^(?:(?:and|but|so|yet|also|however|well|indeed|in fact|actually|honestly|rather|instead)\s*,?\s+)+/;

/** The clause that ends at `verbIndex`, extended past an apposition or a bare participle. */
function englishClause(before: string, verbIndex: number): string {
  const head = before.slice(0, verbIndex);
  const boundary = Math.max(
    head.lastIndexOf(","),
    head.lastIndexOf(":"),
    head.lastIndexOf("—"),
    head.lastIndexOf("("),
  );
  if (boundary < 0) return head;
  const zone = head
    .slice(boundary + 1)
    .trim()
    .replace(leadingConnectives, "");
  if (
    /^(?:(?:and|which|who|that|originally|initially|primarily|mainly|proudly|currently)\s+|(?:was|is|were|are|been|being|am)\s+)*$/.test(
      zone,
    )
  )
    return head;
  if (/^(?:an?|the|one)\s/.test(zone)) return head;
  return zone;
}

/** The first-person subject zone of a clause (from "I"/"my" to the verb), or undefined. */
function englishSubjectZone(head: string, clause: string): string | undefined {
  const trimmed = clause.trim().replace(leadingConnectives, "");
  const asPhrase = /\b(?:as|being)\s+(?:an?|the|your)\s+(?:[\w-]+\s+){0,4}$/.exec(trimmed);
  if (asPhrase !== null && !englishThirdParty.test(asPhrase[0].replace(/^(?:as|being)\s+/, "")))
    return asPhrase[0];
  if (/^(?:as|being)\s+(?:an?|the|your)\s/.test(trimmed)) {
    return englishThirdParty.test(trimmed.replace(/^(?:as|being)\s+/, "")) ? undefined : trimmed;
  }
  const clauseEnd = lastFirstPersonEnd(trimmed);
  if (clauseEnd >= 0 && !englishThirdParty.test(trimmed.slice(clauseEnd))) return trimmed;
  // "The technology behind me, including the models, was developed by": the subject spans commas.
  const headEnd = lastFirstPersonEnd(head);
  if (headEnd < 0 || head.length - headEnd > 150) return undefined;
  const rest = head.slice(headEnd);
  if (englishThirdParty.test(rest) || englishSubjectBreak.test(rest)) return undefined;
  return head.slice(Math.max(0, headEnd - 20));
}

/** English: is the mention (with `before`/`after` text of its sentence, lower-cased) an "I am / made by" claim? */
export function englishClaim(before: string, after: string): ClaimShape | undefined {
  const candidates: string[] = [];
  const passive = passiveAgent.exec(before) ?? basedOn.exec(before);
  if (passive !== null) {
    const head = before.slice(0, passive.index);
    const zone = englishSubjectZone(head, englishClause(before, passive.index));
    const gap = passive[1] ?? "";
    if (
      zone !== undefined &&
      !/\b(?:and|or)\s+(?:not|never)\b|\b(?:such as|like|e\.g\.|for example)\b/.test(gap)
    )
      candidates.push(`${zone} ${passive[0]}`);
  }
  const copulaMatch = copula.exec(before);
  if (copulaMatch !== null && !copulaFillerBlock.test(copulaMatch[1] ?? "")) {
    candidates.push(before.slice(Math.max(0, before.lastIndexOf(",", copulaMatch.index) + 1)));
  }
  const possessive = possessiveRelation.exec(before);
  if (possessive !== null && possessiveConnector.test(before) && !possessiveBlock.test(possessive[1] ?? "")) {
    candidates.push(possessive[0]);
  }
  const subjectPhrase = subjectPhraseBeforeCopula.exec(before);
  if (subjectPhrase !== null && !possessiveBlock.test(subjectPhrase[1] ?? ""))
    candidates.push(subjectPhrase[0]);
  const rolePreface =
    /\b(?:as|being)\s+(?:an?\s+|the\s+)?$/.test(before) &&
    /^[\s\w'’-]{0,30}?,\s*(?:i|i'm|i’m|my)\b/.test(after);
  if (rolePreface) candidates.push(before.slice(-20));
  if (/\b(?:me|myself|i)\s*[,(—]\s*$/.test(before) && /^\s*[,)—]/.test(after))
    candidates.push(before.slice(-30));
  for (const pattern of afterPatterns) {
    const match = pattern.exec(after);
    if (match !== null && !/(?:like|as|than|including)\s+(?:me|my|us)\b/.test(match[0])) {
      candidates.push(match[0]);
      break;
    }
  }
  // "Developed by OpenAI, I aim to help": a participle opening the sentence describes its subject.
  if (
    passive !== null &&
    /^[\s\p{P}\p{S}]*$/u.test(before.slice(0, passive.index)) &&
    /^[^.;!?]{0,40}?,\s*(?:i|i'm|i’m|my)\b/.test(after)
  ) {
    candidates.push(passive[0]);
  }
  const negatedAfter = afterNegation.test(after) && /\b(?:me|my|i)\b/.test(after.slice(0, 80));
  if (candidates.length === 0 && !negatedAfter) return undefined;
  const zoneText = candidates.join(" ");
  if (englishHypothetical.test(zoneText) || englishOthersBelieve.test(zoneText)) return undefined;
  const shape: ClaimShape = { negated: negatedAfter || englishNegation.test(zoneText) };
  if (rolePreface && candidates.length === 1) shape.rolePreface = true;
  return shape;
}

const chineseNegation =
  /不是|并非|并不是|并不|非由|不属于|不隶属|不由|而非|而不是|从未|从来没有|没有被|无关|没有关系|没关系|不相关|毫无关系|不再|否认|不来自/;
const chineseHypothetical = /如果|假如|假设|假装|扮演|模拟|想象|虚构|角色|以为|误以为|误认为|当成|当作|错认/;
const chineseBefore: RegExp[] = [
  /(?:我|咱)们?(?:其实|实际上|本身|目前|确实|只|仅仅|就|也|正)?(?:是|乃是|为|来自|属于|隶属于?|基于|源自|出自|诞生于)[^，。！？,.;；\n]{0,15}$/,
  /作为(?:一[个款名种位])?(?:由)?$/,
  /(?:我|咱)们?的[^，。！？,.;；\n]{0,20}(?:是|为|：|:|来自|属于|就是|即)(?:由)?[^，。！？,.;；\n]{0,6}$/,
  /(?:我|咱)们?的(?:开发|创建|创造|研发|母|所属|所在|背后)?(?:公司|团队|机构|者|商|方|集团)$/,
  /(?:我|咱)们?[^，。！？,.;；\n]{0,30}?(?:是)?由$/,
  /(?:我|咱)们?(?:是|为)?[^，。！？,.;；\n]{0,6}(?:不是|并非|而非|而不是|不属于)$/,
];
const chineseRelationNoun =
  /开发|创建|创造|研发|母公司|公司|机构|团队|开发者|创始|制造|出品|技术|平台|架构|模型|背后|来源|所属|成员|总部|东家|产品|助手|系列|版本|训练|提供|打造|推出/;
/**
 * Answers often echo the question's "您/你" when they talk about themselves ("您使用的核心技术是由…开发的"
 * answering "您使用的核心技术是由哪个团队开发的？"); used only when the prompt addressed the model so.
 */
const chineseEchoBefore: RegExp[] = [
  /(?:您|你)(?:的|所使用的|使用的|所用的)[^，。！？,.;；\n]{0,20}(?:是|为|：|:|即)(?:由)?[^，。！？,.;；\n]{0,6}$/,
  /(?:您|你)(?:的|所使用的|使用的)(?:开发|创建|创造|研发|母)?(?:公司|团队|机构|者|商)$/,
  /(?:您|你)(?:的|所使用的|使用的|所用的)[^，。！？,.;；\n]{0,30}?(?:是)?由$/,
];
const chineseMakingVerbAfter =
  /^[^，。！？]{0,14}?(?:开发|研发|提供|训练|打造|创建|推出|设计|支持|维护|构建|制作|创造|运营|拥有|负责|出品|发布|组成|构成)/;
const chineseApposition = /(?:我|咱)们?(?:是|为)[^。！？\n]{0,30}[，,]\s*(?:是|也是)?由$/;
const chineseAfter: RegExp[] = [
  /^(?:公司|团队|的团队|集团)?(?:开发|研发|创造|训练|打造|创建|推出|设计|制造|构建|培养)了?(?:我|咱)/,
  /^(?:公司|团队)?(?:是|为)(?:我|咱)们?的/,
  /^(?:公司|团队)?(?:为|给)(?:我|咱)们?(?:提供|开发|打造)/,
];

const chineseSpacing = /[ \t\u3000]+/g;

/**
 * Chinese: is the mention an "我是… / 我由…开发" claim? `before`/`after` are within one sentence;
 * `secondPersonEcho` also reads "您的…是" as the answer speaking of itself (the prompt said 您/你).
 */
export function chineseClaim(
  rawBefore: string,
  after: string,
  secondPersonEcho = false,
): ClaimShape | undefined {
  // Chinese needs no spaces between words: "我 是 GPT-4，由 OpenAI 训练" reads as "我是GPT-4，由OpenAI训练".
  const before = rawBefore.replace(chineseSpacing, "");
  const head = after.replace(chineseSpacing, "").slice(0, 24);
  let zone: string | undefined;
  for (const pattern of secondPersonEcho ? [...chineseBefore, ...chineseEchoBefore] : chineseBefore) {
    const match = pattern.exec(before);
    if (match === null) continue;
    const text = match[0];
    const ok =
      /是$|为$|由$|^作为/.test(text) && !/的/.test(text)
        ? true
        : chineseRelationNoun.test(text) ||
          chineseRelationNoun.test(head.slice(0, 6)) ||
          /(?:是|为|来自|属于|基于)/.test(text);
    if (ok) {
      zone = text;
      break;
    }
  }
  // "我是一个人工智能助手，由智谱AI开发": an apposition after a comma, only with a making verb after the name.
  if (zone === undefined && chineseApposition.test(before) && chineseMakingVerbAfter.test(head)) {
    zone = chineseApposition.exec(before)![0];
  }
  if (zone === undefined) {
    if (chineseAfter.some((pattern) => pattern.test(head))) zone = head;
  } else if (/由$/.test(zone) && !chineseRelationNoun.test(zone) && !chineseMakingVerbAfter.test(head)) {
    return undefined;
  }
  if (zone === undefined) return undefined;
  if (
    chineseHypothetical.test(zone) ||
    /(?:以为|误以为|误认为|当成|当作)$/.test(before.slice(0, before.length - zone.length))
  )
    return undefined;
  return {
    negated: chineseNegation.test(zone) || /^[^，。！？]{0,12}(?:无关|没有关系|没关系|不相关)/.test(head),
  };
}
