// Counts in the text a user reads: "1 fork", "2 forks", never "1 forks".

/** `n` and `word`, the word with an s unless n is 1 (every word counted here takes an s). */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
