/**
 * Reconciliation with the platform's own audit trail (docs/platform-api.md#audit-queries: the asynchronous audits query,
 * serviceName `Architect`, entity type `Flow`, action `Publish`, paged to the end): publishes that
 * flowgate recorded but the platform did not, and — above all — publishes on the platform that no
 * flowgate deployment made (changes outside the pipeline).
 */
import type { PlatformClient } from '../platform/client.js';
import type { AuditEntry } from './audit-log.js';
import { matchInTime, type MatchWindow } from './publish-matching.js';

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

/**
 * How far apart the platform's time of a publish and flowgate's record of it may be: flowgate
 * records a publish once it saw the operation end (polling, retries: up to minutes later); the
 * org's clock may also run ahead of this machine's.
 */
const WINDOW: MatchWindow = { beforeMs: 10 * 60_000, afterMs: 60_000 };

/**
 * How far past "now" the query reaches by default: nothing is audited in the future, so the
 * margin covers only the whole seconds of the platform's `Date` header (and a machine whose clock
 * is behind when the platform's is unknown).
 */
const CLOCK_MARGIN_MS = 5 * 60_000;

/** One publish with what identifies its maker. */
interface Seen extends PublishSeen {
  /** The OAuth client or user id; `''` when the record does not say. */
  actor: string;
  time: number;
}

/**
 * Compares the local audit log with the platform's audit trail from `since` to `until` (default:
 * a few minutes past now on the platform's clock, learnt from the `Date` of its answers: an org,
 * or an emulator whose clock was moved, may be far from this machine's).
 *
 * A platform publish is flowgate's only when it is of the same flow **and by the same actor**:
 * flowgate's events carry the OAuth client it deploys with, the platform's audit entries the
 * client or user that published (docs/platform-api.md#audit-log-message). Neither side names the version or the operation
 * (the audit entry has no such field), so among publishes of one flow by one actor the times
 * decide, in the one optimal pairing of `publish-matching.ts`. A publish by anyone else is
 * outside flowgate, at its own time, however close to a pipeline publish it came.
 */
export async function reconcile(
  client: PlatformClient,
  entries: readonly AuditEntry[],
  options: { since: Date; until?: Date; poll?: { intervalMs?: number } },
): Promise<ReconcileReport> {
  const until = options.until ?? new Date((await platformNow(client)) + CLOCK_MARGIN_MS);
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
    .map((a): Seen => {
      const actor = a.client?.id || a.user?.id || '';
      return {
        flowId: a.entity!.id!,
        flowName: a.entity?.name,
        at: a.eventDate ?? '',
        time: Date.parse(a.eventDate ?? ''),
        by: a.client?.id ? `client ${a.client.id}` : a.user?.id ? `user ${a.user.id}` : undefined,
        actor,
      };
    });
  const from = options.since.getTime();
  const to = until.getTime();
  const local = entries
    .map((e) => e.event)
    .filter(
      (e) =>
        e.flow?.id &&
        (e.type === 'step.published' || (e.type === 'step.rolled-back' && e.versionAfter !== undefined)) &&
        Date.parse(e.time) >= from &&
        Date.parse(e.time) <= to,
    )
    .map((e): Seen => ({
      flowId: e.flow!.id!,
      flowName: e.flow!.name,
      at: e.time,
      time: Date.parse(e.time),
      deploymentId: e.deploymentId,
      actor: e.actor,
    }));
  const { missing, outside } = pairByIdentity(local, platform);
  const shown = ({ actor: _a, time: _t, ...p }: Seen): PublishSeen => p;
  return {
    interval,
    platformPublishes: platform.length,
    localPublishes: local.length,
    outside: outside.sort((a, b) => a.time - b.time).map(shown),
    missing: missing.sort((a, b) => a.time - b.time).map(shown),
  };
}

/**
 * Pairs records of the same flow and actor first; a local record that names no actor (an old
 * log) may then pair with what is left of its flow, whoever made it.
 */
function pairByIdentity(local: Seen[], platform: Seen[]): { missing: Seen[]; outside: Seen[] } {
  // A time that does not parse pairs with nothing: it is reported as it came.
  const first = pairWithin(local, platform, (s) =>
    s.actor === '' || Number.isNaN(s.time) ? undefined : `${s.flowId}\n${s.actor}`,
  );
  const unknown = first.missing.filter((s) => s.actor === '');
  const second = pairWithin(unknown, first.outside, (s) => (Number.isNaN(s.time) ? undefined : s.flowId));
  return {
    missing: [...first.missing.filter((s) => s.actor !== ''), ...second.missing],
    outside: second.outside,
  };
}

/** The optimal time pairing within each group of `key` (records without a key stay unpaired). */
function pairWithin(
  local: Seen[],
  platform: Seen[],
  key: (s: Seen) => string | undefined,
): { missing: Seen[]; outside: Seen[] } {
  const groups = new Map<string, { local: Seen[]; platform: Seen[] }>();
  const missing: Seen[] = [];
  const outside: Seen[] = [];
  for (const [side, list, alone] of [
    ['local', local, missing],
    ['platform', platform, outside],
  ] as const)
    for (const s of list) {
      const k = key(s);
      if (k === undefined) {
        alone.push(s);
        continue;
      }
      const g = groups.get(k) ?? { local: [], platform: [] };
      g[side].push(s);
      groups.set(k, g);
    }
  for (const g of groups.values()) {
    const m = matchInTime(
      g.local.map((s) => s.time),
      g.platform.map((s) => s.time),
      WINDOW,
    );
    for (const i of m.unmatchedLocal) missing.push(g.local[i]!);
    for (const j of m.unmatchedPlatform) outside.push(g.platform[j]!);
  }
  return { missing, outside };
}

/** The platform's "now": from the answers so far, else from one light call (this machine's without a `Date`). */
async function platformNow(client: PlatformClient): Promise<number> {
  if (client.serverNow() === undefined) await client.org.tokenInfo();
  return client.serverNow() ?? Date.now();
}
