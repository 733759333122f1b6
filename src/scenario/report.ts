/**
 * Reporting a run: text for people (each case with pass/fail, its path, the first difference;
 * coverage per flow) and JUnit XML for CI test reporters (one testsuite per scenario file, a
 * `failure` for a failed case, an `error` for a case that could not be interpreted).
 */
import { showEnding } from './expect.js';
import { plural } from '../shared/plural.js';
import type { TestReport } from './suite.js';

/** The text report. */
export function formatText(report: TestReport, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const f of report.files) {
    lines.push(`${f.file} (flow ${f.flowFile})`);
    for (const c of f.cases) {
      const mark = c.status === 'pass' ? 'PASS' : c.status === 'fail' ? 'FAIL' : 'ERROR';
      lines.push(`  ${mark}  ${c.name}${c.end ? ` → ${showEnding(c.end)}` : ''}`);
      if (c.status !== 'pass' || options.verbose) {
        if (c.message) lines.push(`        ${c.message}`);
        if (c.hint) lines.push(`        hint: ${c.hint}`);
        lines.push(`        case at ${c.at}; path:`);
        for (const step of c.path) lines.push(`          ${step}`);
      }
    }
  }
  lines.push('', 'Coverage:');
  for (const cov of report.coverage) {
    const by = (k: string) =>
      `${cov.exercised.filter((i) => i.kind === k).length}/${cov.items.filter((i) => i.kind === k).length}`;
    lines.push(
      `  ${cov.flow} (${cov.file}): menus ${by('menu')}, choices ${by('choice')}, decision outputs ${by('decision')}, tasks ${by('task')}`,
    );
    for (const m of cov.missed) lines.push(`    not exercised: ${m.label} (${m.where})`);
  }
  const total = report.passed + report.failed + report.errors;
  lines.push(
    '',
    `${plural(total, 'case')}: ${report.passed} passed, ${report.failed} failed, ${report.errors} could not run`,
  );
  return `${lines.join('\n')}\n`;
}

const xml = (s: string) =>
  s
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    // XML 1.0 has no place for most control characters: drop them.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML (the common subset Jenkins, GitLab and GitHub test reporters read). */
export function formatJunit(report: TestReport): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = report.passed + report.failed + report.errors;
  out.push(
    `<testsuites name="flowgate test" tests="${total}" failures="${report.failed}" errors="${report.errors}">`,
  );
  for (const f of report.files) {
    const failures = f.cases.filter((c) => c.status === 'fail').length;
    const errors = f.cases.filter((c) => c.status === 'error').length;
    out.push(
      `  <testsuite name="${xml(f.file)}" tests="${f.cases.length}" failures="${failures}" errors="${errors}">`,
    );
    for (const c of f.cases) {
      out.push(`    <testcase classname="${xml(f.flowFile)}" name="${xml(c.name)}" file="${xml(c.at)}">`);
      const body = xml(
        [c.message ?? '', c.hint ? `hint: ${c.hint}` : '', 'path:', ...c.path].filter(Boolean).join('\n'),
      );
      if (c.status === 'fail')
        out.push(`      <failure message="${xml(c.message ?? 'failed')}">${body}</failure>`);
      if (c.status === 'error')
        out.push(`      <error message="${xml(c.message ?? 'error')}">${body}</error>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
