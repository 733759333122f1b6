/** The schema of organisation policy files (zod), loaded only when a policy file is read. */
import { z } from 'zod';
import { compileLinearPattern, LINEAR_PATTERN_HINT } from './linear-pattern.js';

/** The policy file's schema. */
export const PolicySchema = z
  .object({
    /** Most flows the org may hold, counting the flows this deployment would create. */
    maxFlows: z.number().int().positive().optional(),
    /**
     * A regular expression per flow type (API type `inboundcall` or Archy key `inboundCall`; `*` for
     * all), in JavaScript syntax, run in linear time (`linear-pattern.ts`).
     */
    naming: z
      .record(
        z.string(),
        z.string().superRefine((source, ctx) => {
          const compiled = compileLinearPattern(source);
          if ('problem' in compiled)
            ctx.addIssue({
              code: 'custom',
              message: compiled.problem,
              params: { hint: LINEAR_PATTERN_HINT },
            });
        }),
      )
      .optional(),
    /** Division names flows may live in (a flow without `division` is in `Home`). */
    allowedDivisions: z.array(z.string()).optional(),
    /** `error` makes every cycle an error; the default reports loops with a way out as info. */
    loops: z.enum(['allow-with-exit', 'error']).optional(),
    /** Severity per diagnostic code, or `off`. */
    severity: z.record(z.string(), z.enum(['error', 'warning', 'info', 'off'])).optional(),
  })
  .strict();

/** Organisation policy. */
export type Policy = z.infer<typeof PolicySchema>;
