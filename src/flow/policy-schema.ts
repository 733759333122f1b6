/** The schema of organisation policy files (zod), loaded only when a policy file is read. */
import { z } from 'zod';

/** The policy file's schema. */
export const PolicySchema = z
  .object({
    /** Most flows the org may hold, counting the flows this deployment would create. */
    maxFlows: z.number().int().positive().optional(),
    /** A regular expression per flow type (API type `inboundcall` or Archy key `inboundCall`; `*` for all). */
    naming: z
      .record(
        z.string(),
        z.string().refine((source) => {
          try {
            new RegExp(source);
            return true;
          } catch {
            return false;
          }
        }, 'not a valid regular expression'),
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
