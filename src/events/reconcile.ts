/**
 * Reconciliation with the platform's own audit trail (API.md §4.1: the asynchronous audits query,
 * serviceName `Architect`, entity type `Flow`, action `Publish`, paged to the end): publishes that
 * flowgate recorded but the platform did not, and — above all — publishes on the platform that no
 * flowgate deployment made (changes outside the pipeline).
 */
import type { PlatformClient } from '../platform/client.js';
import type { AuditEntry } from './audit-log.js';

/** A publish as one side saw it. */
export interface PublishSeen {
  flowId: string;
  flowName?: string | undefined;
  at: string;
  /** Who published: the OAuth client or the user, as the platform says. */
  by?: string | undefined;
  deploymentId?: string | undefined;
}

/** What reconciliation found. */
export interface ReconcileReport {
  interval: string;
  platformPublishes: number;
  localPublishes: number;
  /** On the platform, made by no flowgate deployment. */
  outside: PublishSeen[];
  /** Recorded by flowgate, absent from the platform's trail. */
  missing: PublishSeen[];
}

/** How far apart the platform's time of a publish and flowgate's record of it may be. */
const MATCH_WINDOW_MS = 10 * 60_000;

/** Compares the local audit log with the platform's audit trail from `since` to `until`. */
export async function reconcile(
  client: PlatformClient,
  entries: readonly AuditEntry[],
  options: { since: Date; until?: Date; poll?: { intervalMs?: number } },
): Promise<ReconcileReport> {
  const until = options.until ?? new Date();
  const interval = `${options.since.toISOString()}/${until.toISOString()}`;
  const platform = (
    await client.audits.query(
      {
        interval,
        serviceName: 'Architect',
        filters: [
          { property: 'EntityType', value: 'Flow' },
          { property: 'Action', value: 'Publish' },
        ],
      },
      options.poll ?? {},
    )
  )
    .filter((a) => (a.status ?? 'SUCCESS') === 'SUCCESS' && a.entity?.id)
    .map((a): PublishSeen => ({
      flowId: a.entity!.id!,
      flowName: a.entity?.name,
      at: a.eventDate ?? '',
      by: a.client?.id ? `client ${a.client.id}` : a.user?.id ? `user ${a.user.id}` : undefined,
    }));
  const from = options.since.getTime();
  const to = until.getTime();
  const local = entries
    .map((e) => e.event)
    .filter(
      (e) =>
        e.flow?.id &&
        (e.type === 'step.published' || (e.type === 'step.rolled-back' && e.versionAfter !== undefined)) &&
        Date.parse(e.time) >= from &&
        Date.parse(e.time) <= to + MATCH_WINDOW_MS,
    )
    .map((e): PublishSeen => ({
      flowId: e.flow!.id!,
      flowName: e.flow!.name,
      at: e.time,
      deploymentId: e.deploymentId,
    }));
  // Greedy matching per flow in time order: each local record takes the closest earlier platform publish.
  const unmatched = [...platform].sort((a, b) => a.at.localeCompare(b.at));
  const missing: PublishSeen[] = [];
  for (const l of [...local].sort((a, b) => a.at.localeCompare(b.at))) {
    const t = Date.parse(l.at);
    let best = -1;
    for (const [i, p] of unmatched.entries()) {
      const pt = Date.parse(p.at);
      if (p.flowId === l.flowId && pt <= t + 60_000 && t - pt <= MATCH_WINDOW_MS) best = i;
    }
    if (best >= 0) unmatched.splice(best, 1);
    else missing.push(l);
  }
  return {
    interval,
    platformPublishes: platform.length,
    localPublishes: local.length,
    outside: unmatched,
    missing,
  };
}
