/**
 * `flowgate prune`, the plan: the flows flowgate published to this org (the ledger) that the
 * manifest no longer lists, and what prune would do with each (docs/prune.md). Changes nothing:
 * `prune-apply.ts` acts on the plan.
 */
import { flowKey, type LoadedFlow } from '../flow/index.js';
import { PUBLISHING_KINDS, type Ledger, type StepWithDeployment } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import type { Flow } from '../platform/schemas.js';
import { sourceFileOf } from './artifact.js';
import { findConsumers, type Consumer } from './prune-consumers.js';
import { manifestIdentity } from '../config/manifest-identity.js';

/** What prune does with a flow. */
export type PruneAction = 'delete' | 'deactivate' | 'keep' | 'gone' | 'rename' | 'inactive';

/** One flow prune found. */
export interface PruneItem {
  flowKey: string;
  flowName: string;
  flowType: string;
  /** The org's flow (absent when the org no longer has it). */
  flowId?: string | undefined;
  /** The flow file the last deployment read it from, relative to the manifest's folder. */
  sourceFile?: string | undefined;
  /** The deployment that last published it to this org. */
  lastDeployment: string;
  action: PruneAction;
  /** For `keep`: who still calls or transfers to it. */
  consumers: Consumer[];
  /** For `rename`: the name the manifest's entry of the same file now carries. */
  renamedTo?: { name: string; type: string } | undefined;
  /** Why, in a sentence. */
  reason: string;
}

/** A prune plan. */
export interface PrunePlan {
  org: string;
  env?: string | undefined;
  manifest?: string | undefined;
  /** Delete, or deactivate (`--deactivate`). */
  mode: 'delete' | 'deactivate';
  /** In the order prune acts on them: a consumer before what it consumes. */
  items: PruneItem[];
}

/** What {@link planPrune} reads. */
export interface PruneInput {
  /** The org's API base URL (the ledger's `org` of its deployments). */
  org: string;
  env?: string | undefined;
  manifestPath?: string | undefined;
  /** The manifest's flows, loaded (with substitutions): what it still lists. */
  flows: readonly LoadedFlow[];
  mode: 'delete' | 'deactivate';
}

/** The flows the manifest no longer lists, each with its action. */
export async function planPrune(
  input: PruneInput,
  deps: { client: PlatformClient; ledger: Ledger },
): Promise<PrunePlan> {
  const listed = manifestIndex(input);
  const candidates = await unlistedFlows(input.org, deps.ledger, listed.keys);
  const orgFlows = await deps.client.flows.list();
  const items = candidates.map((s) => itemOf(s, listed.byFile, orgFlows, input.mode));
  const live = new Set(orgFlows.filter((f) => f.deleted !== true).map((f) => flowKey(f.type, f.name)));
  const order = await judgeConsumers(items, input, { ...deps, live });
  return {
    org: input.org,
    env: input.env,
    manifest: input.manifestPath === undefined ? undefined : manifestIdentity(input.manifestPath),
    mode: input.mode,
    items: actingOrder(items, order),
  };
}

/** The manifest's flow keys, and its files' flows (for renames). */
function manifestIndex(input: PruneInput) {
  const keys = new Set<string>();
  const byFile = new Map<string, { name: string; type: string }>();
  for (const f of input.flows) {
    const g = f.graph;
    if (g?.name === undefined || g.flowType === undefined) continue;
    keys.add(flowKey(g.flowType, g.name));
    byFile.set(sourceFileOf(f.file, input.manifestPath), { name: g.name, type: g.flowType.toLowerCase() });
  }
  return { keys, byFile };
}

/**
 * The newest publishing step of each flow flowgate published to `org`, for the flows the manifest
 * does not list and that no later prune deleted (or found gone). A prune stamped at the same moment
 * as the publish counts as later: the safe reading, since it never deletes twice.
 */
async function unlistedFlows(
  org: string,
  ledger: Ledger,
  listed: ReadonlySet<string>,
): Promise<StepWithDeployment[]> {
  const [published, pruned] = await Promise.all([
    ledger.latestSteps(org, PUBLISHING_KINDS, ['published']),
    ledger.latestSteps(org, ['delete'], ['published', 'unchanged']),
  ]);
  const prunedAt = new Map(pruned.map((s) => [s.flowKey, s.updatedAt]));
  return published.filter((s) => {
    const at = prunedAt.get(s.flowKey);
    return !listed.has(s.flowKey) && (at === undefined || at < s.updatedAt);
  });
}

/** The org's flow of a ledger step: by its recorded id, else by name and type. */
function orgFlowOf(s: StepWithDeployment, flows: readonly Flow[]): Flow | undefined {
  const live = flows.filter((f) => f.deleted !== true);
  return (
    live.find((f) => s.flowId !== undefined && f.id === s.flowId) ??
    live.find((f) => flowKey(f.type, f.name) === s.flowKey)
  );
}

function itemOf(
  s: StepWithDeployment,
  byFile: ReadonlyMap<string, { name: string; type: string }>,
  orgFlows: readonly Flow[],
  mode: PrunePlan['mode'],
): PruneItem {
  const flow = orgFlowOf(s, orgFlows);
  const base = {
    flowKey: s.flowKey,
    flowName: s.flowName,
    flowType: s.flowType,
    flowId: flow?.id,
    sourceFile: s.sourceFile,
    lastDeployment: s.deploymentId,
    consumers: [],
  };
  const renamed = s.sourceFile === undefined ? undefined : byFile.get(s.sourceFile);
  if (renamed)
    return {
      ...base,
      action: 'rename',
      renamedTo: renamed,
      reason: `${s.sourceFile} now names it '${renamed.name}'. Architect's import finds a flow by name and type, so deploying creates '${renamed.name}' beside '${s.flowName}': rename it in Architect first to keep one flow, or delete '${s.flowName}' there once nothing calls it. prune leaves it alone.`,
    };
  if (!flow) return { ...base, action: 'gone', reason: 'the org no longer has it' };
  if (mode === 'deactivate' && flow.active === false)
    return { ...base, action: 'inactive', reason: 'already inactive' };
  return { ...base, action: mode, reason: `no longer in the manifest (last deployed by ${s.deploymentId})` };
}

/**
 * Keeps every acting item that something still consumes, unless each consumer is itself pruned
 * first; returns the order the items may go in (a consumer before what it consumes).
 */
async function judgeConsumers(
  items: PruneItem[],
  input: PruneInput,
  deps: { client: PlatformClient; ledger: Ledger; live: ReadonlySet<string> },
): Promise<Map<string, number>> {
  const acting = items.filter((i) => i.action === input.mode);
  const found = await findConsumers(acting, {
    client: deps.client,
    ledger: deps.ledger,
    org: input.org,
    manifestFlows: input.flows,
    live: deps.live,
  });
  // Least fixed point: an item may go once every consumer of it goes (cycles stay).
  const order = new Map<string, number>();
  for (let changed = true; changed;) {
    changed = false;
    for (const i of acting) {
      if (order.has(i.flowKey)) continue;
      if ((found.get(i.flowKey) ?? []).every((c) => c.flowKey !== undefined && order.has(c.flowKey))) {
        order.set(i.flowKey, order.size);
        changed = true;
      }
    }
  }
  for (const i of acting) {
    i.consumers = found.get(i.flowKey) ?? [];
    if (order.has(i.flowKey)) continue;
    const blocking = i.consumers.filter((c) => c.flowKey === undefined || !order.has(c.flowKey));
    i.action = 'keep';
    i.reason = `still used by ${blocking.map((c) => `'${c.name}' (${c.source})`).join(', ')}`;
  }
  return order;
}

/** The items in acting order, the rest after them by flow key. */
function actingOrder(items: PruneItem[], order: ReadonlyMap<string, number>): PruneItem[] {
  const rank = (i: PruneItem) => order.get(i.flowKey) ?? Number.MAX_SAFE_INTEGER;
  return [...items].sort((a, b) => rank(a) - rank(b) || a.flowKey.localeCompare(b.flowKey));
}
