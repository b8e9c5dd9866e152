/** Agreement between two judges' boolean verdicts on the same items: raw agreement and Cohen's kappa. */

export interface JudgeAgreement {
  /** Items both judges gave a verdict on. */
  n: number;
  /** Share of items on which they agree. */
  raw: number;
  /** Cohen's kappa (agreement beyond chance); NaN when undefined (both judges constant and equal). */
  kappa: number;
}

/** Raw agreement and Cohen's kappa of paired boolean verdicts. */
export function judgeAgreement(pairs: ReadonlyArray<readonly [boolean, boolean]>): JudgeAgreement {
  const n = pairs.length;
  if (n === 0) return { n, raw: Number.NaN, kappa: Number.NaN };
  let agree = 0;
  let firstPositive = 0;
  let secondPositive = 0;
  for (const [first, second] of pairs) {
    if (first === second) agree++;
    if (first) firstPositive++;
    if (second) secondPositive++;
  }
  const observed = agree / n;
  const pFirst = firstPositive / n;
  const pSecond = secondPositive / n;
  const expected = pFirst * pSecond + (1 - pFirst) * (1 - pSecond);
  const kappa = expected === 1 ? Number.NaN : (observed - expected) / (1 - expected);
  return { n, raw: observed, kappa };
}
