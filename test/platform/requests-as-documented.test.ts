/**
 * Issue 21 §4 from flowgate's side: its client sends what the API documents. The aggregate job's
 * page size goes in the job's body (`FlowAsyncAggregationQuery.pageSize`), never as `?pageSize` on
 * the results call; a 409 lock names the holder from the flow, not from `ErrorBody.entityName`.
 */
import { describe, expect, it } from 'vitest';
import { clientFor, flowId, useEmulator } from '../helpers/emulator.js';

describe('flowgate’s requests as the API documents them', () => {
  const e = useEmulator();

  it('an aggregate job is paged by the pageSize of its body, and the results call carries only the cursor', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const urls: string[] = [];
    const { client } = clientFor(emu, {
      fetch: (input, init) => {
        urls.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    const now = emu.control.org.now();
    const query = {
      interval: `${new Date(now - 6 * 3600e3).toISOString()}/${new Date(now).toISOString()}`,
      granularity: 'PT1H',
      groupBy: ['flowId', 'flowVersion'],
      metrics: ['nFlow'],
    };
    const sync = await client.analytics.flowAggregates(query);
    const n = sync.results?.length ?? 0;
    expect(n).toBeGreaterThan(4);
    const advance = (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve());
    const viaJob = await client.analytics.flowAggregatesJob(query, {
      pageSize: 2,
      intervalMs: 20,
      sleep: advance,
    });
    expect(viaJob.results).toEqual(sync.results);
    const results = urls.filter((u) => u.includes('/results'));
    expect(results).toHaveLength(Math.ceil(n / 2));
    expect(results.every((u) => !u.includes('pageSize'))).toBe(true);
  });

  it('a lock refused by the platform names the holder the flow shows, whoever the body names', async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    const err = await client.flows.publish(flowId(emu, 'Sales IVR'), '1.0').catch((x: unknown) => x);
    expect(err).toMatchObject({ code: 'API_LOCKED', body: { entityName: 'Sales IVR' } });
    expect((err as { hint: string }).hint).toMatch(
      /^The flow is locked by user Alex Designer in Architect\./,
    );
  });
});
