/** zod schemas of the CLI's small config files. */
import { z } from 'zod';

/** A substitutions file: a flat map, or `substitutions:` as in an Archy options file. */
export const SubstitutionsSchema = z.union([
  z.object({ substitutions: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }).strict(),
  z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
]);
