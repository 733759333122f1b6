/**
 * Taking a flow's Architect lock (src/deploy/step-context.ts, `takeLock`): a lock of this client
 * is its own; someone else's stops the step with who holds it and what to do, unless
 * `--force-unlock`, which notes whose lock it was and then unlocks. Only the ledger and the client
 * it touches are stood in for: the rule is the function's, what the platform does is tested in
 * step-verification.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { takeLock, type StepContext } from '../../src/deploy/step-context.js';
import { FlowgateError } from '../../src/errors.js';
import type { Flow } from '../../src/platform/schemas.js';
import { stepRecord } from '../helpers/ledger-records.js';

function context(forceUnlock: boolean) {
  const notes: string[] = [];
  const unlocked: string[] = [];
  /** Both, in the order they happened. */
  const order: string[] = [];
  const c = {
    forceUnlock,
    me: 'my-client',
    ledger: {
      note: (_d: string, _i: number, _p: unknown, detail: string) => {
        notes.push(detail);
        order.push('note');
        return Promise.resolve();
      },
    },
    client: {
      flows: {
        unlock: (id: string) => {
          unlocked.push(id);
          order.push('unlock');
          return Promise.resolve();
        },
      },
    },
  } as unknown as StepContext;
  return { c, notes, unlocked, order };
}
const step = stepRecord('d1', 0, { flowName: 'Main IVR' });
const flow = (lock: Partial<Flow>) => ({ id: 'f-1', name: 'Main IVR', ...lock }) as Flow;

describe('takeLock', () => {
  it('an unlocked flow, or one this client holds: nothing to do', async () => {
    for (const f of [flow({}), flow({ lockedClient: { id: 'my-client', name: 'Me' } })]) {
      const { c, notes, unlocked } = context(false);
      await takeLock(f, step, c);
      expect([notes, unlocked]).toEqual([[], []]);
    }
  });

  it("someone else's lock stops the step: API_LOCKED naming the holder, with the hint and the holder in details", async () => {
    const { c, notes, unlocked } = context(false);
    const error = await takeLock(flow({ lockedUser: { id: 'u-1', name: 'Ana' } }), step, c).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FlowgateError);
    expect(error).toMatchObject({
      code: 'API_LOCKED',
      message: 'Main IVR is locked in Architect by user Ana',
      hint: 'Ask them to check it in, or force-unlock it (needs architect:flow:unlock).',
      details: { holder: 'user Ana' },
    });
    expect([notes, unlocked]).toEqual([[], []]);
  });

  it('with --force-unlock: the holder noted in the ledger first, then the flow unlocked', async () => {
    const { c, notes, unlocked, order } = context(true);
    await takeLock(flow({ lockedClient: { id: 'other', name: 'Flow editor' } }), step, c);
    expect(order).toEqual(['note', 'unlock']);
    expect(notes).toEqual(['force-unlocking: the lock was held by OAuth client Flow editor']);
    expect(unlocked).toEqual(['f-1']);
  });
});
