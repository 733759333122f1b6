/**
 * Architect export jobs (`POST /api/v2/flows/export/jobs`, `GET …/{jobId}`; the SDK's
 * `RegisterArchitectExportJob`, `ExportDetails`, `ArchitectExportJobStateResponse`; docs/platform-api.md
 * "Export jobs, dependency tracking, delete"). A job is `Started` when registered and ends on the
 * simulated clock (`settings.jobDelayMs` after registration, in `settle()`): `Success` with one YAML
 * file per flow (the download: the file itself for one flow, a zip for several), or `Failure` with
 * messages: a flow that does not exist, a version it does not have, a flow never checked in, the
 * `Architect` export type (the emulator writes YAML only), or a configured failure (Archy's
 * transient "exit code: 107" among them).
 */
import { strToU8, zipSync } from 'fflate';
import { OrgRuleError } from './errors.js';
import { exportedYaml } from './export-yaml.js';
import type { EmActor, EmFlow, EmulatorState } from './types.js';

/** One entry of a job's body (`ExportDetails`). */
export interface EmExportRequest {
  flowId?: string;
  name?: string;
  type?: string;
  version?: string;
  fileName?: string;
  exportType: 'Yaml' | 'Architect';
}

/** An export job. */
export interface EmExportJob {
  id: string;
  signature: string;
  status: 'Started' | 'Success' | 'Failure';
  actor: EmActor;
  finishAt: number;
  requests: EmExportRequest[];
  messages: Array<{ dateTime: string; type: 'Error' | 'Warning'; text: string }>;
  /** The exported files (name → YAML), once the job succeeded. */
  files?: Array<{ name: string; text: string }>;
  failNext?: string[];
}

/** `fileName`: "Must contain only alphanumeric characters, underscores, or hyphens" (`ExportDetails`). */
const FILE_NAME = /^[A-Za-z0-9_-]+$/;

/** The org's export jobs. */
export class ExportJobs {
  readonly jobs = new Map<string, EmExportJob>();
  /** Messages of the next jobs to fail, in order (a configured failure). */
  readonly failures: string[][] = [];

  constructor(
    private readonly state: EmulatorState,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {}

  /** Registers a job from a `RegisterArchitectExportJob` body; 400 for a malformed one. */
  register(body: Record<string, unknown>, actor: EmActor): EmExportJob {
    const flows = body.flows;
    if (!Array.isArray(flows) || flows.length === 0)
      throw new OrgRuleError('invalid', 'bad.request', [], {
        message: "'flows' must list at least one flow.",
      });
    const job: EmExportJob = {
      id: this.newId(),
      signature: this.newId().replace(/-/g, ''),
      status: 'Started',
      actor,
      finishAt: this.now() + this.state.settings.jobDelayMs,
      requests: flows.map((f) => exportRequest(f)),
      messages: [],
    };
    const failure = this.failures.shift();
    if (failure !== undefined) job.failNext = failure;
    this.jobs.set(job.id, job);
    return job;
  }

  /** Finishes every job that is due. */
  settle(): void {
    const now = this.now();
    for (const job of this.jobs.values())
      if (job.status === 'Started' && now >= job.finishAt) this.finish(job);
  }

  /** The download of a finished job: its one YAML file, or a zip of them all. */
  download(job: EmExportJob): { body: Uint8Array; contentType: string } | undefined {
    if (!job.files) return undefined;
    if (job.files.length === 1)
      return { body: strToU8(job.files[0]!.text), contentType: 'application/x-yaml' };
    const entries: Record<string, Uint8Array> = {};
    for (const f of job.files) entries[f.name] = strToU8(f.text);
    return { body: zipSync(entries), contentType: 'application/zip' };
  }

  private finish(job: EmExportJob): void {
    const at = new Date(job.finishAt).toISOString();
    const fail = (text: string) => {
      job.status = 'Failure';
      job.messages.push({ dateTime: at, type: 'Error', text });
    };
    if (job.failNext !== undefined) return job.failNext.forEach(fail);
    const files: Array<{ name: string; text: string }> = [];
    const used = new Set<string>();
    for (const r of job.requests) {
      const found = this.resolve(r);
      if (typeof found === 'string') fail(found);
      else {
        let name = `${r.fileName ?? `${found.flow.name.replace(/[^A-Za-z0-9_-]+/g, '_')}_v${found.version}`}.yaml`;
        for (let i = 2; used.has(name); i++) name = name.replace(/(_\d+)?\.yaml$/, `_${i}.yaml`);
        used.add(name);
        files.push({ name, text: found.text });
      }
    }
    if (job.status === 'Failure') return;
    job.files = files;
    job.status = 'Success';
  }

  /** The flow and version one entry names, or why it cannot be exported. */
  private resolve(r: EmExportRequest): { flow: EmFlow; version: string; text: string } | string {
    const flow = this.state.flows.find((f) =>
      r.flowId !== undefined
        ? f.id === r.flowId && !f.deleted
        : !f.deleted && f.name === r.name && f.type === r.type?.toUpperCase(),
    );
    if (!flow) return `Could not find the flow with id '${r.flowId ?? `${r.type}:${r.name}`}'.`;
    if (r.exportType === 'Architect')
      return `Flow '${flow.name}': the emulator exports the Yaml export type only.`;
    const id = r.version ?? flow.checkedInVersionId;
    const version = flow.versions.find((v) => v.id === id);
    if (!version)
      return id === undefined
        ? `Flow '${flow.name}' has no checked-in version to export.`
        : `Flow '${flow.name}' has no version '${id}'.`;
    return { flow, version: version.id, text: exportedYaml(flow, version) };
  }
}

/** One `ExportDetails` entry, checked as the platform's model says (flow: an id, or name and type). */
function exportRequest(raw: unknown): EmExportRequest {
  const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const flow = (typeof entry.flow === 'object' && entry.flow !== null ? entry.flow : undefined) as
    Record<string, unknown> | undefined;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const out: EmExportRequest = { exportType: 'Yaml' };
  const id = str(flow?.id);
  const name = str(flow?.name);
  const type = str(flow?.type);
  if (id === undefined && (name === undefined || type === undefined))
    throw new OrgRuleError('invalid', 'bad.request', [], {
      message: 'Each flow to export needs an id, or both a name and a type.',
    });
  if (id !== undefined) out.flowId = id;
  if (name !== undefined) out.name = name;
  if (type !== undefined) out.type = type;
  const version = str(flow?.version);
  if (version !== undefined) out.version = version;
  const fileName = str(entry.fileName);
  if (fileName !== undefined && !FILE_NAME.test(fileName))
    throw new OrgRuleError('invalid', 'invalid.value', [fileName, 'fileName', 'letters, digits, _ and -']);
  if (fileName !== undefined) out.fileName = fileName;
  if (entry.exportType !== undefined) {
    if (entry.exportType !== 'Yaml' && entry.exportType !== 'Architect')
      throw new OrgRuleError('invalid', 'invalid.value', [
        JSON.stringify(entry.exportType),
        'exportType',
        'Architect, Yaml',
      ]);
    out.exportType = entry.exportType;
  }
  return out;
}
