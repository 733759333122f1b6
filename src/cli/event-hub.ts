/**
 * The CLI's event hub for a run: the audit log (the manifest's path, else `.flowgate/audit.jsonl`),
 * the manifest's webhooks with their secrets from the environment or files, the dead-letter file,
 * and an `onEvent` for the executor that prints progress and records each fact.
 */
import { DEFAULT_AUDIT_LOG, DEFAULT_DEAD_LETTER } from './defaults.js';
import type { ManifestEvents } from '../config/manifest.js';
import { eventBridge } from '../deploy/event-bridge.js';
import type { DeployEvent } from '../deploy/types.js';
import { AuditLog } from '../events/audit-log.js';
import { EventHub, type EventSummary } from '../events/hub.js';
import { resolveWebhook } from '../events/webhooks.js';
import type { Ledger } from '../ledger/types.js';
import type { CliIo } from './io.js';
import { progressPrinter } from './output/progress.js';
import { terminalSafe } from './output/encode.js';

export { DEFAULT_AUDIT_LOG, DEFAULT_DEAD_LETTER } from './defaults.js';

/** A hub and the executor's `onEvent` for one run. */
export interface CliEvents {
  hub: EventHub;
  onEvent: (e: DeployEvent) => Promise<void>;
  /** Waits for deliveries (at most the budget) and says what happened on stderr. */
  close(): Promise<EventSummary>;
}

/** Builds the hub from the manifest's `events:` section (defaults when there is none). */
export function cliEvents(
  io: CliIo,
  ledger: Ledger,
  config: ManifestEvents | undefined,
  progress: boolean,
): CliEvents {
  const auditPath = config?.auditLog ?? DEFAULT_AUDIT_LOG;
  const hub = new EventHub({
    auditLog: new AuditLog(auditPath),
    webhooks: (config?.webhooks ?? []).map((w) => resolveWebhook(w, io.env)),
    deadLetterPath: config?.deadLetter ?? DEFAULT_DEAD_LETTER,
    ...(config?.deliveryBudgetMs !== undefined ? { deliveryBudgetMs: config.deliveryBudgetMs } : {}),
  });
  const bridge = eventBridge(hub, ledger);
  const print = progress ? progressPrinter(io) : undefined;
  return {
    hub,
    onEvent: async (e) => {
      print?.(e);
      await bridge(e);
    },
    async close() {
      const summary = await hub.close();
      // Nothing recorded (a blocked plan): no line naming a log that was not written.
      if (progress && summary.events > 0) {
        const hooks = config?.webhooks?.length
          ? `; webhooks: ${summary.delivered} delivered, ${summary.deadLettered} in ${config.deadLetter ?? DEFAULT_DEAD_LETTER}${summary.deadLettered ? ' (flowgate events retry sends them again)' : ''}`
          : '';
        io.err(terminalSafe(`events: ${summary.events} recorded in ${auditPath}${hooks}`) + '\n');
      }
      return summary;
    },
  };
}
