/**
 * The hash chain of the audit log against a tamperer who knows the format: lines removed, inserted
 * or reordered and then *resealed* (sequence numbers renumbered from 1 and every entry's own hash
 * recomputed: both are plain SHA-256, anyone can). Only the link to the previous line can tell,
 * so verify must name the first line whose `prev` is not the hash of the line before it. The
 * expected line is derived from the tampering (property test over logs and positions).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryHash, lineHash, type AuditEntry } from '../../src/events/audit-entry.js';
import { AuditLog, verifyAuditText } from '../../src/events/audit-log.js';
import { newEvent } from '../../src/events/model.js';
import { runCli } from '../helpers/cli.js';

const event = (i: number) =>
  newEvent({
    type: 'step.published',
    time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    deploymentId: 'd-chain',
    actor: 'client-1',
    org: 'https://api.example',
    message: `event ${i}`,
  });

/** Renumbers the entries from 1 and recomputes each one's own hash over what it says (`prev` kept). */
function reseal(entries: AuditEntry[]): string {
  return entries
    .map((e, i) => JSON.stringify({ ...e, seq: i + 1, hash: entryHash(i + 1, e.prev, e.event) }))
    .map((l) => `${l}\n`)
    .join('');
}

/** A forged entry that chains correctly to the line before it (the tamperer does that right too). */
function forgedAfter(entries: AuditEntry[], at: number): AuditEntry {
  const before = reseal(entries.slice(0, at)).trimEnd().split('\n').at(-1);
  const prev = before ? lineHash(before) : '0'.repeat(64);
  const ev = event(999);
  return { seq: at + 1, prev, event: ev, hash: entryHash(at + 1, prev, ev) };
}

const dir = mkdtempSync(join(tmpdir(), 'flowgate-chain-'));
let logs = 0;

/** A real log of `n` entries written by the appender. */
async function realLog(n: number): Promise<AuditEntry[]> {
  const log = new AuditLog(join(dir, `log-${++logs}.jsonl`));
  for (let i = 1; i <= n; i++) await log.append(event(i));
  const text = readFileSync(log.path, 'utf8');
  expect(verifyAuditText(text)).toMatchObject({ ok: true, entries: n });
  return text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditEntry);
}

describe('the chain link catches resealed tampering', () => {
  it('property: a removal, an insertion or a reordering, resealed, fails at the first line it moved', async () => {
    const tamper = fc.oneof(
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 9 }), tamper, async (n, t) => {
        const entries = await realLog(n);
        let tampered: AuditEntry[];
        let firstBad: number;
        if (t.kind === 'remove') {
          // The last line removed is a cut tail: only an anchor catches that (audit-anchors test).
          const at = t.at % (n - 1);
          tampered = entries.filter((_, i) => i !== at);
          firstBad = at + 1;
        } else if (t.kind === 'insert') {
          // Chained right to its predecessor: the line after it is the one that no longer fits.
          const at = t.at % n;
          tampered = [...entries.slice(0, at), forgedAfter(entries, at), ...entries.slice(at)];
          firstBad = at + 2;
        } else {
          const i = t.at % n;
          const j = (i + 1 + (t.other % (n - 1))) % n;
          const [lo, hi] = [Math.min(i, j), Math.max(i, j)];
          tampered = [...entries];
          [tampered[lo], tampered[hi]] = [tampered[hi]!, tampered[lo]!];
          firstBad = lo + 1;
        }
        const r = verifyAuditText(reseal(tampered));
        expect(r).toMatchObject({ ok: false, line: firstBad });
        expect(r.ok === false && r.problem).toContain(
          'the previous entry is not the one this entry was chained to',
        );
      }),
      { numRuns: 60, seed: 22 },
    );
  });

  it('the CLI names the line of a resealed removal and exits 3', async () => {
    const entries = await realLog(4);
    const path = join(dir, 'resealed.jsonl');
    writeFileSync(path, reseal([entries[0]!, entries[2]!, entries[3]!]));
    const r = await runCli(['audit', 'verify', '--log', path]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`${path}:2: the previous entry is not the one this entry was chained to`);
  });
});
