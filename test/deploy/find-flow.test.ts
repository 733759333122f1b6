/**
 * The one flow a command line names (`flowgate diff "<flow>" [--type t] --versions a b`): by id,
 * `type:name`, or a name with its type apart. The platform allows one name per type, so a name
 * alone may be several flows' names: an error listing each with its type and id, never the first
 * the org happens to list.
 */
import { describe, expect, it } from 'vitest';
import { findFlow } from '../../src/deploy/find-flow.js';
import { isFlowgateError } from '../../src/errors.js';
import type { Flow } from '../../src/platform/schemas.js';

// The in-queue flow is listed first, as the org listed it in the trial.
const FLOWS: Flow[] = [
  { id: 'q-1', name: 'Twin', type: 'INQUEUECALL' },
  { id: 'c-1', name: 'Twin', type: 'INBOUNDCALL' },
  { id: 'm-1', name: 'Main IVR', type: 'INBOUNDCALL' },
  { id: 'Twin:x', name: 'Oddly named', type: 'WORKFLOW' },
];

/** The error `findFlow` throws for `ref`. */
function errorOf(ref: Parameters<typeof findFlow>[1], context?: Parameters<typeof findFlow>[2]) {
  try {
    findFlow(FLOWS, ref, context);
  } catch (e) {
    if (isFlowgateError(e)) return e;
    throw e;
  }
  throw new Error('findFlow found a flow');
}

describe('findFlow', () => {
  it('a name of several flows is FLOW_AMBIGUOUS: each match by type (sorted) and id, and how to name one', () => {
    const e = errorOf({ flow: 'Twin' }, { details: { versions: ['1.0', '2.0'] } });
    expect(e.code).toBe('FLOW_AMBIGUOUS');
    expect(e.message).toBe("the org has 2 flows named 'Twin': inboundcall (id c-1), inqueuecall (id q-1)");
    expect(e.hint).toBe('Name one with its type (inboundcall:Twin or inqueuecall:Twin) or by its id.');
    expect(e.details).toEqual({
      versions: ['1.0', '2.0'],
      flow: 'Twin',
      matches: [
        { type: 'inboundcall', id: 'c-1' },
        { type: 'inqueuecall', id: 'q-1' },
      ],
    });
    expect(errorOf({ flow: 'Twin' }, { orgLabel: 'prod' }).message).toBe(
      "prod has 2 flows named 'Twin': inboundcall (id c-1), inqueuecall (id q-1)",
    );
  });

  it('a type, given apart (any case) or as type:name, chooses among them', () => {
    expect(findFlow(FLOWS, { flow: 'Twin', type: 'inboundcall' }).id).toBe('c-1');
    expect(findFlow(FLOWS, { flow: 'Twin', type: 'INQUEUECALL' }).id).toBe('q-1');
    expect(findFlow(FLOWS, { flow: 'inboundcall:Twin' }).id).toBe('c-1');
    expect(findFlow(FLOWS, { flow: 'InQueueCall:Twin' }).id).toBe('q-1');
  });

  it('a name of one flow needs no type; an id is found before any name', () => {
    expect(findFlow(FLOWS, { flow: 'Main IVR' }).id).toBe('m-1');
    expect(findFlow(FLOWS, { flow: 'q-1' }).id).toBe('q-1');
    // An id with a colon is not read as type:name.
    expect(findFlow(FLOWS, { flow: 'Twin:x' }).id).toBe('Twin:x');
  });

  it('with a type given apart, the name is taken as written (a colon in it is no type)', () => {
    const e = errorOf({ flow: 'inboundcall:Twin', type: 'inboundcall' });
    expect(e.code).toBe('FLOW_NOT_FOUND');
    expect(e.message).toBe("the org has no inboundcall flow 'inboundcall:Twin'");
  });

  it('a type the name has no flow of is FLOW_NOT_FOUND, the same name of other types suggested first', () => {
    const e = errorOf({ flow: 'Twin', type: 'workflow' }, { orgLabel: 'test' });
    expect(e.code).toBe('FLOW_NOT_FOUND');
    expect(e.message).toBe("test has no workflow flow 'Twin'");
    expect(e.hint).toBe("Did you mean 'inboundcall:Twin' or 'inqueuecall:Twin'?");
    expect(e.details).toEqual({
      flow: 'Twin',
      type: 'workflow',
      closest: ['inboundcall:Twin', 'inqueuecall:Twin'],
    });
    const prefixed = errorOf({ flow: 'workflow:Twin' });
    expect(prefixed.message).toBe("the org has no flow 'workflow:Twin'");
    expect(prefixed.hint).toBe("Did you mean 'inboundcall:Twin' or 'inqueuecall:Twin'?");
  });

  it('a name no flow has: the closest names, or how flows are named', () => {
    const close = errorOf({ flow: 'Main IRV' });
    expect(close.message).toBe("the org has no flow 'Main IRV'");
    expect(close.hint).toBe("Did you mean 'inboundcall:Main IVR'?");
    expect(close.details).toEqual({ flow: 'Main IRV', closest: ['inboundcall:Main IVR'] });
    const far = errorOf({ flow: 'Zzzzzzzz' });
    expect(far.hint).toBe(
      'A flow is named by its name, type:name (inboundcall:Main IVR) or id; the org has 4 flows.',
    );
    expect(far.details).toEqual({ flow: 'Zzzzzzzz' });
  });
});
