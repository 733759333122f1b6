/**
 * Signed webhooks. Each event is POSTed as JSON with
 * - `X-Flowgate-Timestamp`: seconds since the epoch when it was signed,
 * - `X-Flowgate-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` (the secret from the
 *   environment or a file, never the manifest),
 * - `Idempotency-Key`: the event id, the same on every attempt, so a receiver keeps each event once.
 * Retries reuse the platform client's retry layer (`platform/http/retry.ts`): 408, 429 and 5xx and
 * lost connections are resent with full-jitter backoff, honouring `Retry-After`. A redirect is not
 * followed (it would take the signed body to a host nobody checked): the event is dead-lettered.
 */
import { createHmac } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { readSecretFile } from '../secret-file.js';
import { isLoopbackHost } from '../platform/regions.js';
import { sendWithRetry, type RetryOptions } from '../platform/http/retry.js';
import { fetchSender, TransportError } from '../platform/http/send.js';
import type { DeploymentEvent } from './model.js';
import type { Clock } from '../shared/time.js';

/** Payload formats. */
export type WebhookFormat = 'json' | 'servicenow';

/** One webhook target, resolved (secret loaded). */
export interface WebhookTarget {
  url: string;
  format: WebhookFormat;
  secret: string;
  /** Only these event types (default: all). */
  types?: readonly string[] | undefined;
  /** Per-attempt timeout. @default 5000 */
  timeoutMs?: number | undefined;
}

/** A webhook as the manifest gives it. */
export interface WebhookConfig {
  url: string;
  format?: WebhookFormat | undefined;
  /** The environment variable holding the signing secret. @default FLOWGATE_WEBHOOK_SECRET */
  secretEnv?: string | undefined;
  /** Or a file holding it. */
  secretFile?: string | undefined;
  /** The manifest that names `secretFile`: the file must lie in its folder (`secret-file.ts`). */
  manifest?: string | undefined;
  types?: string[] | undefined;
  timeoutMs?: number | undefined;
}

/** Loads a webhook's secret and checks its URL (https unless loopback). */
export function resolveWebhook(c: WebhookConfig, env: NodeJS.ProcessEnv): WebhookTarget {
  let url: URL;
  try {
    url = new URL(c.url);
  } catch {
    throw new ConfigError('CONFIG_INVALID', `webhook URL '${c.url}' is not a URL`, {
      hint: 'Give an https:// URL.',
    });
  }
  if (url.username !== '' || url.password !== '')
    // Fetch refuses such a URL, so it could never be delivered; and the dead letter would keep
    // the password. The message names the host only.
    throw new ConfigError('CONFIG_INVALID', `webhook URL for ${url.host} carries a user or password`, {
      hint: 'Remove user:pass@ from the URL; receivers authenticate flowgate by the signature.',
    });
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))
    throw new ConfigError(
      'CONFIG_BASE_URL',
      `webhook URL ${url.origin} must use https (plain http only on loopback)`,
      {
        hint: 'Events carry deployment facts; send them over TLS.',
      },
    );
  // The environment's secret wins over a file a manifest names (issue 18 §2).
  let secret = env[c.secretEnv ?? 'FLOWGATE_WEBHOOK_SECRET']?.trim();
  if (!secret && c.secretFile)
    secret = readSecretFile(
      c.secretFile,
      c.manifest
        ? {
            kind: 'manifest',
            manifest: c.manifest,
            folder: dirname(resolve(c.manifest)),
            key: 'events.webhooks[].secretFile',
          }
        : { kind: 'environment', variable: 'the webhook secretFile' },
    ).trim();
  if (!secret)
    throw new ConfigError('WEBHOOK_SECRET', `the webhook ${url.origin} has no signing secret`, {
      hint: `Set ${c.secretEnv ?? 'FLOWGATE_WEBHOOK_SECRET'} (or secretFile in the manifest); secrets never go in the manifest.`,
    });
  return { url: url.href, format: c.format ?? 'json', secret, types: c.types, timeoutMs: c.timeoutMs };
}

/** `sha256=<hex>` of `timestamp.body`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The body of an event in a format. */
export function payload(event: DeploymentEvent, format: WebhookFormat): unknown {
  if (format === 'json') return event;
  // A change request shaped for ServiceNow's Table API (POST /api/now/table/change_request).
  const flow = event.flow ? `${event.flow.name} (${event.flow.type})` : 'deployment';
  return {
    short_description: `flowgate: ${event.message}`.slice(0, 160),
    description: [
      `Deployment ${event.deploymentId} by ${event.actor} on ${event.org}.`,
      `Event ${event.type} at ${event.time}: ${event.message}`,
      event.versionBefore || event.versionAfter
        ? `Version ${event.versionBefore ?? 'none'} → ${event.versionAfter ?? 'none'}.`
        : '',
    ]
      .filter(Boolean)
      .join('\n'),
    type: 'standard',
    category: 'Software',
    cmdb_ci: flow,
    state:
      event.result === 'failed' ? 'canceled' : event.type === 'deployment.completed' ? 'closed' : 'implement',
    close_code:
      event.type === 'deployment.completed'
        ? event.result === 'succeeded'
          ? 'successful'
          : 'unsuccessful'
        : undefined,
    work_notes: JSON.stringify(event),
    correlation_id: event.id,
    correlation_display: 'flowgate',
  };
}

/** The outcome of delivering one event to one webhook. */
export interface Delivery {
  ok: boolean;
  status?: number | undefined;
  attempts: number;
  error?: string | undefined;
}

/** Delivers one event (with retries); never throws. */
export async function deliver(
  target: WebhookTarget,
  event: DeploymentEvent,
  options: { retry?: RetryOptions; signal?: AbortSignal; now?: Clock; fetch?: typeof fetch } = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload(event, target.format));
  const stats = { attempts: 0, totalRetryDelayMs: 0 };
  // A fresh timestamp and signature per attempt: receivers reject stale timestamps.
  const send = fetchSender({
    timeoutMs: target.timeoutMs ?? 5_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const signed: typeof send = (req) => {
    const ts = String(Math.floor((options.now ?? Date.now)() / 1000));
    return send({
      ...req,
      headers: {
        ...req.headers,
        'x-flowgate-timestamp': ts,
        'x-flowgate-signature': signature(target.secret, ts, body),
      },
    });
  };
  try {
    const result = await sendWithRetry(
      signed,
      {
        method: 'POST',
        url: target.url,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': event.id,
          'user-agent': 'flowgate',
        },
        body,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      { idempotent: true },
      {
        retryStatuses: new Set([408, 500, 502, 503, 504]),
        maxAttempts: 6,
        backoffBaseMs: 200,
        backoffCapMs: 5_000,
        maxRetryAfterMs: 30_000,
        ...options.retry,
      },
      stats,
    );
    const status = result.kind === 'response' ? result.response.status : 200;
    const ok = status >= 200 && status < 300;
    return ok
      ? { ok, status, attempts: stats.attempts }
      : { ok, status, attempts: stats.attempts, error: `HTTP ${status}` };
  } catch (e) {
    return {
      ok: false,
      attempts: stats.attempts,
      error: e instanceof TransportError ? `${e.kind}: ${e.message}` : (e as Error).message,
    };
  }
}
