/**
 * Diagnostic output formats: pretty (grouped by file, source line with a caret), JSON, SARIF 2.1.0
 * (for code scanning) and GitHub workflow annotations.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { plural } from '../../shared/plural.js';
import { pathToFileURL } from 'node:url';
import type { createColors } from 'picocolors';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../flow/index.js';
import type { ValidationReport } from '../../flow/validate.js';
import { diagnosticHint } from '../advice.js';
import { githubCommandProperty, githubCommandValue, terminalSafe as t } from './encode.js';

type Colors = ReturnType<typeof createColors>;

/**
 * Human output, grouped by file. File names, messages (which quote names from the files) and
 * source lines are printed `terminalSafe`: a flow cannot move the cursor or forge a line.
 */
export function formatPretty(report: ValidationReport, c: Colors, quiet = false): string {
  const texts = new Map(report.files.map((f) => [f.file, f.text]));
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of report.diagnostics) {
    if (quiet && d.severity !== 'error') continue;
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  let out = '';
  for (const f of report.files) {
    const list = byFile.get(f.file);
    if (!list) {
      if (!quiet) out += `${c.green('✓')} ${t(f.file)}\n`;
      continue;
    }
    out += `${c.underline(t(f.file))}\n`;
    const lines = texts.get(f.file)?.split('\n');
    for (const d of list) {
      const sev =
        d.severity === 'error'
          ? c.red('error')
          : d.severity === 'warning'
            ? c.yellow('warning')
            : c.blue('info');
      const where = d.line > 0 ? `${t(d.file)}:${d.line}:${d.column}` : t(d.file);
      out += `  ${c.dim(where)}  ${sev}  ${t(d.message)}  ${c.dim(d.code)}\n`;
      const src = d.line > 0 ? lines?.[d.line - 1]?.replace(/\r$/, '') : undefined;
      if (src !== undefined) {
        const { text, caret } = shownSource(src, Math.max(0, d.column - 1));
        const gutter = String(d.line).padStart(5);
        out += `${c.dim(`${gutter} |`)} ${text}\n`;
        out += `${c.dim(`${' '.repeat(5)} |`)} ${' '.repeat(caret)}${c.red('^')}\n`;
      }
      const hint = diagnosticHint(d);
      if (hint) out += `        ${c.cyan('hint')}: ${t(hint)}\n`;
      for (const r of (d.related ?? []).slice(0, 3)) {
        const file = t(r.file ?? d.file);
        const at = r.line > 0 ? `${file}:${r.line}:${r.column}` : file;
        out += `        ${c.dim(`see ${at}`)} ${t(r.message)}\n`;
      }
      if ((d.related?.length ?? 0) > 3) out += `        ${c.dim(`… and ${d.related!.length - 3} more`)}\n`;
    }
    out += '\n';
  }
  const s = report.summary;
  const verdict = s.errors > 0 ? c.red('✗') : c.green('✓');
  out += `${verdict} ${plural(s.files, 'file')}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info\n`;
  // The order `deploy` publishes in (one derivation for both): what a flow calls goes first.
  if (!quiet && report.publishOrder && report.publishOrder.length > 1)
    out += `${c.dim('publish order:')} ${report.publishOrder.map(t).join(', ')}\n`;
  return out;
}

/**
 * A source line clipped around a column and made `terminalSafe` (tabs, common in JSON, as four
 * spaces rather than `\t`), the caret moved with what was written in its place.
 */
function shownSource(line: string, column: number): { text: string; caret: number } {
  const clipped = clipAround(line, column);
  const shown = (x: string) => t(x.replace(/\t/g, '    '));
  return { text: shown(clipped.text), caret: shown(clipped.text.slice(0, clipped.caret)).length };
}

/** Longest source line shown whole; longer ones (minified JSON) are clipped around the column. */
const MAX_SHOWN_LINE = 160;

/** A window of a long line around a 0-based column, with `…` where it was cut, and the caret's place. */
export function clipAround(line: string, column: number): { text: string; caret: number } {
  if (line.length <= MAX_SHOWN_LINE) return { text: line, caret: column };
  const half = Math.floor(MAX_SHOWN_LINE / 2);
  const start = Math.max(0, Math.min(column - half, line.length - MAX_SHOWN_LINE));
  const end = Math.min(line.length, start + MAX_SHOWN_LINE);
  const head = start > 0 ? '…' : '';
  return {
    text: `${head}${line.slice(start, end)}${end < line.length ? '…' : ''}`,
    caret: column - start + head.length,
  };
}

/** Stable, versioned JSON. */
export function formatJson(report: ValidationReport): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      summary: report.summary,
      files: report.files.map((f) => ({
        file: f.file,
        ...(f.graph
          ? {
              flow: { name: f.graph.name ?? null, type: f.graph.flowType ?? null, format: f.graph.format },
              nodes: f.graph.nodeCount,
              edges: f.graph.edgeCount,
              references: f.graph.references,
            }
          : {}),
      })),
      publishOrder: report.publishOrder,
      diagnostics: report.diagnostics,
    },
    null,
    2,
  )}\n`;
}

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/). Locations are percent-encoded URIs
 * relative to `%SRCROOT%` (the working folder), which GitHub code scanning maps onto the repository;
 * files outside it get an absolute `file://` URI.
 */
export function formatSarif(report: ValidationReport, toolVersion: string, root = process.cwd()): string {
  const location = (file: string, line: number, column: number) => sarifLocation(file, line, column, root);
  const level = (s: Diagnostic['severity']) =>
    s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
  const rules = Object.entries(DIAGNOSTIC_CODES).map(([id, [severity, text]]) => ({
    id,
    shortDescription: { text },
    defaultConfiguration: { level: level(severity) },
  }));
  const results = report.diagnostics.map((d) => ({
    ruleId: d.code,
    level: level(d.severity),
    message: { text: diagnosticHint(d) ? `${d.message}\n${diagnosticHint(d)}` : d.message },
    locations: [location(d.file, d.line, d.column)],
    ...(d.related?.length
      ? {
          relatedLocations: d.related.map((r, id) => ({
            id,
            ...location(r.file ?? d.file, r.line, r.column),
            message: { text: r.message },
          })),
        }
      : {}),
  }));
  return `${JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'flowgate',
              version: toolVersion,
              informationUri: 'https://github.com/flowgate/flowgate',
              rules,
            },
          },
          originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(`${resolve(root)}/`).href } },
          results,
        },
      ],
    },
    null,
    2,
  )}\n`;
}

function sarifLocation(file: string, line: number, column: number, root: string) {
  const rel = relative(root, resolve(root, file));
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  const artifactLocation = inside
    ? { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
    : { uri: pathToFileURL(resolve(root, file)).href };
  return {
    physicalLocation: {
      artifactLocation,
      ...(line > 0 ? { region: { startLine: line, startColumn: Math.max(1, column) } } : {}),
    },
  };
}

/**
 * GitHub workflow commands (`::error file=…,line=…::message`), encoded as the toolkit does
 * (`encode.ts`); each value is `terminalSafe` first, since the log viewer renders ANSI sequences.
 */
export function formatGithub(report: ValidationReport): string {
  let out = '';
  for (const d of report.diagnostics) {
    const cmd = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
    const props = [`file=${githubCommandProperty(d.file)}`];
    if (d.line > 0) props.push(`line=${d.line}`, `col=${Math.max(1, d.column)}`);
    props.push(`title=${githubCommandProperty(`flowgate ${d.code}`)}`);
    const hint = diagnosticHint(d);
    const message = hint ? `${t(d.message)}\n${t(hint)}` : t(d.message);
    out += `::${cmd} ${props.join(',')}::${githubCommandValue(message)}\n`;
  }
  return out;
}
