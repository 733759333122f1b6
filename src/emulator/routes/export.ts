/**
 * Architect export jobs (docs/platform-api.md "Export jobs, dependency tracking, delete") and the
 * signed download they hand out; registered before the flow routes so `export` is not a flow id.
 */
import { EmulatorHttpError } from '../errors.js';
import { ALL, jsonBody, queryList, type RouteContext } from './context.js';

/** Registers the export-job operations and the download. */
export function exportRoutes({ api, app, org }: RouteContext): void {
  const jobs = org.exportJobs;
  api('POST', '/api/v2/flows/export/jobs', ALL('architect:jobExport:create'), async (c, _client, actor) => {
    const job = jobs.register(await jsonBody(c), actor);
    return c.json({
      id: job.id,
      status: job.status,
      totalFlows: job.requests.length,
      selfUri: `/api/v2/flows/export/jobs/${job.id}`,
    });
  });
  api('GET', '/api/v2/flows/export/jobs/{jobId}', ALL('architect:jobExport:view'), (c) => {
    const job = jobs.jobs.get(c.req.param('jobId') ?? '');
    if (!job) throw new EmulatorHttpError(404, 'not.found');
    const out: Record<string, unknown> = {
      id: job.id,
      status: job.status,
      command: 'Export',
      selfUri: `/api/v2/flows/export/jobs/${job.id}`,
    };
    if (job.status === 'Success')
      out.downloadUrl = `${new URL(c.req.url).origin}/__emulator/downloads/${job.id}?X-Amz-Signature=${job.signature}`;
    if (queryList(c, 'expand').includes('messages')) out.messages = job.messages;
    return c.json(out);
  });

  // The signed download (a path no real API uses; S3 answers a bad signature with 403).
  app.get('/__emulator/downloads/:jobId', (c) => {
    const job = jobs.jobs.get(c.req.param('jobId'));
    const file = job && c.req.query('X-Amz-Signature') === job.signature ? jobs.download(job) : undefined;
    if (!file)
      return c.text('SignatureDoesNotMatch: the request signature does not match the presigned URL', 403);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': file.contentType });
  });
}
