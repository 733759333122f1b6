/**
 * Pairing flowgate's records of publishes with the platform's audit entries of one flow and one
 * actor, where time is all that is left to tell them apart (issue 20 §1: a greedy pass let a
 * publish 58 s later take the pipeline's place).
 *
 * A record at `t` may pair with a platform publish at `p` when `t - before ≤ p ≤ t + after`. The
 * pairing keeps as many pairs as possible and, among those, the smallest total distance `Σ|t - p|`.
 * Such a pairing never crosses (l₁ < l₂ paired with p₂ > p₁ can be swapped: both pairs stay
 * within their windows, whose bounds grow with t, and |x − y| is a Monge cost), so a dynamic
 * programme over both lists in time order finds it: O(n·m) per cluster of times no pair can
 * leave (a gap wider than either bound splits them).
 */

/** How far a platform publish may stand from flowgate's record of it. */
export interface MatchWindow {
  /** The platform's time may be this much earlier (flowgate records a publish once it saw it end). */
  beforeMs: number;
  /** … or this much later (the two clocks differ). */
  afterMs: number;
}

/** Pairs of indexes (into `local`, into `platform`), and what stayed alone. */
export interface Matching {
  pairs: Array<[number, number]>;
  unmatchedLocal: number[];
  unmatchedPlatform: number[];
}

/** The optimal pairing of `local` and `platform` times (epoch ms, any order). */
export function matchInTime(
  local: readonly number[],
  platform: readonly number[],
  window: MatchWindow,
): Matching {
  const l = order(local);
  const p = order(platform);
  const pairs: Array<[number, number]> = [];
  for (const [li, pi] of clusters(l, p, local, platform, Math.max(window.beforeMs, window.afterMs)))
    for (const [a, b] of alignCluster(
      li.map((i) => local[i]!),
      pi.map((j) => platform[j]!),
      window,
    ))
      pairs.push([li[a]!, pi[b]!]);
  const usedL = new Set(pairs.map(([a]) => a));
  const usedP = new Set(pairs.map(([, b]) => b));
  return {
    pairs,
    unmatchedLocal: local.map((_, i) => i).filter((i) => !usedL.has(i)),
    unmatchedPlatform: platform.map((_, j) => j).filter((j) => !usedP.has(j)),
  };
}

/** Whether a record at `t` and a platform publish at `p` may be one publish. */
export function compatible(t: number, p: number, window: MatchWindow): boolean {
  return p >= t - window.beforeMs && p <= t + window.afterMs;
}

/** Indexes sorted by time (stable). */
function order(times: readonly number[]): number[] {
  return times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
}

/** Splits both sorted index lists where a gap wider than `reach` separates all later times. */
function clusters(
  l: number[],
  p: number[],
  local: readonly number[],
  platform: readonly number[],
  reach: number,
): Array<[number[], number[]]> {
  const out: Array<[number[], number[]]> = [];
  let cur: [number[], number[]] = [[], []];
  let last = -Infinity;
  let i = 0;
  let j = 0;
  while (i < l.length || j < p.length) {
    const takeLocal = j >= p.length || (i < l.length && local[l[i]!]! <= platform[p[j]!]!);
    const t = takeLocal ? local[l[i]!]! : platform[p[j]!]!;
    if (t - last > reach && (cur[0].length > 0 || cur[1].length > 0)) {
      out.push(cur);
      cur = [[], []];
    }
    if (takeLocal) cur[0].push(l[i++]!);
    else cur[1].push(p[j++]!);
    last = t;
  }
  if (cur[0].length > 0 || cur[1].length > 0) out.push(cur);
  return out;
}

/** The order-preserving optimum of two sorted lists: (most pairs, then least total distance). */
function alignCluster(l: number[], p: number[], window: MatchWindow): Array<[number, number]> {
  const n = l.length;
  const m = p.length;
  const w = m + 1;
  // count[i*w+j], cost[i*w+j]: the best of l[0..i) with p[0..j).
  const count = new Int32Array((n + 1) * w);
  const cost = new Float64Array((n + 1) * w);
  const better = (c1: number, d1: number, c2: number, d2: number) => c1 > c2 || (c1 === c2 && d1 < d2);
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++) {
      const up = (i - 1) * w + j;
      const left = i * w + j - 1;
      let c = count[up]!;
      let d = cost[up]!;
      if (better(count[left]!, cost[left]!, c, d)) {
        c = count[left]!;
        d = cost[left]!;
      }
      if (compatible(l[i - 1]!, p[j - 1]!, window)) {
        const diag = (i - 1) * w + j - 1;
        const c3 = count[diag]! + 1;
        const d3 = cost[diag]! + Math.abs(l[i - 1]! - p[j - 1]!);
        if (better(c3, d3, c, d)) {
          c = c3;
          d = d3;
        }
      }
      count[i * w + j] = c;
      cost[i * w + j] = d;
    }
  // Walk back: take the pair whenever it is what made the cell.
  const pairs: Array<[number, number]> = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const here = i * w + j;
    const diag = (i - 1) * w + j - 1;
    if (
      compatible(l[i - 1]!, p[j - 1]!, window) &&
      count[here] === count[diag]! + 1 &&
      cost[here] === cost[diag]! + Math.abs(l[i - 1]! - p[j - 1]!)
    ) {
      pairs.push([i - 1, j - 1]);
      i--;
      j--;
    } else if (count[here] === count[(i - 1) * w + j] && cost[here] === cost[(i - 1) * w + j]) i--;
    else j--;
  }
  return pairs.reverse();
}
