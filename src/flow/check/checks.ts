/**
 * Graph checks over one {@link FlowGraph}: reachability, connectivity, dead code, missing
 * terminals, loops and self-transfers. Every algorithm is linear and iterative (CSR arrays,
 * Tarjan, BFS, union-find); loops are reported once per strongly connected component with one
 * example cycle, never by enumerating cycles (their number grows exponentially).
 */
import { buildCsr } from '../algorithms/csr.js';
import { exampleCycle, reachableFrom } from '../algorithms/reach.js';
import { stronglyConnectedComponents } from '../algorithms/scc.js';
import { UnionFind } from '../algorithms/union-find.js';
import { needsTerminal } from '../graph/archy/archy.js';
import { diagnostic, type DiagnosticSink } from '../diagnostics.js';
import { describeNode, NodeFlag, type FlowGraph } from '../graph/flow-graph.js';

/** How loops are judged. */
export type LoopPolicy = 'allow-with-exit' | 'error';

/** Options of {@link checkGraph}. */
export interface GraphCheckOptions {
  /** `error` makes every cycle an error, for teams who want no loops at all. @default 'allow-with-exit' */
  loops?: LoopPolicy;
}

/** Runs every single-flow graph check. */
export function checkGraph(g: FlowGraph, options: GraphCheckOptions, out: DiagnosticSink): void {
  // No early return for a graph without nodes: its references may still name the flow itself.
  const n = g.nodeCount;
  const csr = buildCsr(n, g.edgeFrom, g.edgeTo, g.edgeCount);
  const hasStart = g.starts.length > 0;
  const reached = hasStart ? reachableFrom(csr, g.starts) : new Uint8Array(n).fill(1);
  const at = (i: number) => ({ file: g.file, line: g.lines[i] ?? 0, column: g.columns[i] ?? 0 });

  if (hasStart) unreachableParts(g, reached, at, out);
  if (needsTerminal(g.flowType)) {
    for (const i of g.fallsOff) {
      if (!reached[i]) continue;
      const transfer = g.types[i]!.startsWith('transferTo') || g.types[i]!.startsWith('menuTransferTo');
      out.push(
        diagnostic(
          'missing-terminal',
          transfer
            ? `if ${describeNode(g, i)} fails, the call runs off the end of its ${containerKind(g, i)} without a disconnect, transfer or jump`
            : `the path through ${describeNode(g, i)} runs off the end of its ${containerKind(g, i)} without a disconnect, transfer or jump`,
          at(i),
          { hint: 'End the path with disconnect, a transfer, or a jump to a menu or task.' },
        ),
      );
    }
  }
  loops(g, csr, reached, options.loops ?? 'allow-with-exit', at, out);
  for (const r of g.references) {
    if (r.kind === 'flow' && g.name !== undefined && r.name === g.name && r.flowType === g.flowType) {
      out.push(
        diagnostic(
          'self-transfer',
          `${r.via} targets this flow itself ('${r.name}'): Architect restarts the flow`,
          { file: g.file, line: r.line, column: r.column },
          {
            hint: 'Jump to a menu or task instead of transferring to the same flow.',
          },
        ),
      );
    }
  }
}

function containerKind(g: FlowGraph, i: number): string {
  const c = g.kinds[i] === 'action' || g.kinds[i] === 'choice' ? g.containerOf[i]! : i;
  return c >= 0 ? (g.kinds[c] ?? 'task') : 'task';
}

function unreachableParts(
  g: FlowGraph,
  reached: Uint8Array,
  at: (i: number) => { file: string; line: number; column: number },
  out: DiagnosticSink,
): void {
  const n = g.nodeCount;
  let anyUnreached = false;
  for (let i = 0; i < n; i++)
    if (!reached[i]) {
      anyUnreached = true;
      break;
    }
  if (!anyUnreached) return;
  // Group the unreached nodes into weakly connected regions, one finding per region.
  const uf = new UnionFind(n);
  const touchesReached = new Uint8Array(n);
  for (let e = 0; e < g.edgeCount; e++) {
    const u = g.edgeFrom[e]!;
    const v = g.edgeTo[e]!;
    if (!reached[u] && !reached[v]) uf.union(u, v);
    else if (!reached[u]) touchesReached[u] = 1;
    else if (!reached[v]) touchesReached[v] = 1;
  }
  const explained = new Uint8Array(n);
  for (const [terminal, next] of g.afterTerminal) {
    if (!reached[next] && reached[terminal]) {
      explained[uf.find(next)] = 1;
      out.push(
        diagnostic(
          'dead-code',
          `${describeNode(g, next)} can never run: it follows ${describeNode(g, terminal)}, which never continues`,
          at(next),
          {
            hint: 'Remove the actions after it, or move them into a branch that is taken.',
          },
        ),
      );
    }
  }
  const rep = new Int32Array(n).fill(-1);
  const size = new Int32Array(n);
  const island = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    if (reached[i]) continue;
    const r = uf.find(i);
    size[r]!++;
    if (touchesReached[i]) island[r] = 0;
    const cur = rep[r]!;
    // Prefer a container (menu, task, state) as the region's name, then the first node.
    if (cur === -1 || (!(g.flags[cur]! & NodeFlag.Container) && g.flags[i]! & NodeFlag.Container)) rep[r] = i;
  }
  for (let r = 0; r < n; r++) {
    const i = rep[r]!;
    if (i === -1 || explained[r]) continue;
    const more = size[r]! - 1;
    const tail = more > 0 ? ` (with ${more} more node${more === 1 ? '' : 's'})` : '';
    const isContainer = (g.flags[i]! & NodeFlag.Container) !== 0;
    if (island[r] && !isContainer) {
      out.push(
        diagnostic(
          'disconnected',
          `${describeNode(g, i)}${tail} is not connected to the rest of the flow`,
          at(i),
          {
            hint: 'Connect it to the flow, or delete it.',
          },
        ),
      );
    } else {
      out.push(
        diagnostic('unreachable', `${describeNode(g, i)}${tail} is never reached from the start`, at(i), {
          hint: isContainer
            ? `Nothing jumps to it: reference it (targetMenuRef/targetTaskRef or startUpRef), or delete it.`
            : 'Nothing leads to it from the start: connect it, or delete it.',
        }),
      );
    }
  }
}

function loops(
  g: FlowGraph,
  csr: ReturnType<typeof buildCsr>,
  reached: Uint8Array,
  policy: 'allow-with-exit' | 'error',
  at: (i: number) => { file: string; line: number; column: number },
  out: DiagnosticSink,
): void {
  const n = g.nodeCount;
  const { component, count } = stronglyConnectedComponents(csr);
  const size = new Int32Array(count);
  const cyclic = new Uint8Array(count);
  const exit = new Uint8Array(count);
  const rep = new Int32Array(count).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = component[i]!;
    size[c]!++;
    if (g.flags[i]! & NodeFlag.Exit) exit[c] = 1;
    if (reached[i] && rep[c] === -1) rep[c] = i;
  }
  for (let e = 0; e < g.edgeCount; e++) {
    const cu = component[g.edgeFrom[e]!]!;
    const cv = component[g.edgeTo[e]!]!;
    if (cu !== cv) exit[cu] = 1;
    else if (g.edgeFrom[e] === g.edgeTo[e] || size[cu]! > 1) cyclic[cu] = 1;
  }
  const scratch = new Int32Array(n).fill(-2);
  // Reported loops with a way out are capped: a flow with 1e5 retry loops needs no 1e5 messages.
  let shownLoops = 0;
  let moreLoops = 0;
  for (let c = 0; c < count; c++) {
    if (!cyclic[c] || rep[c] === -1) continue;
    if (exit[c] && shownLoops >= MAX_LOOP_FINDINGS) {
      moreLoops++;
      continue;
    }
    if (exit[c]) shownLoops++;
    const start = rep[c]!;
    const cycle = exampleCycle(csr, component, start, scratch);
    const shown = cycle.slice(0, 6).map((i) => describeNode(g, i));
    const path = [
      ...shown,
      ...(cycle.length > 6 ? [`… ${cycle.length - 6} more`] : []),
      describeNode(g, start),
    ].join(' → ');
    const related = cycle
      .slice(0, 20)
      .map((i) => ({ message: describeNode(g, i), line: g.lines[i] ?? 0, column: g.columns[i] ?? 0 }));
    if (!exit[c]) {
      out.push(
        diagnostic(
          'infinite-loop',
          `infinite routing loop of ${size[c]} node${size[c] === 1 ? '' : 's'} with no way out: ${path}`,
          at(start),
          {
            hint: 'Add a way out (a menu, a decision that leaves the loop, a transfer or a disconnect). Architect aborts a call after 10,000 actions.',
            related,
          },
        ),
      );
    } else {
      out.push(
        diagnostic(
          'loop',
          `loop of ${size[c]} node${size[c] === 1 ? '' : 's'} with a way out: ${path}`,
          at(start),
          {
            severity: policy === 'error' ? 'error' : 'info',
            hint:
              policy === 'error'
                ? 'The policy forbids loops (loops: error).'
                : 'Legitimate when it repeats on bad input; make sure it ends.',
            related,
          },
        ),
      );
    }
  }
  if (moreLoops > 0) {
    out.push(
      diagnostic(
        'truncated',
        `${moreLoops} more loop${moreLoops === 1 ? '' : 's'} with a way out left out`,
        { file: g.file },
        {
          hint: 'The first ones are shown.',
        },
      ),
    );
  }
}

/** Loops with a way out reported per flow; the rest are counted. */
const MAX_LOOP_FINDINGS = 200;
