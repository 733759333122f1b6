/** Archy import jobs (docs/platform-api.md#import-jobs) and the presigned upload they hand out. */
import { EmulatorHttpError } from '../errors.js';
import { ALL, queryList, type RouteContext } from './context.js';

/** Registers the job operations; call before the flow routes so `jobs` is not taken for a flow id. */
export function jobRoutes({ api, app, org }: RouteContext): void {
  api('POST', '/api/v2/flows/jobs', ALL('architect:job:create'), (c, _client, actor) => {
    const job = org.registerJob(actor);
    const origin = new URL(c.req.url).origin;
    return c.json({
      id: job.id,
      presignedUrl: `${origin}/__emulator/uploads/${job.id}?X-Amz-Signature=${job.signature}`,
      headers: { 'Content-Type': 'application/octet-stream', 'x-amz-meta-flowgate-job': job.id },
      selfUri: `/api/v2/flows/jobs/${job.id}`,
    });
  });
  api('GET', '/api/v2/flows/jobs/{jobId}', ALL('architect:job:view'), (c) => {
    const job = org.jobs.get(c.req.param('jobId') ?? '');
    if (!job) throw new EmulatorHttpError(404, 'not.found');
    const out: Record<string, unknown> = {
      id: job.id,
      status: job.status,
      command: job.command,
      selfUri: `/api/v2/flows/jobs/${job.id}`,
    };
    if (job.flowId) out.flow = { id: job.flowId, selfUri: `/api/v2/flows/${job.flowId}` };
    if (queryList(c, 'expand').includes('messages')) out.messages = job.messages;
    return c.json(out);
  });

  // The presigned upload (a path no real API uses; S3 answers a bad signature with 403).
  app.put('/__emulator/uploads/:jobId', async (c) => {
    const job = org.jobs.get(c.req.param('jobId'));
    if (
      !job ||
      c.req.query('X-Amz-Signature') !== job.signature ||
      c.req.header('x-amz-meta-flowgate-job') !== job.id
    ) {
      return c.text(
        'SignatureDoesNotMatch: the request signature or headers do not match the presigned URL',
        403,
      );
    }
    org.uploadJob(job, await c.req.text());
    return c.body(null, 200);
  });
}
