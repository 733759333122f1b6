// Issue 18 §3: policy naming patterns are user input; they must not be able to stall validation.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadFlowBytes } from '../../src/flow/load.js';
import { validateLoaded } from '../../src/flow/validate.js';

const flowNamed = (name: string) =>
  loadFlowBytes(
    Buffer.from(
      `inboundCall:\n  name: '${name}'\n  startUpRef: ./tasks/task[t]\n  defaultLanguage: en-us\n  tasks:\n` +
        '    - task:\n        name: T\n        refId: t\n        actions:\n          - disconnect:\n              name: bye\n',
    ),
    'flow.yaml',
  );
const namingFindings = (name: string, pattern: string) =>
  validateLoaded([flowNamed(name)], { policy: { naming: { inboundCall: pattern } } }).diagnostics.filter(
    (d) => d.code === 'policy-naming',
  );

describe('policy naming patterns', () => {
  // A backtracking engine needs about 2^n steps for these names.
  it('^(\\w+\\s?)+$ against names of 29 and 5,000 characters', () => {
    for (const n of [29, 5000]) {
      expect(namingFindings(`${'a'.repeat(n - 1)}!`, '^(\\w+\\s?)+$')).toHaveLength(1);
      expect(namingFindings('Main Menu', '^(\\w+\\s?)+$')).toHaveLength(0);
    }
  });

  it('(a+)+$ against a 5,000-character name', () => {
    expect(namingFindings(`${'a'.repeat(5000)}!`, '(a+)+$')).toHaveLength(1);
    expect(namingFindings('a'.repeat(5000), '(a+)+$')).toHaveLength(0);
  });

  it('a policy built in code with a pattern RE2 cannot run is refused as a config error', () => {
    let thrown: unknown;
    try {
      namingFindings('Main', '^(?!Test)');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({
      code: 'CONFIG_INVALID',
      message: "policy naming.inboundCall: the pattern uses a lookahead '(?!' at character 2",
    });
    expect((thrown as ConfigError).hint).toContain('lookahead and lookbehind');
  });
});
