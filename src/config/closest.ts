/** Edit distance between two strings (Levenshtein). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The candidate nearest to `word`, if it is near enough to be a likely typo. Dashes and underscores count alike. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const norm = (s: string): string => s.replace(/^-+/, '').replace(/_/g, '-').toLowerCase();
  const target = norm(word);
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(target.length * 0.4)) + 1;
  for (const candidate of candidates) {
    const d = distance(target, norm(candidate));
    if (d < bestDist) {
      best = candidate;
      bestDist = d;
    }
  }
  return best;
}
