/**
 * Publish order: a flow is published after the flows of the same deployment that it transfers to
 * or calls (Architect refuses a flow whose dependencies are missing, docs/platform-api.md#architect-error-codes). Kahn's
 * algorithm with the manifest's order breaking ties; a cycle (transfers both ways, which
 * validation reports) is broken at the edge that closes it.
 */

/**
 * Indexes in publish order, given each step's dependencies. `validate` and `deploy` both use this
 * one function (through `publishOrder` and the plan), so they print and do the same order.
 */
export function publishSequence(count: number, dependsOn: ReadonlyArray<readonly number[]>): number[] {
  const indegree = new Int32Array(count);
  const dependents: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < count; i++)
    for (const d of dependsOn[i] ?? []) {
      indegree[i]!++;
      dependents[d]!.push(i);
    }
  const done = new Uint8Array(count);
  const out: number[] = [];
  while (out.length < count) {
    // The lowest-numbered ready step; when none is ready (a cycle), the lowest-numbered left.
    let next = -1;
    for (let i = 0; i < count; i++)
      if (!done[i] && indegree[i] === 0) {
        next = i;
        break;
      }
    if (next < 0) for (let i = 0; i < count && next < 0; i++) if (!done[i]) next = i;
    done[next] = 1;
    out.push(next);
    for (const j of dependents[next]!) indegree[j]!--;
  }
  return out;
}
