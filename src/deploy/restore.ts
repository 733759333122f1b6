/**
 * Putting a flow back on an earlier version's content (issue 21 §1), whatever the platform does
 * with old versions. No source confirms that `POST /flows/actions/publish?version=<old>`
 * republishes an old version in place; Genesys' own help reverts a flow by exporting the old
 * version and importing it again (https://help.mypurecloud.com/?p=2620, docs/archy-format.md#rollback). So:
 *
 * - a flow flowgate deployed from Archy YAML is restored by importing the content the ledger
 *   recorded for the old version: a new version whose content is the old one;
 * - a flow published by `version:` is restored by publishing the old version; when the platform
 *   refuses, or answers with a new version whose content is not the old one, that is said plainly
 *   and the recorded content is imported instead when the ledger has it, else the step stops naming
 *   the version to restore in Architect.
 *
 * Either way the result is checked by content (`published-content.ts`), not by version id.
 */
import { FlowgateError, isFlowgateError } from '../errors.js';
import type { Ledger, StepRecord } from '../ledger/types.js';
import type { Flow } from '../platform/schemas.js';
import { importWithRetries } from './import-job.js';
import { compareVersionContent } from './published-content.js';
import { assertFinalContent } from './content.js';
import { takeLock, type StepContext } from './step-context.js';

/** A restored flow: the version it publishes now, and what happened, for the ledger. */
export interface Restored {
  publishedVersion: string;
  detail: string;
}

/** What to restore: a version, with the content the ledger recorded for it when it did. */
export interface RestoreTarget {
  versionId: string;
  content?: string | undefined;
  /** Import the content first (a flow deployed from Archy YAML); else publish the version first. */
  contentFirst: boolean;
}

/** The newest step, in any deployment, that published this version of the flow with its content. */
export async function recordedContent(
  ledger: Ledger,
  s: Pick<StepRecord, 'flowKey' | 'flowId'>,
  versionId: string,
): Promise<StepRecord | undefined> {
  return (await ledger.history(s.flowKey, 1000)).find(
    (x) => x.flowId === s.flowId && x.publishedVersion === versionId && x.content !== undefined,
  );
}

/** Restores a flow to a version's content; throws when it cannot (naming the version to restore). */
export async function restoreVersion(
  s: StepRecord,
  c: StepContext,
  target: RestoreTarget,
): Promise<Restored> {
  const now = (await c.client.flows.get(s.flowId!)).publishedVersion?.id;
  if (now === target.versionId) return { publishedVersion: now, detail: `back on version ${now}` };
  if (target.contentFirst && target.content !== undefined)
    return reimport(s, c, target.versionId, target.content);
  const r = await republish(s, c, target.versionId);
  if ('publishedVersion' in r) return r;
  if (target.content !== undefined) {
    await c.ledger.note(
      s.deploymentId,
      s.index,
      {},
      `${r.problem}; importing the content the ledger recorded for version ${target.versionId} instead`,
    );
    return reimport(s, c, target.versionId, target.content);
  }
  await c.ledger.note(s.deploymentId, s.index, {}, r.problem);
  throw notRepublished(s, target.versionId, r.problem);
}

/** The error of a version the platform would not put back, naming it. */
export function notRepublished(s: StepRecord, versionId: string, problem: string): FlowgateError {
  return new FlowgateError(
    'VERSION_NOT_REPUBLISHED',
    `${s.flowName}: ${problem}, and the ledger holds no content of version ${versionId}: restore version ${versionId} in Architect`,
    {
      hint: `In Architect, open version ${versionId} of ${s.flowName}, export it and import it, then publish (Genesys' documented way back to an earlier version).`,
      details: { flowId: s.flowId, version: versionId },
    },
  );
}

/**
 * Imports the recorded content of `versionId` and publishes it (a new version), then checks the
 * published configuration holds that content.
 */
export async function reimport(
  s: StepRecord,
  c: StepContext,
  versionId: string,
  content: string,
): Promise<Restored> {
  const text = assertFinalContent(s.flowName, content, undefined);
  const flow = await c.client.flows.get(s.flowId!);
  await takeLock(flow, s, c);
  const job = await importWithRetries(s, c, text, flow.publishedVersion?.id, { rollback: true });
  const after = await c.client.flows.get(job.flow?.id ?? flow.id);
  const published = after.publishedVersion?.id;
  if (after.id !== flow.id || published === undefined || published === flow.publishedVersion?.id)
    throw new FlowgateError(
      'ROLLBACK_UNVERIFIED',
      `${s.flowName}: the import of version ${versionId}'s content succeeded, but ${after.id !== flow.id ? `it published flow ${after.id} (${after.name})` : `the org publishes ${published ?? 'no version'}`}`,
      { hint: `Check ${s.flowName} in Architect; restore version ${versionId} there if needed.` },
    );
  return {
    publishedVersion: published,
    detail: await verified(s, c, published, versionId, content, 'imported'),
  };
}

/** Checks `published` holds version `versionId`'s content; the ledger's detail, or a throw. */
async function verified(
  s: StepRecord,
  c: StepContext,
  published: string,
  versionId: string,
  content: string | undefined,
  how: string,
): Promise<string> {
  const cmp = await compareVersionContent(c.client, s.flowId!, published, { content, versionId });
  if (!cmp?.equal)
    throw new FlowgateError(
      'ROLLBACK_UNVERIFIED',
      `${s.flowName}: version ${versionId}'s content was ${how} as version ${published}, but ${cmp ? `its content differs (${cmp.basis})` : 'nothing recorded can show its content'}`,
      {
        hint: `Compare version ${published} with version ${versionId} in Architect; restore ${versionId} there if they differ.`,
      },
    );
  return `back on version ${versionId}'s content: ${how} as version ${published} (${cmp.basis}: equal)`;
}

/**
 * Publishes `versionId` again. Resolves with the restored version (the same, or a new one whose
 * content is the old one's), or with the problem in plain words.
 */
export async function republish(
  s: StepRecord,
  c: StepContext,
  versionId: string,
): Promise<Restored | { problem: string }> {
  const flowId = s.flowId!;
  const flow = await c.client.flows.get(flowId);
  const before = flow.publishedVersion?.id;
  if (before === versionId) return { publishedVersion: versionId, detail: `back on version ${versionId}` };
  await takeLock(flow, s, c);
  try {
    const op = await c.client.flows.publish(flowId, versionId);
    await c.client.flows.followOperation(flowId, op, c.poll);
  } catch (e) {
    if (c.poll.signal?.aborted || (isFlowgateError(e) && (e.code === 'ABORTED' || e.code === 'API_LOCKED')))
      throw e;
    return { problem: `the platform did not publish version ${versionId} again (${plain(e)})` };
  }
  return republished(s, c, await c.client.flows.get(flowId), versionId, before);
}

/** What a publish of `versionId` left: that version, a new one with its content, or a problem. */
export async function republished(
  s: StepRecord,
  c: StepContext,
  after: Flow,
  versionId: string,
  before: string | undefined,
): Promise<Restored | { problem: string }> {
  const now = after.publishedVersion?.id;
  if (now === versionId) return { publishedVersion: versionId, detail: `back on version ${versionId}` };
  if (now === undefined || now === before)
    return {
      problem: `the publish of version ${versionId} reported success, but the org publishes ${now ?? 'no version'}`,
    };
  const cmp = await compareVersionContent(c.client, s.flowId!, now, { versionId, content: undefined });
  if (cmp?.equal)
    return {
      publishedVersion: now,
      detail: `the platform published version ${versionId} as a new version ${now} (${cmp.basis}: equal)`,
    };
  return {
    problem: `the platform answered the publish of version ${versionId} with a new version ${now} whose content is not ${versionId}'s`,
  };
}

function plain(e: unknown): string {
  if (isFlowgateError(e)) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
