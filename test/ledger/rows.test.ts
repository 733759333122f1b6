/**
 * The pure mappings under the SQL ledger: an optional text column a driver hands back as a number
 * (or a 64-bit integer) is still read as its text, and the transition table answers "no" for a
 * state it does not know instead of failing.
 */
import { describe, expect, it } from 'vitest';
import { callFromRow, stepFromRow } from '../../src/ledger/rows.js';
import { mayTransition } from '../../src/ledger/step-states.js';
import type { StepState } from '../../src/ledger/types.js';

const stepRow = {
  deployment_id: 'd1',
  idx: 0,
  flow_key: 'inboundcall:F',
  flow_name: 'F',
  flow_type: 'inboundcall',
  kind: 'import',
  created_flow: 0,
  state: 'planned',
  depends_on: '[]',
  updated_at: '2030-01-01T10:00:00.000Z',
};

describe('rows', () => {
  it('reads an optional column given as a number or a bigint as its text, and null as absent', () => {
    const s = stepFromRow({
      ...stepRow,
      target_version: 4,
      previous_version: 3n,
      flow_id: null,
      job_id: 'j',
    });
    expect([s.targetVersion, s.previousVersion, s.flowId, s.jobId]).toEqual(['4', '3', undefined, 'j']);
  });

  it('reads a call without a step index as none, and index 0 as step 0', () => {
    const r = {
      deployment_id: 'd1',
      at: 'a',
      method: 'GET',
      path: '/p',
      status: 200,
      attempts: 1,
      latency_ms: 1.5,
    };
    expect(callFromRow({ ...r, idx: null }).index).toBe(undefined);
    expect(callFromRow({ ...r, idx: 0 }).index).toBe(0);
  });
});

describe('mayTransition', () => {
  it('allows what the table allows and refuses a state the table does not know', () => {
    expect(mayTransition('planned', 'publishing')).toBe(true);
    expect(mayTransition('unchanged', 'publishing')).toBe(false);
    expect(mayTransition('archived' as StepState, 'planned')).toBe(false);
  });
});
