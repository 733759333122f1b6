/**
 * `flowgate export`: the org's flows into Archy YAML files (library: `src/export/`); with `--init`,
 * tokens for the names that differ between orgs, a manifest in dependency order and a
 * substitutions file per `--env`. Progress on stderr: a bar on a terminal, one line per flow
 * otherwise; `--json` prints the result on stdout.
 */
import { join } from 'node:path';
import { plural } from '../../shared/plural.js';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import type { ExportProgress, ExportResult } from '../../export/export.js';
import type { InitResult } from '../../export/init.js';
import type { VersionChoice } from '../../export/select.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { terminalSafe as safe } from '../output/encode.js';

/** The flags of `flowgate export`, parsed once. */
export interface ExportFlags {
  out: string;
  types: string[];
  name?: string | undefined;
  division?: string | undefined;
  choice: VersionChoice;
  init: boolean;
  envs: string[];
  manifest: string;
  json: boolean;
  concurrency: number;
}

/**
 * `flowgate export --version 3.0`: after the `export` command, `--version` is the flow's version,
 * not the program's (commander would print flowgate's version and stop). Other arguments pass.
 */
export function exportVersionFlag(argv: readonly string[]): string[] {
  const at = argv.findIndex((a) => !a.startsWith('-'));
  if (at < 0 || argv[at] !== 'export') return [...argv];
  return argv.map((a, i) =>
    i > at && a === '--version'
      ? '--flow-version'
      : i > at && a.startsWith('--version=')
        ? `--flow-version=${a.slice(10)}`
        : a,
  );
}

/** Parses the flags once. */
export function exportFlags(opts: Record<string, unknown>): ExportFlags {
  if (opts.flowVersion !== undefined && opts.saved === true)
    throw new ConfigError('USAGE_EXPORT_FLAGS', '--version and --saved choose different versions: give one', {
      hint: 'Without either, the published version of each flow is exported.',
    });
  const concurrency = (opts.concurrency as number | undefined) ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
    throw new ConfigError(
      'USAGE_EXPORT_FLAGS',
      `--concurrency ${String(opts.concurrency)}: a whole number from 1 to 16`,
      {
        hint: 'Export jobs share the rate limit; 4 is plenty.',
      },
    );
  return {
    out: opts.out as string,
    types: ((opts.type as string[] | undefined) ?? []).map((t) => t.toLowerCase()),
    name: opts.name as string | undefined,
    division: opts.division as string | undefined,
    choice:
      opts.flowVersion !== undefined
        ? { kind: 'version', version: opts.flowVersion as string }
        : opts.saved === true
          ? { kind: 'saved' }
          : { kind: 'published' },
    init: opts.init === true,
    envs: (opts.env as string[] | undefined) ?? [],
    manifest: opts.manifest as string,
    json: opts.json === true,
    concurrency,
  };
}

/** Makes `out` (and its parents) or says why it cannot be, before anything is asked of the org. */
function ensureFolder(out: string): void {
  try {
    mkdirSync(out, { recursive: true });
    accessSync(out, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'it, or a folder above it, is a file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (code ?? (e as Error).message);
    throw new ConfigError('EXPORT_OUT', `cannot export into ${out}: ${why}`, {
      hint: 'Name a folder that is, or can be made, writable (the flows are written one file each).',
    });
  }
}

/** Runs the export; exit 5 when some flows failed. */
export async function runExport(f: ExportFlags, io: CliIo): Promise<number> {
  const [{ exportFlows }, { writeInit }, { cliPlatformClient }] = await Promise.all([
    import('../../export/export.js'),
    import('../../export/init.js'),
    import('../platform-client.js'),
  ]);
  const { client, settings } = cliPlatformClient(io);
  // Before any export job: a folder that cannot be made is the user's typo, not the org's failure.
  ensureFolder(f.out);
  const origin = settings.endpoints.environment;
  const result = await exportFlows({
    client,
    out: f.out,
    filter: {
      types: f.types,
      ...(f.name ? { name: f.name } : {}),
      ...(f.division ? { division: f.division } : {}),
    },
    choice: f.choice,
    tokens: f.init,
    concurrency: f.concurrency,
    origin,
    ...(f.json ? {} : { onProgress: progress(io) }),
  });
  const init = f.init
    ? await writeInit({ manifestPath: f.manifest, outDir: f.out, envs: f.envs, result, origin })
    : undefined;
  if (f.json) io.out(`${JSON.stringify(jsonOf(result, init, f), null, 2)}\n`);
  else summary(io, result, init);
  return result.failed.length > 0 ? ExitCode.Partial : ExitCode.Ok;
}

/** Progress: a bar on a terminal; otherwise a line per written, skipped or failed flow. */
function progress(io: CliIo): (e: ExportProgress) => void {
  const tty = process.stderr.isTTY === true;
  const c = io.errColors;
  return (e) => {
    if (tty && e.kind !== 'written') {
      const width = 30;
      const full = Math.round((e.done / Math.max(1, e.total)) * width);
      io.err(`\r[${'#'.repeat(full)}${' '.repeat(width - full)}] ${e.done}/${e.total} flows`);
      if (e.done === e.total) io.err('\n');
    }
    if (e.kind === 'written' && (!tty || e.flow.change !== 'unchanged'))
      io.err(
        `${e.flow.change === 'unchanged' ? c.dim('=') : c.green('✓')} ${safe(e.flow.file)} ${c.dim(`${e.flow.change}, version ${safe(e.flow.version)}`)}\n`,
      );
    if (e.kind === 'skipped' && !tty)
      io.err(
        `${c.yellow('–')} ${safe(e.flow.type)} '${safe(e.flow.name)}' skipped: ${safe(e.flow.reason)}\n`,
      );
    if (e.kind === 'failed')
      io.err(
        `${tty ? '\n' : ''}${c.red('✗')} ${safe(e.flow.type)} '${safe(e.flow.name)}': ${safe(e.flow.reason)}\n`,
      );
  };
}

function summary(io: CliIo, r: ExportResult, init: InitResult | undefined): void {
  const count = (k: string) => r.exported.filter((f) => f.change === k).length;
  io.out(
    `${r.exported.length} exported (${count('created')} new, ${count('updated')} changed, ${count('unchanged')} unchanged), ${r.skipped.length} skipped, ${r.failed.length} failed\n`,
  );
  for (const f of r.exported.filter((x) => x.change === 'updated')) io.out(`  changed: ${safe(f.file)}\n`);
  for (const s of r.skipped) io.out(`  skipped: ${safe(s.type)} '${safe(s.name)}': ${safe(s.reason)}\n`);
  if (init) {
    io.out(
      `manifest ${safe(init.manifest.path)} (${init.manifest.change}): ${plural(init.order.length, 'flow')} in dependency order\n`,
    );
    for (const s of init.substitutions) io.out(`substitutions ${safe(s.path)} (${s.change})\n`);
  }
}

function jsonOf(r: ExportResult, init: InitResult | undefined, f: ExportFlags): unknown {
  return {
    schemaVersion: 1,
    exported: r.exported.map(({ content: _content, ...x }) => ({ ...x, file: join(f.out, x.file) })),
    skipped: r.skipped,
    failed: r.failed,
    tokens: Object.keys(r.values).length,
    ...(init ? { manifest: init.manifest, substitutions: init.substitutions, order: init.order } : {}),
  };
}
