/** "Did you mean" suggestions by edit distance. */

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The candidates closest to `input` (case-insensitive), nearest first; none when all are too far. */
export function suggest(input: string, candidates: Iterable<string>, maxDistance = Math.max(2, Math.floor(input.length / 3))): string[] {
  const lower = input.toLowerCase();
  return [...candidates]
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .filter((x) => x.d <= maxDistance)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .map((x) => x.c);
}

export function didYouMean(input: string, candidates: Iterable<string>): string {
  const [best] = suggest(input, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
