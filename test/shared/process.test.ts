/**
 * The one liveness check every lock relies on (`shared/process.ts`) and the lock file built on it
 * (`shared/lock-file.ts`): a real child process that has exited is dead, this process is alive.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tryLock } from '../../src/shared/lock-file.js';
import { isProcessAlive } from '../../src/shared/process.js';

/** The pid of a real process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid!;
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}

describe('isProcessAlive', () => {
  it('this process is alive, an exited child is not', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(await deadPid())).toBe(false);
  });

  it('what is not one process (0 and negatives address groups, NaN, fractions) is not alive', () => {
    for (const pid of [0, -1, -process.pid, Number.NaN, 1.5]) expect(isProcessAlive(pid)).toBe(false);
  });
});

describe('tryLock', () => {
  const lockPath = () => join(mkdtempSync(join(tmpdir(), 'flowgate-lock-')), 'x.lock');

  it('a live holder keeps the lock; released, it is free again', () => {
    const path = lockPath();
    const first = tryLock(path);
    expect(first.acquired).toBe(true);
    expect(tryLock(path).acquired).toBe(false);
    if (first.acquired) first.release();
    const again = tryLock(path);
    expect(again.acquired).toBe(true);
    if (again.acquired) again.release();
  });

  it("a dead holder's lock is taken over; a lock that is not flowgate's is left alone", async () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify({ pid: await deadPid(), host: hostname(), nonce: 'n' }));
    const taken = tryLock(path);
    expect(taken.acquired).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    if (taken.acquired) taken.release();
    writeFileSync(path, 'not json');
    expect(tryLock(path).acquired).toBe(false);
  });
});
