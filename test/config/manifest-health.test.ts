/** The manifest's `health:` section: the signals it chooses reach the gate, and a wrong one is an error at its position. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadManifest } from '../../src/config/manifest.js';
import { healthGateOptions } from '../../src/deploy/health-gate.js';
import { ERROR_EXIT_REASONS } from '../../src/exit-reasons.js';
import { workspace } from '../helpers/deploy.js';

const manifest = (health: string) =>
  join(
    workspace({ 'flowgate.yaml': `version: 1\nhealth:\n${health}flows:\n  - file: a.yaml\n`, 'a.yaml': '' }),
    'flowgate.yaml',
  );

describe('health: in the manifest', () => {
  it('without signals: the defaults, which work for a flow without outcomes', async () => {
    const m = await loadManifest(manifest('  window: PT30M\n'));
    expect(healthGateOptions(m.health)).toEqual({
      windowMs: 30 * 60_000,
      rollback: true,
      rule: {},
      signals: {
        disconnects: { margin: 0.02 },
        exits: { reasons: ERROR_EXIT_REASONS, margin: 0.01 },
        outcomes: { margin: 0.01 },
        timeInFlow: false,
      },
    });
  });

  it('chooses signals and margins; time in flow in seconds; the window can be overridden', async () => {
    const m = await loadManifest(
      manifest(`  window: PT30M
  looks: 4
  confidence: 0.99
  minExecutions: 500
  margin: 0.03
  signals:
    disconnects: { margin: 0.05 }
    exits: { reasons: [FLOW_ERROR_EXIT, RECOGNITION_FAILURE_EXIT] }
    outcomes: false
    timeInFlow: { marginSeconds: 15 }
`),
    );
    expect(healthGateOptions(m.health, 'PT1H')).toEqual({
      windowMs: 60 * 60_000,
      looks: 4,
      rollback: true,
      rule: { confidence: 0.99, minExecutions: 500 },
      signals: {
        disconnects: { margin: 0.05 },
        exits: { reasons: ['FLOW_ERROR_EXIT', 'RECOGNITION_FAILURE_EXIT'], margin: 0.03 },
        outcomes: false,
        timeInFlow: { marginMs: 15_000 },
      },
    });
    const on = await loadManifest(manifest('  window: PT30M\n  signals: { timeInFlow: true }\n'));
    expect(healthGateOptions(on.health).signals?.timeInFlow).toEqual({ marginMs: 10_000 });
  });

  it('an exit reason the platform does not report is an error at its line and column, listing the known ones', async () => {
    const e = (await loadManifest(
      manifest('  window: PT30M\n  signals:\n    exits: { reasons: [FLOW_ERROR_EXIT, HUNG_UP] }\n'),
    ).catch((x: unknown) => x)) as { code: string; message: string };
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toMatch(
      /flowgate\.yaml:5:\d+: health\.signals\.exits\.reasons\.1: an exit reason the platform reports: DISCONNECT, /,
    );
  });
});
