/**
 * The manifest's `health:` section: how long the gate watches, how often it looks, whether it
 * rolls back, and which signals it watches with which margins (README: the statistical rule of
 * each). Every signal but `timeInFlow` is on unless turned off with `false`; an object sets its
 * margin (and, for `exits`, its reasons).
 */
import { z } from 'zod';
import { EXIT_REASONS } from '../exit-reasons.js';

const DURATION = /^PT(\d+H)?(\d+M)?(\d+S)?$/;
const Share = z.number().min(0).max(1);

/**
 * A signal: `true` / `false`, or an object of its settings. Booleans become `{ on }` before the
 * object is checked, so a wrong setting inside the object is reported at its own position (a
 * union would say only "Invalid input").
 */
function signal<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess(
    (v) => (typeof v === 'boolean' ? { on: v } : v),
    z.object({ on: z.boolean().optional(), ...shape }).strict(),
  );
}

/** The signals a manifest chooses. */
export const HealthSignalsSchema = z
  .object({
    /** Share of executions that ended in a disconnect inside the flow (`tFlowDisconnect` / `nFlow`). */
    disconnects: signal({ margin: Share.optional() }).optional(),
    /** Share of executions that ended with one of `reasons` (`exitReason`). */
    exits: signal({
      reasons: z
        .array(
          z.enum(EXIT_REASONS, {
            error: () => `an exit reason the platform reports: ${EXIT_REASONS.join(', ')}`,
          }),
        )
        .min(1)
        .optional(),
      margin: Share.optional(),
    }).optional(),
    /** Share of failed outcomes, for flows whose previous version recorded outcomes. */
    outcomes: signal({ margin: Share.optional() }).optional(),
    /** Mean time in flow; off unless given. */
    timeInFlow: signal({ marginSeconds: z.number().min(0).optional() }).optional(),
  })
  .strict();

/** The `health:` section. */
export const HealthSchema = z
  .object({
    /** How long to watch, ISO-8601 (PT15M). */
    window: z.string().regex(DURATION, 'an ISO-8601 duration such as PT15M'),
    looks: z.number().int().min(1).max(100).optional(),
    rollback: z.boolean().optional(),
    confidence: z.number().gt(0.5).lt(1).optional(),
    minExecutions: z.number().int().min(1).optional(),
    /** The margin of every rate signal that does not set its own. */
    margin: Share.optional(),
    granularity: z.string().optional(),
    signals: HealthSignalsSchema.optional(),
  })
  .strict();

/** A manifest's `health:` section, validated. */
export type ManifestHealth = z.infer<typeof HealthSchema>;
