/**
 * The emulator over an injected real clock: its simulated clock runs on it, and its request log
 * is stamped on the simulated clock (as its `Date` header is), so a moved clock shows in both.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';

describe('the emulator on an injected clock', () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });

  it('the simulated clock follows the injected one, and the request log uses it', async () => {
    let real = Date.parse('2032-05-06T07:00:00.000Z');
    emu = await startEmulator({ port: 0, clock: () => real, settings: { clockSpeed: 1 } });
    expect(emu.control.org.now()).toBe(real);
    real += 3_600_000;
    expect(emu.control.org.now()).toBe(Date.parse('2032-05-06T08:00:00.000Z'));
    emu.control.setClock({ advanceMs: 60_000 });
    const res = await fetch(`${emu.url}/api/v2/flows`);
    expect(res.status).toBe(401);
    expect(res.headers.get('date')).toBe('Thu, 06 May 2032 08:01:00 GMT');
    expect(emu.control.requests().at(-1)).toMatchObject({
      path: '/api/v2/flows',
      status: 401,
      at: '2032-05-06T08:01:00.000Z',
    });
  });
});
