/**
 * Where deployment events go, in order: the audit log first (flushed to disk before the deployment
 * goes on; a failure stops the deployment), then callbacks in registration order (each bounded by
 * a timeout; a throw or a timeout is recorded and affects nothing else), then webhooks, delivered
 * in the background with retries; `close()` waits for them at most the delivery budget and puts
 * what is left in the dead-letter file.
 */
import type { AuditLog } from './audit-log.js';
import { appendDeadLetters, type DeadLetter } from './dead-letter.js';
import type { DeploymentEvent } from './model.js';
import { deliver, wants, type Delivery, type WebhookTarget } from './webhooks.js';

/** A callback. */
export type EventHandler = (event: DeploymentEvent) => void | Promise<void>;

/** A handler that threw or ran past its timeout. */
export interface HandlerFailure {
  eventId: string;
  eventType: string;
  handler: number;
  error: string;
}

/** Options of {@link EventHub}. */
export interface EventHubOptions {
  auditLog?: AuditLog | undefined;
  webhooks?: WebhookTarget[];
  /** Where undelivered events go. */
  deadLetterPath?: string | undefined;
  /** Longest wait for webhook deliveries when the deployment ends. @default 10000 */
  deliveryBudgetMs?: number;
  /** Longest run of one callback. @default 5000 */
  handlerTimeoutMs?: number;
  fetch?: typeof fetch;
}

/** What happened to the events of a run. */
export interface EventSummary {
  events: number;
  delivered: number;
  deadLettered: number;
  handlerFailures: HandlerFailure[];
}

/** The event hub of one run. */
export class EventHub {
  private readonly handlers: EventHandler[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly undelivered: DeadLetter[] = [];
  private readonly inFlight = new Map<Promise<Delivery>, { target: WebhookTarget; event: DeploymentEvent }>();
  private events = 0;
  private delivered = 0;
  readonly handlerFailures: HandlerFailure[] = [];

  constructor(private readonly options: EventHubOptions = {}) {}

  /** Registers a callback; returns a function that removes it. */
  onEvent(handler: EventHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const i = this.handlers.indexOf(handler);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  /**
   * Records and dispatches an event. Throws only when the audit log cannot be written. A
   * `deployment.completed` event is dispatched as recorded, with the log's head in it.
   */
  async emit(given: DeploymentEvent): Promise<void> {
    this.events++;
    const event = this.options.auditLog
      ? (await this.options.auditLog.append(given, { withHead: given.type === 'deployment.completed' })).event
      : given;
    for (const [i, handler] of this.handlers.entries()) {
      const failure = await runBounded(() => handler(event), this.options.handlerTimeoutMs ?? 5_000);
      if (failure)
        this.handlerFailures.push({ eventId: event.id, eventType: event.type, handler: i, error: failure });
    }
    for (const target of this.options.webhooks ?? []) {
      if (!wants(target, event)) continue;
      const delivery = deliver(target, event, {
        signal: this.abort.signal,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
      this.inFlight.set(delivery, { target, event });
      const done = delivery.then((d) => {
        this.inFlight.delete(delivery);
        if (d.ok) this.delivered++;
        else this.undelivered.push(letter(target, event, d.error ?? 'not delivered', d.attempts));
      });
      this.pending.add(done);
      void done.finally(() => this.pending.delete(done));
    }
  }

  /** Waits for deliveries at most the budget, dead-letters the rest, and says what happened. */
  async close(): Promise<EventSummary> {
    const budget = this.options.deliveryBudgetMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.pending]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, budget);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    for (const { target, event } of this.inFlight.values())
      this.undelivered.push(letter(target, event, `not delivered within the budget of ${budget} ms`, 0));
    this.abort.abort();
    if (this.options.deadLetterPath) appendDeadLetters(this.options.deadLetterPath, this.undelivered);
    return {
      events: this.events,
      delivered: this.delivered,
      deadLettered: this.undelivered.length,
      handlerFailures: this.handlerFailures,
    };
  }
}

function letter(target: WebhookTarget, event: DeploymentEvent, error: string, attempts: number): DeadLetter {
  // `id`: a URL that came from the environment is a secret and stays out of the file.
  return {
    url: target.id ?? target.url,
    format: target.format,
    event,
    error,
    attempts,
    at: new Date().toISOString(),
  };
}

/** Runs a callback with a timeout; resolves with the failure text, or undefined when it succeeded. */
async function runBounded(fn: () => void | Promise<void>, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      Promise.resolve()
        .then(fn)
        .then(() => undefined),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`still running after ${timeoutMs} ms`), timeoutMs);
        timer.unref();
      }),
    ]);
    return result;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    clearTimeout(timer);
  }
}
