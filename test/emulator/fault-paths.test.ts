// Issue 18 §3: a fault's path pattern runs against every request the emulator serves.
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/emulator/faults.js';
import { useEmulator } from '../helpers/emulator.js';

describe('fault path patterns', () => {
  it('(a+)+$ against a 5,000-character path ends, and still hits what it matches', () => {
    const faults = new FaultInjector(() => 0);
    faults.add({ path: '^/api/v2/flows/(a+)+$', status: 503 });
    expect(faults.decide('GET', `/api/v2/flows/${'a'.repeat(5000)}!`)).toEqual([]);
    expect(faults.decide('GET', `/api/v2/flows/${'a'.repeat(5000)}`)).toEqual([
      { kind: 'status', status: 503, phase: 'before' },
    ]);
  });

  it('a library caller adding a pattern RE2 cannot run is refused', () => {
    expect(() => new FaultInjector(() => 0).add({ path: '(a)\\1' })).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        extra: expect.objectContaining({ message: expect.stringContaining("'\\1'") }),
      }),
    );
  });

  const e = useEmulator();
  it('POST /__emulator/faults refuses a lookahead with 400, and takes an ordinary pattern', async () => {
    const post = (path: string) =>
      fetch(`${e.get().url}/__emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path, status: 503 }),
      });
    const refused = await post('^/api/v2/(?=flows)');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain("a lookahead '(?='");
    const taken = await post('^/api/v2/flows$');
    expect(taken.status).toBe(200);
    expect(await fetch(`${e.get().url}/api/v2/flows`)).toHaveProperty('status', 503);
  });
});
