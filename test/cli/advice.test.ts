/**
 * The flag advice the CLI adds to library hints (src/cli/advice.ts): the library's hints name no
 * flag (test/architecture.test.ts), so the advice that used to be in them is here, once.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createColors } from 'picocolors';
import { describe, expect, it } from 'vitest';
import { cliAdvice } from '../../src/cli/advice.js';
import { formatGithub, formatPretty } from '../../src/cli/output/format-diagnostics.js';
import { noInputError } from '../../src/config/manifest.js';
import { validateFlows } from '../../src/flow/validate.js';

describe('the CLI advice table', () => {
  it('names the flags for the errors whose library hints no longer do', () => {
    expect(cliAdvice('AUDIT_LOG_WRITE')).toContain('deploy --resume');
    expect(cliAdvice('LEDGER_WRITE')).toContain('deploy --resume');
    expect(cliAdvice('EMULATOR_SEED')).toContain('--seed');
    expect(cliAdvice('EMULATOR_LISTEN')).toContain('--port');
    expect(cliAdvice('EXPORT_MANIFEST_EXISTS')).toContain('without --init');
    expect(cliAdvice('CONTENT_NOT_FINAL', { unsubstituted: 'env' })).toContain('--set env=VALUE');
    expect(cliAdvice('SCENARIO_FLOW', { missing: 'manifest' })).toContain('--manifest');
    expect(cliAdvice('SCENARIO_FLOW', {})).toBeUndefined();
  });

  it('advises --manifest only for the missing-flows error, not every USAGE_NO_INPUT', () => {
    const e = noInputError();
    expect(e.hint).not.toContain('--');
    expect(cliAdvice(e.code, e.details)).toContain('--manifest');
    expect(cliAdvice('USAGE_NO_INPUT', {})).toBeUndefined();
  });

  it("adds --set to an unresolved substitution's hint in the pretty and GitHub formats", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flowgate-advice-')), 'a.yaml');
    writeFileSync(
      file,
      'inboundCall:\n  name: "{{ flow_name }}"\n  startUpRef: ./tasks/task[t]\n  tasks:\n    - task:\n        name: T\n        refId: t\n        actions:\n          - disconnect:\n              name: Bye\n',
    );
    const report = await validateFlows([file]);
    const d = report.diagnostics.find((x) => x.code === 'unresolved-substitution');
    expect(d?.hint).not.toContain('--');
    expect(formatPretty(report, createColors(false))).toContain('--set KEY=VALUE');
    expect(formatGithub(report)).toContain('--set KEY=VALUE');
  });
});
