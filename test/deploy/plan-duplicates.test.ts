/**
 * One flow, one manifest entry (src/deploy/plan-duplicates.ts): two entries that deploy the same
 * flow (two files giving one type and name, or a file and a published version of that flow) are
 * blocked, both, naming each entry; nothing is recorded or published. The same name as two types
 * is two flows.
 */
import { describe, expect, it } from 'vitest';
import { createDeployment } from '../../src/deploy/executor.js';
import { FlowgateError } from '../../src/errors.js';
import { inboundFlow, librarySession, publishesOf, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { moduleYaml } from '../helpers/generated-org.js';

describe('two manifest entries deploying one flow', () => {
  const e = useEmulator();

  it('two files giving one flow: both steps blocked, each entry named with its manifest line; deploy refuses', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml':
        'version: 1\nsubstitutions:\n  name: Flow A\nflows:\n  - file: flows/a.yaml\n  - file: flows/other.yaml\n  - file: flows/b.yaml\n',
      'flows/a.yaml': inboundFlow('Flow A'),
      'flows/other.yaml': inboundFlow('Flow B'),
      // After its substitution, the same name as a.yaml's.
      'flows/b.yaml': inboundFlow('{{ name }}', { say: 'Another greeting' }),
    });
    const s = librarySession(emu, dir);
    const plan = await s.plan();
    const message =
      "2 manifest entries deploy inboundcall 'Flow A': flows/a.yaml (manifest line 5), flows/b.yaml (manifest line 7); keep one (a flow is deployed from one entry)";
    expect(plan.steps.map((x) => [x.flowName, x.action, x.blocked])).toEqual([
      ['Flow A', 'blocked', [{ kind: 'validation', message }]],
      ['Flow B', 'create', []],
      ['Flow A', 'blocked', [{ kind: 'validation', message }]],
    ]);
    expect(plan.blocked).toBe(true);
    const refused = await createDeployment(plan, s.ledger, { atomic: true }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(refused).toBeInstanceOf(FlowgateError);
    expect((refused as FlowgateError).code).toBe('DEPLOY_BLOCKED');
    expect(await s.ledger.listDeployments()).toEqual([]);
    expect(publishesOf(emu, 'Flow A')).toBe(0);
  });

  it('a file and a version of the same flow: both blocked, the version entry named by its version', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml':
        "version: 1\nflows:\n  - file: ivr.yaml\n  - name: Main IVR\n    type: inboundcall\n    version: '1.0'\n",
      'ivr.yaml': inboundFlow('Main IVR', { say: 'New' }),
    });
    const plan = await librarySession(emu, dir).plan();
    expect(plan.steps.map((x) => x.blocked.map((b) => b.message))).toEqual([
      [
        "2 manifest entries deploy inboundcall 'Main IVR': ivr.yaml (manifest line 3), the entry publishing 'Main IVR' version 1.0; keep one (a flow is deployed from one entry)",
      ],
      [
        "2 manifest entries deploy inboundcall 'Main IVR': ivr.yaml (manifest line 3), the entry publishing 'Main IVR' version 1.0; keep one (a flow is deployed from one entry)",
      ],
    ]);
  });

  it('one name as two types is two flows: neither blocked', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n',
      'a.yaml': inboundFlow('Twin'),
      'b.yaml': moduleYaml('Twin'),
    });
    const plan = await librarySession(emu, dir).plan();
    expect(plan.steps.map((x) => [x.flowKey, x.blocked])).toEqual([
      ['inboundcall:Twin', []],
      ['commonmodule:Twin', []],
    ]);
  });
});
