/**
 * Who still consumes a flow prune would remove (docs/prune.md "Consumers"): the platform's
 * dependency tracking, and the flows flowgate can read itself, the content it last deployed to
 * the org of each flow there (the ledger) and the manifest's flows. Every source counts: one that
 * names a consumer keeps the flow.
 */
import { flowKey, loadFlowText, type LoadedFlow } from '../flow/index.js';
import { PUBLISHING_KINDS, type Ledger } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import { flowObjectType } from '../platform/calls/dependencies.js';

/** One consumer of a flow. */
export interface Consumer {
  name: string;
  /** Its flow key, when the consumer is a flow (other objects always keep what they use). */
  flowKey?: string | undefined;
  id?: string | undefined;
  /** Who said so. */
  source: 'dependency tracking' | 'deployed content' | 'manifest';
}

/** What {@link findConsumers} reads. */
export interface ConsumerSources {
  client: PlatformClient;
  ledger: Ledger;
  org: string;
  manifestFlows: readonly LoadedFlow[];
  /** The flow keys the org has now: deployed content of a flow the org lost consumes nothing. */
  live: ReadonlySet<string>;
}

/** For each flow (by key), its consumers from every source, each consumer once. */
export async function findConsumers(
  flows: ReadonlyArray<{ flowKey: string; flowType: string; flowId?: string | undefined }>,
  src: ConsumerSources,
): Promise<Map<string, Consumer[]>> {
  const out = new Map<string, Consumer[]>(flows.map((f) => [f.flowKey, []]));
  const add = (key: string, c: Consumer) => {
    const list = out.get(key);
    if (!list || c.flowKey === key) return;
    if (!list.some((x) => (x.flowKey ?? x.id ?? x.name) === (c.flowKey ?? c.id ?? c.name))) list.push(c);
  };
  for (const f of flows) {
    if (f.flowId === undefined) continue;
    for (const d of await src.client.dependencies.consumingResources(f.flowId, flowObjectType(f.flowType)))
      if (d.deleted !== true)
        add(f.flowKey, {
          name: d.name ?? d.id ?? '?',
          id: d.id,
          flowKey: keyOf(d),
          source: 'dependency tracking',
        });
  }
  for (const s of await src.ledger.latestSteps(src.org, PUBLISHING_KINDS, ['published'])) {
    if (s.content === undefined || !src.live.has(s.flowKey)) continue;
    for (const key of flowsNamedIn(s.content))
      add(key, { name: s.flowName, flowKey: s.flowKey, source: 'deployed content' });
  }
  for (const m of src.manifestFlows) {
    const g = m.graph;
    if (g?.name === undefined) continue;
    for (const r of g.references)
      if (r.kind === 'flow')
        add(flowKey(r.flowType, r.name), {
          name: g.name,
          flowKey: flowKey(g.flowType, g.name),
          source: 'manifest',
        });
  }
  return out;
}

/** The flow key of a consuming flow from its dependency type (`INBOUNDCALLFLOW`, `WORKFLOW`). */
function keyOf(d: { type?: string | undefined; name?: string | undefined }): string | undefined {
  const t = d.type?.toUpperCase();
  if (t === undefined || d.name === undefined) return undefined;
  if (t === 'WORKFLOW') return flowKey('workflow', d.name);
  return t.endsWith('FLOW') ? flowKey(t.slice(0, -'FLOW'.length), d.name) : undefined;
}

/** The flows an Archy text calls or transfers to. */
function flowsNamedIn(content: string): string[] {
  const refs = loadFlowText(content, 'deployed.yaml').graph?.references ?? [];
  return refs.filter((r) => r.kind === 'flow').map((r) => flowKey(r.flowType, r.name));
}
