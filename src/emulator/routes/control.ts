/** The control interface over HTTP, under `/__emulator/` (a path no real API uses). */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { TrafficSchema, type EmulatorControl } from '../control.js';
import { EmulatorHttpError } from '../errors.js';
import { FaultRuleSchema } from '../faults.js';
import { jsonBody, type Env } from './context.js';

const ClockSchema = z
  .object({ speed: z.number().optional(), advanceMs: z.number().optional(), to: z.number().optional() })
  .strict();
const RevokeSchema = z.object({ clientId: z.string().optional() }).strict();
const LockSchema = z
  .object({ flowId: z.string(), userName: z.string().optional(), inMs: z.number().min(0).optional() })
  .strict();
const PublishFailureSchema = z
  .object({
    flowId: z.string(),
    times: z.number().int().positive().optional(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
  })
  .strict();
const IgnoredDeactivationSchema = z
  .object({ flowId: z.string(), times: z.number().int().positive().optional() })
  .strict();
const JobFailureSchema = z
  .object({
    /** The text the next job fails with (a failure on the flow's content). */
    message: z.string().optional(),
    /** Archy's transient failure instead (exit code 107, the flow "not found"). */
    transient: z.boolean().optional(),
    /** How many of the next jobs fail. @default 1 */
    times: z.number().int().positive().optional(),
  })
  .strict()
  .refine((b) => b.message !== undefined || b.transient === true, 'give a message, or transient: true');

const SettingsSchema = z
  .object({
    republishOldVersion: z.enum(['in-place', 'new-version', 'refuse']).optional(),
    dependencyLagMs: z.number().min(0).optional(),
  })
  .strict();

/** Registers the control routes. */
export function controlRoutes(app: Hono<Env>, control: EmulatorControl): void {
  const body = async <T>(c: Context<Env>, schema: z.ZodType<T>): Promise<T> => {
    const parsed = schema.safeParse(await jsonBody(c));
    if (!parsed.success)
      throw new EmulatorHttpError(400, 'bad.request', [], { message: z.prettifyError(parsed.error) });
    return parsed.data;
  };
  app.get('/__emulator/health', (c) => c.json({ ok: true, now: new Date(control.org.now()).toISOString() }));
  app.get('/__emulator/state', (c) => c.json(control.state()));
  app.get('/__emulator/requests', (c) => c.json(control.requests()));
  app.post('/__emulator/faults', async (c) =>
    c.json({ id: control.addFault(await body(c, FaultRuleSchema)) }),
  );
  app.delete('/__emulator/faults', (c) => {
    control.clearFaults(c.req.query('id'));
    return c.json({ ok: true });
  });
  app.post('/__emulator/traffic', async (c) => {
    control.setTraffic(await body(c, TrafficSchema));
    return c.json({ ok: true });
  });
  app.post('/__emulator/clock', async (c) => c.json(control.setClock(await body(c, ClockSchema))));
  app.post('/__emulator/revoke-tokens', async (c) =>
    c.json({ revoked: control.revokeTokens((await body(c, RevokeSchema)).clientId) }),
  );
  app.post('/__emulator/lock', async (c) => {
    const b = await body(c, LockSchema);
    control.lockByUser(b.flowId, b.userName, b.inMs);
    return c.json({ ok: true });
  });
  app.post('/__emulator/publish-failure', async (c) => {
    const b = await body(c, PublishFailureSchema);
    control.failPublishes(b.flowId, b.times, b.errorCode, b.errorMessage);
    return c.json({ ok: true });
  });
  app.post('/__emulator/deactivation-ignored', async (c) => {
    const b = await body(c, IgnoredDeactivationSchema);
    control.ignoreDeactivations(b.flowId, b.times);
    return c.json({ ok: true });
  });
  app.post('/__emulator/settings', async (c) => {
    const b = await body(c, SettingsSchema);
    if (b.republishOldVersion !== undefined) control.setRepublishOldVersion(b.republishOldVersion);
    if (b.dependencyLagMs !== undefined) control.setDependencyLag(b.dependencyLagMs);
    const s = control.org.state.settings;
    return c.json({
      republishOldVersion: s.republishOldVersion ?? 'in-place',
      dependencyLagMs: s.dependencyLagMs ?? 0,
    });
  });
  app.post('/__emulator/job-failure', async (c) => {
    control.failNextJobs(await body(c, JobFailureSchema));
    return c.json({ ok: true });
  });
  app.post('/__emulator/export-job-failure', async (c) => {
    control.failNextExportJobs(await body(c, JobFailureSchema));
    return c.json({ ok: true });
  });
}
