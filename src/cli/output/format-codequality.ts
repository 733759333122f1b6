/**
 * `validate --format codequality`: GitLab's Code Quality report, the JSON array a job hands over
 * with `artifacts: reports: codequality:` so findings show in the merge request
 * (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format): per finding a
 * `description`, `check_name`, a unique `fingerprint`, a `severity` (info, minor, major,
 * critical, blocker) and `location.path` (relative to the repository) with `location.lines.begin`.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../../flow/index.js';
import type { ValidationReport } from '../../flow/validate.js';

const SEVERITY: Record<Diagnostic['severity'], string> = { error: 'major', warning: 'minor', info: 'info' };

/** The report as GitLab Code Quality JSON. */
export function formatCodeQuality(report: ValidationReport, root = process.cwd()): string {
  const seen = new Map<string, number>();
  const issues = report.diagnostics.map((d) => {
    const rel = relative(root, resolve(root, d.file));
    const path = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : d.file;
    const base = createHash('sha256').update(`${d.code}\0${path}\0${d.line}\0${d.message}`).digest('hex');
    // Two equal findings on one line still need distinct fingerprints (GitLab keys issues by it).
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return {
      description: d.hint ? `${d.message} (${d.hint})` : d.message,
      check_name: d.code,
      fingerprint: n === 0 ? base : createHash('sha256').update(`${base}\0${n}`).digest('hex'),
      severity: SEVERITY[d.severity],
      location: { path, lines: { begin: Math.max(1, d.line) } },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
