/**
 * Planning: validate every flow (the same checks and codes as `validate`, with the org's live flow
 * list for the max-flows policy and missing dependencies), resolve each manifest entry to its
 * flow in the org, and decide per flow: create, update, publish a version, unchanged (the content
 * the ledger last deployed is the content now, and the org still has it published) or blocked
 * (validation errors, a lock held by someone else, drift). Changes nothing.
 */
import { relative } from 'node:path';
import { plural } from '../shared/plural.js';
import { isFlowgateError, type FlowgateError } from '../errors.js';
import type { LoadedDeployment } from '../config/deployment.js';
import type { ManifestRequires } from '../config/gates-schema.js';
import type { ManifestFlow } from '../config/manifest.js';
import { artifactOf, planHash, sourceFileOf } from './artifact.js';
import { evaluateGates } from './gates.js';
import { dependencyOrder, flowKey } from '../flow/index.js';
import { loadFlowText, type LoadedFlow } from '../flow/load.js';
import { validateLoaded, type ValidationReport } from '../flow/validate.js';
import type { DeploymentRecord, HeldFlowLock, Ledger, StepRecord } from '../ledger/types.js';
import type { PlatformClient } from '../platform/client.js';
import type { Flow } from '../platform/schemas.js';
import { deployableContent, parseFlowValue, sameFlow, unreadableFile } from './content.js';
import { holdsContent } from './published-content.js';
import { exportedContents, textDiff } from './org-content.js';
import type { ExportYamlOptions } from '../platform/calls/export.js';
import { extractPermissions } from '../platform/errors.js';
import { normalizedHash } from './content.js';
import { describeDiff, semanticDiff } from './diff.js';
import { checkOrgReferences, OrgObjectCache, withFindings } from './org-references.js';
import { judgeDuplicates } from './plan-duplicates.js';
import { judgeScheduled } from './plan-schedules.js';
import type { BlockReason, DeploymentPlan, PlannedStep } from './types.js';
import { manifestIdentity } from '../config/manifest-identity.js';

/** Options of {@link planDeployment}. */
export interface PlanOptions {
  /** Gates in place of the environment's `requires:` (`promote` adds the environment promoted from). */
  requires?: ManifestRequires | undefined;
  client: PlatformClient;
  ledger: Ledger;
  /** The flows loaded from the deployment's inputs (`loadDeploymentFlows`), same order. */
  loaded: LoadedFlow[];
  /** Take over locks held by others (`--force-unlock`): not blocked, unlocked when run. */
  forceUnlock?: boolean;
  /** The org objects already listed in this run (one listing per kind per run). */
  objectCache?: OrgObjectCache;
  /** Publish over a flow changed in Architect since flowgate's last deployment (`--overwrite-drift`). */
  overwriteDrift?: boolean;
  /** Polling of the export jobs that read what the org publishes. */
  exportPoll?: ExportYamlOptions;
}

/** A step whose org content is read by an export job before it is decided. */
interface PendingCheck {
  step: PlannedStep;
  version: string;
  /** The ledger's last deployment of the flow to this org. */
  last: StepRecord | undefined;
}

/** What every step of a plan is judged against: the org, the validation, the manifest's inputs. */
interface PlanContext {
  orgFlows: Flow[];
  me: string;
  validation: ValidationReport;
  objects: Awaited<ReturnType<typeof checkOrgReferences>>;
  byManifest: Map<number, LoadedFlow>;
  valuesOf: Map<number, Record<string, string>>;
}

/** Plans a deployment. */
export async function planDeployment(deployment: LoadedDeployment, o: PlanOptions): Promise<DeploymentPlan> {
  const manifest = deployment.manifest;
  const ctx = await planContext(deployment, o);
  const steps: PlannedStep[] = [];
  const checks: PendingCheck[] = [];
  for (const [manifestIndex, entry] of (manifest?.flows ?? []).entries()) {
    const loaded = ctx.byManifest.get(manifestIndex);
    const step = entry.file
      ? await planImport(entry, manifestIndex, loaded, ctx.orgFlows, o.ledger, o.client, checks)
      : await planPublish(entry, manifestIndex, loaded, ctx.orgFlows, o.client);
    step.index = steps.length;
    judgeStep(step, entry, loaded, ctx, o, manifest?.path);
    steps.push(step);
  }
  await checkOrgContent(checks, o);
  judgeDuplicates(steps, manifest?.flows ?? [], manifest?.path);
  // One schedule per flow: what another deployment already schedules is not recorded again.
  // Who deploys these flows now, read once: the schedules leave a live runner's to the locks.
  const org = o.client.endpoints.apiBaseUrl;
  const runners = await o.ledger.flowLockHolders(
    org,
    steps.map((s) => s.flowKey),
  );
  await judgeScheduled(steps, o.ledger, org, runners);
  for (const step of steps) if (step.blocked.length > 0) step.action = 'blocked';
  noteOtherRunners(steps, runners);
  // Dependencies: a flow publishes after the flows of this deployment it references (the one
  // derivation and order validate uses too).
  const { dependsOn, order } = dependencyOrder(
    steps.map((s) => ({
      name: s.flowName,
      flowType: s.flowType,
      references: ctx.byManifest.get(s.manifestIndex)?.graph?.references ?? [],
    })),
  );
  steps.forEach((s, i) => (s.dependsOn = dependsOn[i]!));
  const plan: DeploymentPlan = {
    org: o.client.endpoints.apiBaseUrl,
    actor: ctx.me,
    env: manifest?.env,
    manifest: manifest ? manifestIdentity(manifest.path) : undefined,
    steps,
    order,
    validation: ctx.validation,
    blocked: ctx.validation.summary.errors > 0 || steps.some((s) => s.blocked.length > 0),
  };
  plan.planHash = planHash(plan);
  const requires = o.requires ?? manifest?.requires;
  if (requires) plan.gates = await evaluateGates(plan, requires, o.ledger);
  return plan;
}

/** The org's flows and objects, the validation with the org objects' findings, the inputs by manifest entry. */
async function planContext(deployment: LoadedDeployment, o: PlanOptions): Promise<PlanContext> {
  const orgFlows = await o.client.flows.list();
  const info = await o.client.org.tokenInfo();
  // The org objects the flows name (queues, data actions, prompts…): their findings are validation's.
  const objects = await checkOrgReferences(o.loaded, {
    org: info.organization?.name ?? o.client.endpoints.apiBaseUrl,
    cache: o.objectCache ?? new OrgObjectCache(o.client.objects),
    inputs: deployment.inputs,
  });
  const checked = validateLoaded(o.loaded, {
    ...(deployment.policy ? { policy: deployment.policy } : {}),
    orgFlows: orgFlows.map((f) => ({
      name: f.name,
      type: f.type ?? '',
      published: f.publishedVersion !== undefined,
    })),
  });
  const byManifest = new Map<number, LoadedFlow>();
  const valuesOf = new Map<number, Record<string, string>>();
  deployment.inputs.forEach((input, i) => {
    if (input.manifestIndex === undefined) return;
    byManifest.set(input.manifestIndex, o.loaded[i]!);
    valuesOf.set(input.manifestIndex, input.substitutions);
  });
  return {
    orgFlows,
    me: info.OAuthClient?.id ?? '',
    validation: withFindings(checked, objects.diagnostics),
    objects,
    byManifest,
    valuesOf,
  };
}

/** A step's artifact, the objects it uses, and what blocks it: validation, policy, a lock in Architect. */
function judgeStep(
  step: PlannedStep,
  entry: ManifestFlow,
  loaded: LoadedFlow | undefined,
  ctx: PlanContext,
  o: PlanOptions,
  manifestPath: string | undefined,
): void {
  if (step.kind === 'import' && loaded?.text !== undefined)
    Object.assign(step, artifactOf(loaded.text, ctx.valuesOf.get(step.manifestIndex) ?? {}), {
      source: loaded.text,
      sourceFile: sourceFileOf(entry.file!, manifestPath),
    });
  const uses = ctx.objects.flows.find((f) => loaded !== undefined && f.file === loaded.file)?.objects;
  if (uses && uses.length > 0) step.objects = uses;
  const errorsHere = ctx.validation.diagnostics.filter(
    (d) => d.severity === 'error' && (loaded?.file === undefined || d.file === loaded.file),
  );
  const errors = errorsHere.filter((d) => !d.code.startsWith('policy-'));
  // A file that gave no text is said once, as a file problem, not again as a validation count.
  if (errors.length > 0 && !step.blocked.some((b) => b.kind === 'file'))
    step.blocked.push({
      kind: 'validation',
      message: `${plural(errors.length, 'validation error')} (first: ${errors[0]!.file}${errors[0]!.line > 0 ? `:${errors[0]!.line}:${errors[0]!.column}` : ''} ${errors[0]!.message})`,
    });
  for (const p of ctx.validation.diagnostics)
    if (p.severity === 'error' && p.code.startsWith('policy-'))
      if (p.file === loaded?.file || p.code === 'policy-max-flows')
        step.blocked.push({ kind: 'policy', message: p.message });
  const target = ctx.orgFlows.find((f) => f.id === step.flowId);
  const holder = target ? lockHolder(target, ctx.me) : undefined;
  if (holder) {
    step.lockedBy = holder;
    if (o.forceUnlock) step.forceUnlock = true;
    else if (step.action !== 'unchanged')
      step.blocked.push({ kind: 'locked', message: `locked in Architect by ${holder}` });
  }
}

/** Another runner deploying one of these flows now: deploy will wait for it (or fail at once). */
function noteOtherRunners(steps: PlannedStep[], runners: readonly HeldFlowLock[]): void {
  for (const h of runners)
    for (const s of steps.filter((x) => x.flowKey === h.flowKey))
      s.notes.push(
        `being deployed now by deployment ${h.holder.deploymentId} (${h.holder.actor} on ${h.holder.host}, since ${h.holder.since}): deploy waits for it`,
      );
}

function lockHolder(flow: Flow, me: string): string | undefined {
  if (flow.lockedUser) return `user ${flow.lockedUser.name ?? flow.lockedUser.id ?? '?'}`;
  if (flow.lockedClient && flow.lockedClient.id !== me)
    return `OAuth client ${flow.lockedClient.name ?? flow.lockedClient.id ?? '?'}`;
  return undefined;
}

async function planImport(
  entry: ManifestFlow,
  manifestIndex: number,
  loaded: LoadedFlow | undefined,
  orgFlows: Flow[],
  ledger: Ledger,
  client: PlatformClient,
  checks: PendingCheck[],
): Promise<PlannedStep> {
  const org = client.endpoints.apiBaseUrl;
  const graph = loaded?.graph;
  // A name still holding a placeholder is not a flow's name: say the file instead.
  const held = (loaded?.placeholders ?? []).some((k) => graph?.name?.includes(`__${k}__`));
  const name =
    (held ? undefined : graph?.name) ?? loaded?.file ?? (relative('.', entry.file!) || entry.file!);
  const type = graph?.flowType ?? 'unknown';
  const final = deployableContent(loaded);
  const content = 'text' in final ? final.text : undefined;
  const hash = 'hash' in final ? final.hash : undefined;
  const target = orgFlows.find((f) => f.name === name && (f.type ?? '').toLowerCase() === type);
  // Scoped to this org: one team ledger may record deployments to several.
  const last = await ledger.lastPublished(flowKey(type, name), org);
  const step: PlannedStep = {
    index: 0,
    manifestIndex,
    kind: 'import',
    action: target ? 'update' : 'create',
    flowName: name,
    flowType: type,
    flowKey: flowKey(type, name),
    flowId: target?.id,
    previousVersion: target?.publishedVersion?.id,
    checkedInVersion: target?.checkedInVersion?.id,
    blocked: [],
    notes: [],
    file: entry.file,
    content,
    contentHash: hash,
    activateAt: entry.activateAt,
    dependsOn: [],
  };
  const unreadable = unreadableFile(loaded, entry);
  if (unreadable) step.blocked.push(unreadable);
  else if ('problem' in final) step.blocked.push({ kind: 'validation', message: final.problem });
  else if (!graph?.name || !graph.flowType)
    step.blocked.push({ kind: 'validation', message: 'the file has no flow name or type' });
  await judgeAgainstOrg(step, {
    target,
    last,
    content,
    hash,
    graph,
    file: entry.file!,
    ledger,
    client,
    checks,
  });
  return step;
}

/** What an import is compared with in the org: unchanged, changed outside flowgate, drift to check, the diff. */
async function judgeAgainstOrg(
  step: PlannedStep,
  c: {
    target: Flow | undefined;
    last: StepRecord | undefined;
    content: string | undefined;
    hash: string | undefined;
    graph: LoadedFlow['graph'];
    file: string;
    ledger: Ledger;
    client: PlatformClient;
    checks: PendingCheck[];
  },
): Promise<void> {
  const { target, last, content, hash, graph, ledger, client, checks } = c;
  const baseline = target ? await baselineOf(target, step.flowKey, ledger) : undefined;
  // No record of the org's version: it may still hold flowgate's last content under another
  // version id (a rollback or a republish made it), compared by content.
  const published = target?.publishedVersion?.id;
  const holdsLast =
    !baseline &&
    last !== undefined &&
    target !== undefined &&
    last.flowId === target.id &&
    (await holdsContent(client, target.id, published, {
      content: last.content,
      versionId: last.publishedVersion,
    }));
  const reference = baseline ?? (holdsLast ? last : undefined);
  if (reference && content !== undefined && sameFlow(reference, content, hash)) step.action = 'unchanged';
  if (holdsLast)
    step.notes.push(
      `the org publishes version ${published ?? 'none'}, which holds the content flowgate published as version ${last.publishedVersion ?? 'none'} (a rollback or a republish made it)`,
    );
  else if (last && target && !baseline)
    step.notes.push(
      `changed outside flowgate: the org publishes version ${published ?? 'none'}, flowgate last published ${last.publishedVersion ?? 'none'}`,
    );
  // The org publishes a version flowgate has no record of: its content decides (export job).
  if (
    step.action !== 'unchanged' &&
    !baseline &&
    !holdsLast &&
    published !== undefined &&
    content !== undefined
  )
    checks.push({ step, version: published, last: last?.flowId === target?.id ? last : undefined });
  if (step.action !== 'unchanged' && graph) {
    // The baseline is what the org publishes now, whoever put it there (a deployment, a rollback).
    const before = baseline?.content ?? last?.content;
    if (before !== undefined) {
      const old = loadFlowText(before, c.file).graph!;
      const docs =
        content === undefined
          ? undefined
          : { before: parseFlowValue(before), after: parseFlowValue(content) };
      step.diff = semanticDiff(old, graph, docs);
    } else step.diff = target ? 'unknown' : 'new';
  }
}

/**
 * Reads what the org publishes for the steps that would publish over a version flowgate has no
 * record of (one export job per 20 flows), then decides each: the same content is *unchanged*; a
 * content other than the last deployment's is drift ("changed in Architect since deployment d-…",
 * with the semantic diff of that change), blocked unless `overwriteDrift`; the step's diff is
 * against the org's content.
 */
async function checkOrgContent(checks: PendingCheck[], o: PlanOptions): Promise<void> {
  if (checks.length === 0) return;
  let texts: string[];
  try {
    texts = await exportedContents(
      o.client,
      checks.map((c) => ({ flowId: c.step.flowId!, version: c.version })),
      { intervalMs: 250, maxIntervalMs: 2_000, ...o.exportPoll },
    );
  } catch (e) {
    // A client without the export permission (or a job that keeps failing) still gets its plan,
    // without the content check, and is told so, per flow.
    if (!isFlowgateError(e) || e.code === 'ABORTED') throw e;
    for (const check of checks) decideUnread(check, e, o);
    return;
  }
  const drifts: { step: PlannedStep; version: string; org: string; message: string }[] = [];
  checks.forEach(({ step, version, last }, i) => {
    step.contentCheck = { status: 'made' };
    const org = texts[i]!;
    const file = step.file ?? 'flow.yaml';
    if (normalizedHash(org) === normalizedHash(step.content!)) {
      step.action = 'unchanged';
      step.diff = undefined;
      // A lock blocks a publish only: nothing will be published.
      step.blocked = step.blocked.filter((b) => b.kind !== 'locked');
      step.notes.push(`the org publishes this content already (version ${version})`);
      return;
    }
    const diff = textDiff(org, step.content!, file);
    if (diff) step.diff = diff;
    if (last?.content === undefined || normalizedHash(last.content) === normalizedHash(org)) return;
    const outside = textDiff(last.content, org, file);
    const said = outside && !outside.empty ? `: ${describeDiff(outside).join('; ')}` : '';
    const message = `${step.flowName} was changed in Architect since deployment ${last.deploymentId} (the org publishes version ${version}, flowgate published ${last.publishedVersion ?? 'none'})${said}`;
    drifts.push({ step, version, org, message });
  });
  for (const d of drifts) {
    const own = await unfinishedImportOf(d.step, d.org, o.ledger);
    if (own)
      // Not drift: flowgate's own step in doubt put it there. Publishing over it would leave that
      // step's resume to find another version than its import made.
      d.step.blocked.push({
        kind: 'unfinished',
        message: `${d.step.flowName}: the org publishes version ${d.version}, the content flowgate's own ${own.purpose ?? 'deployment'} ${own.deploymentId} imports (left unfinished, its step in doubt): not a change in Architect; finish that ${own.purpose ?? 'deployment'} first`,
      });
    else if (o.overwriteDrift) d.step.notes.push(`${d.message}; --overwrite-drift publishes over it`);
    else d.step.blocked.push({ kind: 'drift', message: d.message });
  }
}

/**
 * The step of an unfinished deployment (a rollback's, say: Ctrl-C or a kill mid-import) whose
 * import of this flow is in doubt and whose content the org now publishes: flowgate's own.
 */
async function unfinishedImportOf(
  step: PlannedStep,
  org: string,
  ledger: Ledger,
): Promise<{ deploymentId: string; purpose: DeploymentRecord['purpose'] } | undefined> {
  const hash = normalizedHash(org);
  for (const s of await ledger.history(step.flowKey, 50)) {
    if (s.state !== 'publishing' || s.flowId !== step.flowId || s.content === undefined) continue;
    if (s.status !== 'running' && s.status !== 'interrupted') continue;
    if (normalizedHash(s.content) !== hash) continue;
    return { deploymentId: s.deploymentId, purpose: (await ledger.getDeployment(s.deploymentId))?.purpose };
  }
  return undefined;
}

/**
 * A step whose org content could not be read (the org answered the export job with 403: the
 * client lacks `architect:jobExport:*`; or the job kept failing). The plan falls back on what the
 * ledger alone can tell, as the check would have judged, and says so on the step:
 *
 * - *Unchanged* needs proof that the org holds this content. The ledger's rule (the org publishes
 *   a version it recorded) gave none, so the step stays an update and deploy publishes: at worst
 *   the same content again, as a new version. Skipping on a guess could leave the org on any
 *   content, and a plan that says "unchanged" must mean it.
 * - Drift is the org's content differing from flowgate's last deployment of the flow. When there
 *   is one and the org now publishes a version the ledger has no record of (and whose
 *   configuration did not match that deployment's content), a change in Architect is likely and
 *   nothing can rule it out: the step is blocked as drift unless `overwriteDrift`, as a drift the
 *   check had shown would be, since publishing over it unasked is the one outcome that loses
 *   someone's work. With no last deployment there is no drift, as when the check is made.
 */
function decideUnread(check: PendingCheck, e: FlowgateError, o: PlanOptions): void {
  const { step, version, last } = check;
  const forbidden = e.code === 'API_FORBIDDEN';
  const missing = forbidden ? extractPermissions(e.message) : [];
  const reason = forbidden
    ? `the org refused the export job that reads what it publishes (403): the OAuth client lacks ${missing.length > 0 ? missing.join(', ') : 'the export permission'}`
    : `the export job that reads what the org publishes failed: ${e.message}`;
  // Following the job needs its view permission too, which a first 403 does not name.
  const hint = forbidden
    ? "Give the OAuth client's role architect:jobExport:create and architect:jobExport:view (the export job and its state), and the client the scope architect."
    : e.hint;
  let decision: string;
  if (last?.content === undefined)
    decision = `the ledger has no record of the content the org publishes (version ${version}): deploy publishes the file, perhaps the same content again as a new version`;
  else {
    const message = `${step.flowName} may have been changed in Architect since deployment ${last.deploymentId} (the org publishes version ${version}, flowgate published ${last.publishedVersion ?? 'none'}): its content could not be read, so no drift check`;
    if (o.overwriteDrift) {
      decision = `the org publishes a version flowgate has no record of, which may hold a change made in Architect: deploy publishes over it (overwrite drift)`;
      step.notes.push(`${message}; --overwrite-drift publishes over it`);
    } else {
      decision = `the org publishes a version flowgate has no record of, which may hold a change made in Architect: blocked as possible drift`;
      step.blocked.push({ kind: 'drift', message });
    }
  }
  step.contentCheck = {
    status: 'not-possible',
    code: e.code,
    reason,
    ...(hint !== undefined ? { hint } : {}),
    decision,
  };
}

/**
 * The ledger's record of what the org publishes now: the newest step, in any deployment
 * (rollbacks included), that published the flow's current version with its content.
 */
async function baselineOf(target: Flow, flowKey: string, ledger: Ledger): Promise<StepRecord | undefined> {
  const current = target.publishedVersion?.id;
  if (current === undefined) return undefined;
  return (await ledger.history(flowKey, 500)).find(
    (s) => s.flowId === target.id && s.publishedVersion === current && s.content !== undefined,
  );
}

async function planPublish(
  entry: ManifestFlow,
  manifestIndex: number,
  loaded: LoadedFlow | undefined,
  orgFlows: Flow[],
  client: PlatformClient,
): Promise<PlannedStep> {
  const want = entry.existing!;
  let target = want.id
    ? orgFlows.find((f) => f.id === want.id)
    : orgFlows.find((f) => f.name === want.name && (f.type ?? '').toLowerCase() === want.type);
  // A flow the listing did not show (another division, just created): ask for it by id.
  if (!target && want.id) target = await client.flows.get(want.id).catch(() => undefined);
  const name = target?.name ?? want.name ?? want.id ?? '?';
  const type = (target?.type ?? want.type ?? 'unknown').toLowerCase();
  const blocked: BlockReason[] = [];
  if (!target)
    blocked.push({
      kind: 'not-found',
      message: want.id
        ? `no flow with id ${want.id} in the org`
        : `no ${want.type} flow named '${want.name}' in the org`,
    });
  // A checked-in version that holds the expected one's content (a rollback made it) is no drift.
  if (
    target &&
    want.expectCheckedIn !== undefined &&
    target.checkedInVersion?.id !== want.expectCheckedIn &&
    !(await holdsContent(client, target.id, target.checkedInVersion?.id, { versionId: want.expectCheckedIn }))
  )
    blocked.push({
      kind: 'drift',
      message: `the org's checked-in version is ${target.checkedInVersion?.id ?? 'none'}, the manifest expects ${want.expectCheckedIn}: the flow changed outside the pipeline`,
    });
  const step: PlannedStep = {
    index: 0,
    manifestIndex,
    kind: 'publish',
    action:
      target?.publishedVersion?.id === want.version ||
      (target !== undefined &&
        (await holdsContent(client, target.id, target.publishedVersion?.id, { versionId: want.version })))
        ? 'unchanged'
        : 'publish',
    flowName: name,
    flowType: type,
    flowKey: flowKey(type, name),
    flowId: target?.id,
    targetVersion: want.version,
    previousVersion: target?.publishedVersion?.id,
    checkedInVersion: target?.checkedInVersion?.id,
    blocked,
    notes: [],
    activateAt: entry.activateAt,
    dependsOn: [],
  };
  if (loaded?.file) step.file = loaded.file;
  const unreadable = unreadableFile(loaded, entry);
  if (unreadable) blocked.push(unreadable);
  return step;
}
