/**
 * A deployment's report from the ledger (src/deploy/report.ts): calls, attempts and latency per
 * step and in all, 429s counted, the step's content and source left out; the nearest-rank
 * quantile against its definition.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { deploymentReport, quantile } from '../../src/deploy/report.js';
import type { CallRow, Ledger } from '../../src/ledger/types.js';
import { deploymentRecord, stepRecord, tempLedger } from '../helpers/ledger-records.js';

describe('quantile (nearest rank)', () => {
  it('none of no values; the smallest value v with at least q of the values at or below it', () => {
    expect(quantile([], 0.5)).toBeNull();
    // The definition, by brute force: the first sorted value whose rank covers q of them.
    const oracle = (values: number[], q: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted.find((_, i) => (i + 1) / sorted.length >= q) ?? sorted[sorted.length - 1]!;
    };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const before = [...values];
          expect(quantile(values, q)).toBe(oracle(values, q));
          expect(values).toEqual(before); // the caller's array is not sorted in place
        },
      ),
    );
    expect(quantile([30, 10, 20, 40], 0.5)).toBe(20);
    expect(quantile([30, 10, 20, 40], 0.95)).toBe(40);
    expect(quantile([30, 10, 20, 40], 0)).toBe(10);
  });
});

describe('deploymentReport', () => {
  let ledger: Ledger | undefined;
  afterEach(async () => {
    await ledger?.close();
    ledger = undefined;
  });
  const call = (index: number | undefined, status: number, attempts: number, latencyMs: number): CallRow => ({
    deploymentId: 'd1',
    ...(index !== undefined ? { index } : {}),
    at: '2030-01-07T08:00:01.000Z',
    method: 'GET',
    path: '/api/v2/flows',
    status,
    attempts,
    latencyMs,
  });

  it('no report for a deployment the ledger does not have', async () => {
    ledger = tempLedger('report');
    expect(await deploymentReport(ledger, 'nowhere')).toBeUndefined();
  });

  it('per step and in all: calls, attempts over retries, p50 and p95 of latency, 429s; no content or source', async () => {
    ledger = tempLedger('report');
    await ledger.createDeployment(deploymentRecord('d1'), [
      stepRecord('d1', 0, { content: 'secret flow text', source: 'the source text' }),
      stepRecord('d1', 1),
      stepRecord('d1', 2),
    ]);
    for (const c of [
      call(0, 200, 1, 10),
      call(0, 429, 3, 50),
      call(0, 200, 1, 30),
      call(1, 200, 2, 5),
      // A call of no step (the listing before the first): in the totals only.
      call(undefined, 429, 1, 100),
    ])
      await ledger.recordCall(c);
    const report = (await deploymentReport(ledger, 'd1'))!;
    expect(report.deployment.id).toBe('d1');
    expect(report.steps.map((s) => [s.index, s.calls, s.attempts, s.latencyP50Ms, s.latencyP95Ms])).toEqual([
      [0, 3, 5, 30, 50],
      [1, 1, 2, 5, 5],
      [2, 0, 0, null, null],
    ]);
    expect(report.steps[0]).not.toHaveProperty('content');
    expect(report.steps[0]).not.toHaveProperty('source');
    expect(report.steps[0]!.flowName).toBe('Flow 0');
    expect(report.totals).toEqual({
      calls: 5,
      attempts: 8,
      rateLimited: 2,
      latencyP50Ms: 30,
      latencyP95Ms: 100,
    });
    expect(report.events).toEqual(await ledger.events('d1'));
  });
});
