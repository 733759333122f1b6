/**
 * An environment's `requires:` section: what must have happened elsewhere before a deployment to
 * it may run (`deploy/gates.ts` evaluates it from the ledger). `passed` names environments whose
 * deployments of the same artifacts succeeded and were not rolled back; `healthy` asks that their
 * health gate ended healthy there; `approvals` counts approvals of the plan's hash.
 */
import { z } from 'zod';
import { closestKey } from './unknown-keys.js';

/** The `requires:` section of one environment. */
export const RequiresSchema = z
  .object({
    /** Environments each flow's artifact must have been deployed to, successfully and not rolled back. */
    passed: z.array(z.string().min(1)).min(1).optional(),
    /** In those environments, the health gate's final verdict was `healthy` (not insufficient). */
    healthy: z.boolean().optional(),
    /** Approvals of this plan's hash (`flowgate approve`), by different actors. */
    approvals: z.number().int().min(0).max(20).optional(),
  })
  .strict()
  .refine((r) => !(r.healthy === true && r.passed === undefined), {
    message: "'healthy: true' judges the environments in 'passed': name them",
    path: ['healthy'],
  });

/** An environment's gates, validated. */
export type ManifestRequires = z.infer<typeof RequiresSchema>;

/** The shape of the manifest's `environments:` this check reads. */
type Environments = Record<string, { requires?: ManifestRequires | undefined }> | undefined;

/**
 * Every environment named in a `requires.passed` exists and is not the environment itself,
 * reported at the name's position (a typo there would make a gate that can never be met).
 */
export function checkRequiredEnvironments(environments: Environments, ctx: z.RefinementCtx): void {
  const known = Object.keys(environments ?? {});
  for (const [name, e] of Object.entries(environments ?? {}))
    (e.requires?.passed ?? []).forEach((required, i) => {
      const path = ['environments', name, 'requires', 'passed', i];
      if (required === name)
        ctx.addIssue({ code: 'custom', path, message: `'${name}' cannot require itself to have passed` });
      else if (!known.includes(required)) {
        const near = closestKey(required, known);
        ctx.addIssue({
          code: 'custom',
          path,
          message: `'${required}' is not an environment of this manifest (known: ${known.join(', ')})${near ? `; did you mean '${near}'?` : ''}`,
        });
      }
    });
}
