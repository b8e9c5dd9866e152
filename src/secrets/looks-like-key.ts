/**
 * Whether a value written where a variable NAME belongs (`api-key-env`) looks like a key pasted by
 * mistake: a long run without underscores that mixes letters and digits, or a very long run. Variable
 * names are short words joined by underscores (OPENAI_API_KEY, MY_PROVIDER_KEY_2); keys are long
 * random runs. Used to word the error without echoing the value.
 */
export function looksLikeKey(value: string): boolean {
  return value
    .split("_")
    .some(
      (segment) =>
        segment.length >= 24 || (segment.length >= 16 && /\d/.test(segment) && /[A-Za-z]/.test(segment)),
    );
}
