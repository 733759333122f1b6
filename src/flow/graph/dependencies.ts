/**
 * Dependencies between the flows of one deployment, from their references, and the publish order
 * they give: the one derivation that `validate` (cycles, the printed publish order) and `plan`
 * (each step's `dependsOn`, the order it runs in) share, so both say and do the same.
 */
import { publishSequence } from '../algorithms/publish-sequence.js';
import type { FlowGraph } from './flow-graph.js';

/** The key that identifies a flow in an org: its type and name (the import service upserts by both, FLOWS.md §4.2). */
export function flowKey(flowType: string | undefined, name: string | undefined): string {
  return `${(flowType ?? '').toLowerCase()}:${name ?? ''}`;
}

/** What the dependency derivation reads of a flow: its identity and what it references. */
export type DependencyNode = Pick<FlowGraph, 'name' | 'flowType' | 'references'>;

/**
 * Edges between the flows of a deployment, from their references: the one derivation that
 * `validate` (cycles, publish order) and `plan` (each step's `dependsOn`) share.
 */
export function dependencyEdges(
  graphs: readonly DependencyNode[],
): Array<{ from: number; to: number; line: number; column: number; via: string }> {
  const byKey = new Map<string, number>();
  graphs.forEach((g, i) => {
    if (g.name !== undefined) byKey.set(flowKey(g.flowType, g.name), i);
  });
  const edges: Array<{ from: number; to: number; line: number; column: number; via: string }> = [];
  graphs.forEach((g, i) => {
    for (const r of g.references) {
      if (r.kind !== 'flow') continue;
      const j = byKey.get(flowKey(r.flowType, r.name));
      if (j !== undefined && j !== i)
        edges.push({ from: i, to: j, line: r.line, column: r.column, via: r.via });
    }
  });
  return edges;
}

/** For each flow, the flows of the deployment it references (each once, in reference order). */
export function dependencyLists(graphs: readonly DependencyNode[]): number[][] {
  const deps: number[][] = graphs.map(() => []);
  for (const e of dependencyEdges(graphs)) if (!deps[e.from]!.includes(e.to)) deps[e.from]!.push(e.to);
  return deps;
}

/** What {@link dependencyOrder} finds. */
export interface DependencyOrder {
  /** For each flow, the flows of the deployment it references ({@link dependencyLists}). */
  dependsOn: number[][];
  /** Every flow once, dependencies first, the given order breaking ties and cycles (`publishSequence`). */
  order: number[];
  /** Whether the order puts every dependency first (false: a cycle, which `checkDependencyCycles` reports). */
  satisfied: boolean;
}

/** The dependencies of a deployment's flows and the order they are published in. */
export function dependencyOrder(graphs: readonly DependencyNode[]): DependencyOrder {
  const dependsOn = dependencyLists(graphs);
  const order = publishSequence(graphs.length, dependsOn);
  const at = new Int32Array(graphs.length);
  order.forEach((g, i) => (at[g] = i));
  const satisfied = !dependsOn.some((list, i) => list.some((d) => at[d]! > at[i]!));
  return { dependsOn, order, satisfied };
}

/**
 * Flows of a deployment in publish order (dependencies first, the given order breaking ties), or
 * undefined when they form a cycle (which `checkDependencyCycles` reports).
 */
export function publishOrder(graphs: readonly DependencyNode[]): number[] | undefined {
  const { order, satisfied } = dependencyOrder(graphs);
  return satisfied ? order : undefined;
}
