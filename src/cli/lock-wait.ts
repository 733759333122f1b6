/**
 * The CLI's durations: how long a run waits for flows another deployment holds (`--no-wait`,
 * `--lock-timeout`, the manifest), and how long the health gate watches (`--health-window`).
 */
import { ConfigError } from '../errors.js';
import type { LockFlags } from './options.js';

/** ISO-8601 time (PT15M, PT30S, PT0S) → ms; 0 allowed (fail at once). */
function isoMs(text: string, origin: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text);
  if (!m || text === 'PT')
    throw new ConfigError(
      'USAGE_LOCK_TIMEOUT',
      `${origin} '${text}' is not an ISO-8601 duration such as PT15M`,
      {
        hint: 'PT30S, PT15M, PT1H; PT0S fails at once.',
      },
    );
  return ((+(m[1] ?? 0) * 60 + +(m[2] ?? 0)) * 60 + +(m[3] ?? 0)) * 1000;
}

/** The wait in ms, or undefined for the executor's default (15 minutes). */
export function lockWaitMs(flags: LockFlags, manifestTimeout?: string): number | undefined {
  if (!flags.wait) return 0;
  if (flags.lockTimeout !== undefined) return isoMs(flags.lockTimeout, '--lock-timeout');
  if (manifestTimeout !== undefined) return isoMs(manifestTimeout, 'deploy.lockTimeout');
  return undefined;
}

/**
 * `--health-window`, checked before anything is planned or published: a typo must not surface
 * only after the deployment, when the gate would start. The manifest's `health.window` has the
 * same form (`config/manifest.ts`).
 */
export function healthWindowFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value;
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text);
  if (!m || !(+(m[1] ?? 0) + +(m[2] ?? 0) + +(m[3] ?? 0) > 0))
    throw new ConfigError(
      'USAGE_HEALTH_WINDOW',
      `--health-window '${text}' is not an ISO-8601 duration of more than zero`,
      { hint: 'PT15M, PT1H, PT90S: how long to watch the new versions after publishing.' },
    );
  return text;
}
