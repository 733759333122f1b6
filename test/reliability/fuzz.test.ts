/**
 * Fuzzing: fast-check mutations of the six real flows (examples/flows/public, copies of
 * shared/flows) and of manifests, policies and substitution files. No input may throw past the
 * library: a flow's every problem is a diagnostic with a registered code and a place; a bad config
 * file is a FlowgateError with a registered code that names the file, and a config file that
 * loads says what it says (both ways out are taken for every kind of file). 800 inputs in
 * `npm test`, 10,040 under `npm run test:stress`; no mutated 2 MB flow costs more CPU than three
 * times the general YAML path on the same text, measured in the same process.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadDeployment } from '../../src/config/deployment.js';
import { ERROR_CODES } from '../../src/error-codes.js';
import { isFlowgateError } from '../../src/errors.js';
import { DIAGNOSTIC_CODES } from '../../src/flow/diagnostics.js';
import { loadFlowText } from '../../src/flow/load.js';
import { PolicySchema } from '../../src/flow/check/policy-schema.js';
import { validateLoaded } from '../../src/flow/validate.js';
import { STRESS } from './harness.js';

const FLOW_RUNS = STRESS ? 7000 : 500;
const CONFIG_RUNS = STRESS ? 3000 : 300;
const dir = 'examples/flows/public';
const flows = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f))
  .map((f) => readFileSync(join(dir, f), 'utf8'));

/** One edit of a text: the kinds of damage a hand edit, a bad merge or a truncated copy does. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(
        ':',
        '- ',
        '{',
        '[',
        '&a ',
        '*a',
        '!!binary ',
        '|',
        '>',
        '\t',
        '"',
        "'",
        '#',
        '\n',
        '{{ x }}',
        '? ',
        '<<: *a',
        '\u0000',
        '\uFEFF',
        '💥',
        '%YAML 1.1\n',
        '---\n',
      ),
      fc.string({ maxLength: 8 }),
    ),
  }),
);

type Edit = { kind: string; at: number; to?: number; by?: number; text?: string };

function mutate(text: string, edits: Edit[]): string {
  let t = text;
  for (const m of edits) {
    const lines = t.split('\n');
    const line = m.at % Math.max(1, lines.length);
    switch (m.kind) {
      case 'delete-line':
        lines.splice(line, 1);
        t = lines.join('\n');
        break;
      case 'duplicate-line':
        lines.splice(line, 0, lines[line] ?? '');
        t = lines.join('\n');
        break;
      case 'swap-lines': {
        const other = (m.to ?? 0) % Math.max(1, lines.length);
        [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
        t = lines.join('\n');
        break;
      }
      case 'truncate':
        t = t.slice(0, m.at % Math.max(1, t.length));
        break;
      case 'indent':
        lines[line] =
          m.by! >= 0 ? ' '.repeat(m.by!) + (lines[line] ?? '') : (lines[line] ?? '').slice(-m.by!);
        t = lines.join('\n');
        break;
      default: {
        const at = m.at % Math.max(1, t.length);
        t = t.slice(0, at) + m.text! + t.slice(at);
      }
    }
  }
  return t;
}

describe(`fuzzing (${FLOW_RUNS} flows, ${CONFIG_RUNS} config files)`, () => {
  it('mutated real flows: never a throw; every finding has a registered code and a place', () => {
    const codes = new Set<string>(Object.keys(DIAGNOSTIC_CODES));
    let worst = { ms: 0, bytes: 0 };
    let n = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: flows.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.dictionary(fc.constantFrom('x', 'flow_name', 'queue'), fc.string({ maxLength: 12 })),
        (which, edits, values) => {
          const text = mutate(flows[which]!, edits);
          const started = performance.now();
          const loaded = loadFlowText(text, 'fuzz.yaml', { substitutions: values });
          const report = validateLoaded([loaded]);
          const ms = performance.now() - started;
          // The first inputs pay the JIT's warm-up, not the input's size.
          if (++n > 20 && ms > worst.ms) worst = { ms, bytes: text.length };
          for (const d of report.diagnostics) {
            expect(codes.has(d.code), d.code).toBe(true);
            expect(d.file).toBe('fuzz.yaml');
            expect(d.line).toBeGreaterThanOrEqual(0);
            expect(d.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: FLOW_RUNS, seed: 1125 },
    );
    // Reported in BENCHMARKS.md by the stress run; small inputs are dominated by fixed costs.
    process.stderr.write(
      `fuzz: ${FLOW_RUNS} flow inputs; slowest ${worst.ms.toFixed(1)} ms for ${(worst.bytes / 1024).toFixed(1)} KB\n`,
    );
  }, 600_000);

  it('mutated 2 MB flows: never a throw, registered findings, and no input costlier than the general YAML path', async () => {
    const { generateArchy } = await import('../../bench/shapes.js');
    const big = generateArchy(90, 80);
    const codes = new Set<string>(Object.keys(DIAGNOSTIC_CODES));
    /** CPU time of this process (not wall time: other processes on the machine do not count). */
    const cpuMs = (text: string) => {
      const before = process.cpuUsage();
      const report = validateLoaded([loadFlowText(text, 'big.yaml')]);
      const d = process.cpuUsage(before);
      return { ms: (d.user + d.system) / 1000, report };
    };
    // The bar, measured here on this machine: the same text through the general path (`yaml`
    // Documents, about 1 s per MB), which a tag anywhere sends it to (docs/ARCHITECTURE.md).
    const general = Math.min(...[1, 2].map(() => cpuMs(big.replace('name: ', 'name: !!str ')).ms));
    let worst = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (edits) => {
        const text = mutate(big, edits);
        const { ms, report } = cpuMs(text);
        worst = Math.max(worst, ms);
        for (const d of report.diagnostics) {
          expect(codes.has(d.code), d.code).toBe(true);
          expect(d.file).toBe('big.yaml');
          expect(d.line).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: STRESS ? 40 : 3, seed: 1127 },
    );
    // Work bounded by the slowest documented path, not by a wall-clock figure: a mutation that
    // made validation superlinear would cost hundreds of times more on 2 MB.
    expect(worst).toBeLessThan(3 * general);
    process.stderr.write(
      `fuzz: ${STRESS ? 40 : 3} mutated 2 MB flows; slowest ${worst.toFixed(0)} ms CPU, general path ${general.toFixed(0)} ms\n`,
    );
  }, 600_000);

  it('mutated manifests, policies and substitution files: accepted as written, or a FlowgateError with a registered code naming the file', async () => {
    const work = mkdtempSync(join(tmpdir(), 'flowgate-fuzz-'));
    for (const f of readdirSync(dir)) writeFileSync(join(work, f), readFileSync(join(dir, f)));
    const manifest = `version: 1\nsubstitutions: { queue: Support }\npolicyFile: policy.yaml\nledger: { path: ledger.db }\ndeploy: { concurrency: 4, atomic: true, lockTimeout: PT5M }\nevents:\n  deliveryBudgetMs: 1000\n  webhooks:\n    - url: https://hooks.example.com/x\nhealth: { window: PT15M, looks: 3 }\nflows:\n  - file: dr-fallback-ivr__DR-Fallback-Ivr.yaml\n    activateAt: 2026-12-01T18:00:00+01:00\n  - name: Authenticate\n    type: commonmodule\n    version: '2.0'\n`;
    // Every key the strict policy schema knows, so that most mutations still load.
    const policy = `maxFlows: 100\nnaming:\n  inboundcall: '^[A-Z][A-Za-z0-9 _-]*$'\nallowedDivisions: [Home, Support]\nloops: allow-with-exit\nseverity:\n  dead-code: warning\n`;
    const values = `queue: Support\nflow_name: Main\n`;
    const files = { manifest: 'flowgate.yaml', policy: 'policy.yaml', values: 'values.yaml' } as const;
    const load = () =>
      loadDeployment(join(work, files.manifest), { substitutionsFile: join(work, files.values) });
    const write = (target: keyof typeof files | undefined, edits: Edit[]) => {
      const texts = {
        manifest: target === 'manifest' ? mutate(manifest, edits) : manifest,
        policy: target === 'policy' ? mutate(policy, edits) : policy,
        values: target === 'values' ? mutate(values, edits) : values,
      };
      for (const [k, text] of Object.entries(texts))
        writeFileSync(join(work, files[k as keyof typeof files]), text);
      return texts;
    };
    // The unmutated files load, and say what they say: the property starts from valid inputs.
    write(undefined, []);
    const base = await load();
    expect(base.policy).toEqual({
      maxFlows: 100,
      naming: { inboundcall: '^[A-Z][A-Za-z0-9 _-]*$' },
      allowedDivisions: ['Home', 'Support'],
      loops: 'allow-with-exit',
      severity: { 'dead-code': 'warning' },
    });
    expect(base.manifest?.flows).toHaveLength(2);
    expect(base.inputs[0]!.substitutions).toMatchObject({ queue: 'Support', flow_name: 'Main' });

    const tally = {
      manifest: { accepted: 0, rejected: 0 },
      policy: { accepted: 0, rejected: 0 },
      values: { accepted: 0, rejected: 0 },
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('manifest' as const, 'policy' as const, 'values' as const),
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        async (target, edits) => {
          const texts = write(target, edits);
          let loaded: Awaited<ReturnType<typeof load>> | undefined;
          try {
            loaded = await load();
          } catch (e) {
            expect(isFlowgateError(e), String((e as Error)?.stack ?? e)).toBe(true);
            expect(Object.keys(ERROR_CODES)).toContain((e as { code: string }).code);
            // Every config error says where: a file of the workspace (with line and column when it parsed).
            expect((e as Error).message).toContain(work);
            tally[target].rejected++;
            return;
          }
          tally[target].accepted++;
          // Accepted: the policy in force is what the policy file says (read here by another
          // YAML reader), and the values file's values reach every input.
          if (target === 'policy')
            expect(loaded.policy).toEqual(PolicySchema.parse(parseYaml(texts.policy) ?? {}));
          if (target === 'values') expect(loaded.policy).toEqual(base.policy);
          const read = (parseYaml(texts.values) ?? {}) as Record<string, unknown>;
          const fileValues =
            target !== 'values'
              ? { flow_name: 'Main' }
              : typeof read.substitutions === 'object' && read.substitutions !== null
                ? (read.substitutions as Record<string, unknown>)
                : read;
          for (const input of loaded.inputs)
            for (const [k, v] of Object.entries(fileValues))
              expect(input.substitutions[k], k).toBe(String(v));
        },
      ),
      { numRuns: CONFIG_RUNS, seed: 1126 },
    );
    // Both ways out are taken for every kind of file: the property checks acceptance too.
    for (const [target, { accepted, rejected }] of Object.entries(tally)) {
      expect(accepted, `${target} accepted`).toBeGreaterThan(0);
      expect(rejected, `${target} rejected`).toBeGreaterThan(0);
    }
    process.stderr.write(`fuzz: config files accepted/rejected ${JSON.stringify(tally)}\n`);
  }, 600_000);
});
