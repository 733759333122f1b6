/**
 * The rule of a manifest's `health:` section and the gate's settings (`healthRule`,
 * `healthGateOptions`): pure functions, so each case is a whole object compared exactly. The
 * expected values come from the documented meaning (README, "The health gate"): every signal but
 * time in flow is on unless turned off; an object chooses a signal with its settings; `margin`
 * sets every rate signal that sets none; `timeInFlow: true` is a 10 s margin, `marginSeconds` a
 * margin in seconds (the gate works in ms); confidence, minimum executions, granularity and looks
 * are the gate's defaults unless given; the gate rolls back unless `rollback: false`; the window of
 * `--health-window` wins over the manifest's. `toStrictEqual` throughout: a key that is present
 * with `undefined` would override the gate's own default when spread, so "not given" must mean
 * "absent".
 */
import { describe, expect, it } from 'vitest';
import type { ManifestHealth } from '../../src/config/health-schema.js';
import { healthGateOptions, healthRule } from '../../src/deploy/health-gate.js';
import { ERROR_EXIT_REASONS } from '../../src/exit-reasons.js';

/** README's defaults: disconnects +2 points, the error exits +1 point, outcomes +1 point, no time in flow. */
const DEFAULTS = {
  disconnects: { margin: 0.02 },
  exits: { reasons: [...ERROR_EXIT_REASONS], margin: 0.01 },
  outcomes: { margin: 0.01 },
  timeInFlow: false,
};

const section = (extra: Partial<ManifestHealth> = {}): ManifestHealth => ({ window: 'PT30M', ...extra });

describe('healthRule: the rule of a manifest health: section', () => {
  it('without a section, or with one that chooses nothing: the defaults, no rule setting, no granularity', () => {
    expect(healthRule(undefined)).toStrictEqual({ rule: {}, signals: DEFAULTS });
    expect(healthRule(section())).toStrictEqual({ rule: {}, signals: DEFAULTS });
    expect(healthRule(section({ signals: {} }))).toStrictEqual({ rule: {}, signals: DEFAULTS });
  });

  it('on: false turns every signal off, whatever else the signal sets', () => {
    const off = healthRule(
      section({
        signals: {
          disconnects: { on: false },
          exits: { on: false, reasons: ['FLOW_ERROR_EXIT'], margin: 0.2 },
          outcomes: { on: false, margin: 0.3 },
          timeInFlow: { on: false, marginSeconds: 15 },
        },
      }),
    );
    expect(off).toStrictEqual({
      rule: {},
      signals: { disconnects: false, exits: false, outcomes: false, timeInFlow: false },
    });
  });

  it('one signal off leaves the others on with their defaults', () => {
    expect(healthRule(section({ signals: { outcomes: { on: false } } }))).toStrictEqual({
      rule: {},
      signals: { ...DEFAULTS, outcomes: false },
    });
  });

  it('a signal chosen with settings (with or without on: true) takes them; the section margin fills the rest', () => {
    const chosen = healthRule(
      section({
        margin: 0.03,
        signals: {
          disconnects: { margin: 0.05 },
          exits: { on: true, reasons: ['FLOW_ERROR_EXIT', 'USER_EXIT'] },
          outcomes: { on: true },
        },
      }),
    );
    expect(chosen).toStrictEqual({
      rule: {},
      signals: {
        disconnects: { margin: 0.05 },
        exits: { reasons: ['FLOW_ERROR_EXIT', 'USER_EXIT'], margin: 0.03 },
        outcomes: { margin: 0.03 },
        timeInFlow: false,
      },
    });
    // on: true with a margin: the margin, not the default.
    expect(
      healthRule(section({ signals: { disconnects: { on: true, margin: 0.07 } } })).signals,
    ).toStrictEqual({
      ...DEFAULTS,
      disconnects: { margin: 0.07 },
    });
  });

  it('time in flow: on is a 10 s margin; marginSeconds is converted to ms (0 stays 0); off is off', () => {
    const tif = (timeInFlow: NonNullable<ManifestHealth['signals']>['timeInFlow']) =>
      healthRule(section({ signals: { timeInFlow } }));
    expect(tif({ on: true })).toStrictEqual({
      rule: {},
      signals: { ...DEFAULTS, timeInFlow: { marginMs: 10_000 } },
    });
    expect(tif({})).toStrictEqual({ rule: {}, signals: { ...DEFAULTS, timeInFlow: { marginMs: 10_000 } } });
    expect(tif({ marginSeconds: 15 })).toStrictEqual({
      rule: {},
      signals: { ...DEFAULTS, timeInFlow: { marginMs: 15_000 } },
    });
    expect(tif({ on: true, marginSeconds: 2.5 }).signals.timeInFlow).toStrictEqual({ marginMs: 2_500 });
    expect(tif({ marginSeconds: 0 }).signals.timeInFlow).toStrictEqual({ marginMs: 0 });
    expect(tif({ on: false }).signals.timeInFlow).toBe(false);
  });

  it('confidence, minimum executions and granularity are copied when given, and only then', () => {
    expect(healthRule(section({ confidence: 0.99, minExecutions: 500, granularity: 'PT15M' }))).toStrictEqual(
      {
        rule: { confidence: 0.99, minExecutions: 500 },
        signals: DEFAULTS,
        granularity: 'PT15M',
      },
    );
    expect(healthRule(section({ confidence: 0.9 }))).toStrictEqual({
      rule: { confidence: 0.9 },
      signals: DEFAULTS,
    });
    expect(healthRule(section({ minExecutions: 1 }))).toStrictEqual({
      rule: { minExecutions: 1 },
      signals: DEFAULTS,
    });
    expect(healthRule(section({ granularity: 'PT1M' }))).toStrictEqual({
      rule: {},
      signals: DEFAULTS,
      granularity: 'PT1M',
    });
  });
});

describe('healthGateOptions: the gate settings', () => {
  it('the manifest window in ms, the gate rolling back by default, no looks unless given', () => {
    expect(healthGateOptions(section())).toStrictEqual({
      windowMs: 30 * 60_000,
      rollback: true,
      rule: {},
      signals: DEFAULTS,
    });
  });

  it('looks and rollback: false are copied, with the rule of the section', () => {
    expect(
      healthGateOptions(
        section({ window: 'PT2H', looks: 5, rollback: false, confidence: 0.99, granularity: 'PT1M' }),
      ),
    ).toStrictEqual({
      windowMs: 2 * 60 * 60_000,
      looks: 5,
      rollback: false,
      rule: { confidence: 0.99 },
      signals: DEFAULTS,
      granularity: 'PT1M',
    });
    expect(healthGateOptions(section({ rollback: true })).rollback).toBe(true);
  });

  it('the window given (--health-window) wins over the manifest one, and serves without a section', () => {
    expect(healthGateOptions(section({ window: 'PT30M', looks: 2 }), 'PT1H')).toStrictEqual({
      windowMs: 60 * 60_000,
      looks: 2,
      rollback: true,
      rule: {},
      signals: DEFAULTS,
    });
    expect(healthGateOptions(undefined, 'PT10M')).toStrictEqual({
      windowMs: 10 * 60_000,
      rollback: true,
      rule: {},
      signals: DEFAULTS,
    });
  });

  it('without any window: a RangeError saying so', () => {
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      throw new Error('did not throw');
    };
    for (const e of [
      thrown(() => healthGateOptions(undefined)),
      thrown(() => healthGateOptions(undefined, undefined)),
    ]) {
      expect(e).toBeInstanceOf(RangeError);
      expect((e as RangeError).message).toBe('the health gate needs a window');
    }
  });
});
