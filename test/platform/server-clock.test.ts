/** The platform's clock as the client learns it from the `Date` header of every answer. */
import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/platform/server-clock.js';
import { clientFor, useEmulator } from '../helpers/emulator.js';

describe("the platform's clock", () => {
  const e = useEmulator();

  it("follows the emulator's clock moved three days ahead, not this machine's", async () => {
    const emu = e.get();
    const { client } = clientFor(emu);
    expect(client.serverNow()).toBeUndefined(); // no answer yet
    // Frozen, so the time a response spends in transit does not count: only the Date's resolution.
    emu.control.setClock({ speed: 0, advanceMs: 3 * 86_400_000 });
    await client.flows.list();
    const res = await fetch(`${emu.url}/api/v2/flows`);
    expect(Date.parse(res.headers.get('date')!)).toBeGreaterThan(Date.now() + 2 * 86_400_000);
    // The Date header has whole seconds.
    expect(Math.abs(client.serverNow()! - emu.control.org.now())).toBeLessThan(1_000);
  });

  it('keeps its last reading through answers without a usable Date, and advances with local time', () => {
    let local = 1_000_000;
    const clock = new ServerClock(() => local);
    clock.observe('Tue, 01 Dec 2026 12:00:00 GMT');
    clock.observe(null);
    clock.observe('not a date');
    local += 5_000;
    expect(clock.now()).toBe(Date.parse('2026-12-01T12:00:05Z'));
  });
});
