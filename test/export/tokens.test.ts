/**
 * Tokens of `export --init`: whatever the names hold (quotes, `#`, `: `, leading indicators, line
 * breaks), the tokenized text substituted with the exported values parses to exactly the exported
 * document (the oracle: the YAML value of the original), or the file keeps its names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TokenRegistry, tokenize } from '../../src/export/tokens.js';
import { applySubstitutions, parseYaml } from '../../src/flow/index.js';
import { ivrYaml } from '../helpers/generated-org.js';

const value = (text: string) => parseYaml(text).value;

/** An exported IVR whose names are arbitrary strings, written by a YAML writer (quoted as needed). */
function exported(name: string, module: string, queue: string, target: string): string {
  const doc = parseYaml(ivrYaml('N', 'M', 'Q', 'T')).value as { inboundCall: Record<string, unknown> };
  const text = stringify(doc)
    .replace('name: N\n', `name: ${JSON.stringify(name)}\n`)
    .replace('M:\n', `${JSON.stringify(module)}:\n`)
    .replace('name: Q\n', `name: ${JSON.stringify(queue)}\n`)
    .replace('name: T\n', `name: ${JSON.stringify(target)}\n`);
  return text;
}

describe('tokens', () => {
  it('names become tokens of their kind, one key per value across files', () => {
    const registry = new TokenRegistry();
    const a = tokenize(ivrYaml('IVR A', 'Auth', 'Support', 'IVR B'), registry);
    const b = tokenize(ivrYaml('IVR B', 'Auth', 'Sales'), registry);
    expect(a.keys).toEqual(['flow_ivr_a', 'division_home', 'flow_auth', 'flow_ivr_b', 'queue_support']);
    expect(b.keys).toEqual(['flow_ivr_b', 'division_home', 'flow_auth', 'queue_sales']);
    expect(a.text).toContain('name: {{ queue_support }}');
    expect(a.text).toContain('{{ flow_auth }}:');
    expect(registry.values()).toMatchObject({ flow_ivr_b: 'IVR B', queue_sales: 'Sales' });
  });

  it('a name that reads as a token is tokenized; a token where no name stands keeps the file', () => {
    const registry = new TokenRegistry();
    const named = tokenize(ivrYaml('"{{a}}"', 'Auth', 'Support'), registry);
    expect(named.kept).toBeUndefined();
    expect(applySubstitutions(named.text, registry.values()).unresolved).toEqual([]);
    const stray = ivrYaml('IVR', 'Auth', 'Support').replace(
      'name: IVR\n',
      'name: IVR\n  description: say {{x}}\n',
    );
    const kept = tokenize(stray, new TokenRegistry());
    expect(kept.kept).toBe('the text holds {{ x }} already');
    expect(kept.text).toBe(stray);
  });

  it('property: substituting the exported values gives back the exported document', () => {
    const name = fc.string({
      minLength: 1,
      maxLength: 12,
      unit: fc.constantFrom('a', 'Z', ' ', '#', ':', '"', "'", '-', '{', '}', '\\', '\n', 'é', '*', '&'),
    });
    fc.assert(
      fc.property(name, name, name, name, (n, m, q, t) => {
        const text = exported(n, m, q, t);
        const registry = new TokenRegistry();
        const r = tokenize(text, registry);
        if (r.kept !== undefined) {
          // A text that kept its names is the export, byte for byte, and registered none of them.
          expect(r.text).toBe(text);
          expect(r.keys).toEqual([]);
          expect(registry.values()).toEqual({});
          return;
        }
        const back = applySubstitutions(r.text, registry.values());
        expect(back.unresolved).toEqual([]);
        expect(value(back.text)).toEqual(value(text));
      }),
      { numRuns: 300 },
    );
  });
});
