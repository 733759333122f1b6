/**
 * "Did you mean …?": the existing names closest to a name that is not there. A name counts as
 * close when it differs only in case, when one contains the other (`Support` for `Support-Prod`),
 * or when its edit distance (Levenshtein, fastest-levenshtein) is at most a third of the longer
 * name (at least 2); the closest come first.
 */
import { distance } from 'fastest-levenshtein';

/** At most `max` names of `candidates` close to `name`, closest first (ties in name order). */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const wanted = name.toLowerCase();
  const scored: Array<{ name: string; score: number }> = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c) || c === name) continue;
    seen.add(c);
    const lower = c.toLowerCase();
    let score: number;
    if (lower === wanted) score = 0;
    else if (lower.includes(wanted) || (lower.length >= 3 && wanted.includes(lower)))
      score = 1 + Math.abs(lower.length - wanted.length) / 100;
    else {
      const d = distance(lower, wanted);
      if (d > Math.max(2, Math.floor(Math.max(lower.length, wanted.length) / 3))) continue;
      score = 1 + d;
    }
    scored.push({ name: c, score });
  }
  // Ties by name; no two entries share one (`seen`).
  scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : 1));
  return scored.slice(0, max).map((s) => s.name);
}
