/**
 * Signed webhooks. Each event is POSTed as JSON (flowgate's event, a ServiceNow change request, a
 * Slack Block Kit message or a Teams Adaptive Card: `chat-payloads.ts`) with
 * - `X-Flowgate-Timestamp`: seconds since the epoch when it was signed,
 * - `X-Flowgate-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` (the secret from the
 *   environment or a file, never the manifest),
 * - `Idempotency-Key`: the event id, the same on every attempt, so a receiver keeps each event once.
 * Retries reuse the platform client's retry layer (`platform/http/retry.ts`): 408, 429 and 5xx and
 * lost connections are resent with full-jitter backoff, honouring `Retry-After`. A redirect is not
 * followed (it would take the signed body to a host nobody checked): the event is dead-lettered.
 * Slack and Teams check no signature: their webhook URL is the credential, so it may come from
 * the environment (`urlEnv`), a signing secret is optional for them, and the dead letter records
 * `env:NAME` instead of the URL. `notify` keeps a channel to the results that matter.
 */
import { createHmac } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { readSecretFile } from '../secret-file.js';
import { isLoopbackHost } from '../platform/regions.js';
import { sendWithRetry, type RetryOptions } from '../platform/http/retry.js';
import { fetchSender, TransportError } from '../platform/http/send.js';
import { slackMessage, teamsMessage } from './chat-payloads.js';
import type { DeploymentEvent } from './model.js';

/** Payload formats. */
export type WebhookFormat = 'json' | 'servicenow' | 'slack' | 'teams';

/** Formats whose receivers check no signature: the URL is their credential. */
const URL_IS_SECRET: ReadonlySet<WebhookFormat> = new Set(['slack', 'teams']);

/** One webhook target, resolved (secret loaded). */
export interface WebhookTarget {
  url: string;
  /** What the dead letter records for it: `env:NAME` when the URL came from the environment. @default url */
  id?: string | undefined;
  format: WebhookFormat;
  /** The signing secret; empty for a Slack or Teams webhook without one (no signature is sent). */
  secret: string;
  /** Only these event types (default: all). */
  types?: readonly string[] | undefined;
  /** Only events with one of these results (`failed`, `rolled-back`, `degraded`…; default: every event). */
  notify?: readonly string[] | undefined;
  /** Per-attempt timeout. @default 5000 */
  timeoutMs?: number | undefined;
}

/** A webhook as the manifest gives it. */
export interface WebhookConfig {
  /** The receiver's URL; or {@link urlEnv}. */
  url?: string | undefined;
  /** The environment variable holding the URL (a Slack or Teams webhook URL is a secret). */
  urlEnv?: string | undefined;
  format?: WebhookFormat | undefined;
  /** The environment variable holding the signing secret. @default FLOWGATE_WEBHOOK_SECRET */
  secretEnv?: string | undefined;
  /** Or a file holding it. */
  secretFile?: string | undefined;
  /** The manifest that names `secretFile`: the file must lie in its folder (`secret-file.ts`). */
  manifest?: string | undefined;
  types?: string[] | undefined;
  notify?: string[] | undefined;
  timeoutMs?: number | undefined;
}

/** What a dead letter records for a webhook: its URL, or `env:NAME` for a URL from the environment. */
export function webhookId(c: WebhookConfig): string {
  if (c.urlEnv) return `env:${c.urlEnv}`;
  try {
    return new URL(c.url ?? '').href;
  } catch {
    return c.url ?? '';
  }
}

/** The webhook's URL, parsed; from the environment with `urlEnv` (never quoted: it is a secret). */
function webhookUrl(c: WebhookConfig, env: NodeJS.ProcessEnv): URL {
  const text = c.urlEnv ? env[c.urlEnv]?.trim() : c.url;
  if (c.urlEnv && !text)
    throw new ConfigError('WEBHOOK_SECRET', `${c.urlEnv}, the webhook URL, is not set`, {
      hint: `Set ${c.urlEnv} to the webhook's URL (a CI secret).`,
    });
  try {
    return new URL(text ?? '');
  } catch {
    throw new ConfigError(
      'CONFIG_INVALID',
      c.urlEnv ? `${c.urlEnv} does not hold a URL` : `webhook URL '${c.url}' is not a URL`,
      { hint: 'Give an https:// URL.' },
    );
  }
}

/** Loads a webhook's secret and checks its URL (https unless loopback). */
export function resolveWebhook(c: WebhookConfig, env: NodeJS.ProcessEnv): WebhookTarget {
  const url = webhookUrl(c, env);
  const format = c.format ?? 'json';
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
  if (!secret && !URL_IS_SECRET.has(format))
    throw new ConfigError('WEBHOOK_SECRET', `the webhook ${url.origin} has no signing secret`, {
      hint: `Set ${c.secretEnv ?? 'FLOWGATE_WEBHOOK_SECRET'} (or secretFile in the manifest); secrets never go in the manifest.`,
    });
  return {
    url: url.href,
    id: webhookId(c),
    format,
    secret: secret ?? '',
    types: c.types,
    notify: c.notify,
    timeoutMs: c.timeoutMs,
  };
}

/** Whether a target takes an event: its `types` and `notify` filters. */
export function wants(target: WebhookTarget, event: DeploymentEvent): boolean {
  if (target.types && !target.types.includes(event.type)) return false;
  if (target.notify && !(event.result !== undefined && target.notify.includes(event.result))) return false;
  return true;
}

/** `sha256=<hex>` of `timestamp.body`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The body of an event in a format. */
export function payload(event: DeploymentEvent, format: WebhookFormat): unknown {
  if (format === 'json') return event;
  if (format === 'slack') return slackMessage(event);
  if (format === 'teams') return teamsMessage(event);
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
  options: { retry?: RetryOptions; signal?: AbortSignal; now?: () => number; fetch?: typeof fetch } = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload(event, target.format));
  const stats = { attempts: 0, totalRetryDelayMs: 0 };
  // A fresh timestamp and signature per attempt: receivers reject stale timestamps.
  const send = fetchSender({
    timeoutMs: target.timeoutMs ?? 5_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const signed: typeof send = (req) => {
    if (!target.secret) return send(req);
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
