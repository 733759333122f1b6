/**
 * The warnings list of a plan (format-plan-warnings.ts) on its own: at most WARNINGS_LISTED lines
 * with the rest counted, a finding without a position named by its file alone (never `file:0:0`).
 */
import { createColors } from 'picocolors';
import { describe, expect, it } from 'vitest';
import type { DeploymentPlan } from '../../src/deploy/types.js';
import type { Diagnostic } from '../../src/flow/index.js';
import {
  WARNINGS_LISTED,
  place,
  warningsMarkdown,
  warningsPretty,
} from '../../src/cli/output/format-plan-warnings.js';

const c = createColors(false);
const warning = (n: number): Diagnostic => ({
  code: 'unreachable',
  severity: 'warning',
  message: `warning ${n}`,
  file: `f${n}.yaml`,
  line: n,
  column: 3,
});
const planWith = (diagnostics: Diagnostic[]) =>
  ({
    validation: { diagnostics, summary: { files: 1, errors: 0, warnings: 0, infos: 0 } },
  }) as unknown as DeploymentPlan;

describe('the warnings a plan lists', () => {
  it(`lists ${WARNINGS_LISTED} and counts the rest, in pretty and Markdown`, () => {
    const all = Array.from({ length: WARNINGS_LISTED + 3 }, (_, i) => warning(i + 1));
    const pretty = warningsPretty(planWith(all), c);
    const lines = pretty.split('\n').filter((l) => l.includes('  warning  '));
    expect(lines).toHaveLength(WARNINGS_LISTED);
    expect(lines[0]).toBe('  f1.yaml:1:3  warning  warning 1  unreachable');
    expect(pretty).not.toContain(`warning ${WARNINGS_LISTED + 1} `);
    expect(pretty).toContain('… 3 more (flowgate validate lists every one, with its line)');
    const md = warningsMarkdown(planWith(all));
    expect(md.match(/^\| f\d+\.yaml:/gm)).toHaveLength(WARNINGS_LISTED);
    expect(md).toContain(`Validation warnings: ${WARNINGS_LISTED + 3} (they do not block)`);
    expect(md).toContain('… 3 more (flowgate validate lists every one, with its line)');
  });

  it('exactly the limit: no "more" line', () => {
    const all = Array.from({ length: WARNINGS_LISTED }, (_, i) => warning(i + 1));
    expect(warningsPretty(planWith(all), c)).not.toContain('more');
    expect(warningsMarkdown(planWith(all))).not.toContain('more');
  });

  it('lists warnings only: errors and notes are not in it', () => {
    const others: Diagnostic[] = [
      { ...warning(1), severity: 'error' },
      { ...warning(2), severity: 'info' },
    ];
    expect(warningsPretty(planWith(others), c)).toBe('');
    expect(warningsMarkdown(planWith(others))).toBe('');
  });

  it('a finding about the whole file is named by its file, not file:0:0', () => {
    expect(place({ file: 'a.yaml', line: 0, column: 0 })).toBe('a.yaml');
    expect(place({ file: 'a.yaml', line: 1, column: 1 })).toBe('a.yaml:1:1');
  });
});
