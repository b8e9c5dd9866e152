/** A small seeded pseudo-random generator (mulberry32), so every resampling is repeatable. */
export type RandomSource = () => number;

export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, size). */
export function randomIndex(random: RandomSource, size: number): number {
  return Math.floor(random() * size);
}

/** Fisher-Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const copy = items.slice();
  for (let index = copy.length - 1; index > 0; index--) {
    const other = randomIndex(random, index + 1);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
