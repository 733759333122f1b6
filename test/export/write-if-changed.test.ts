/**
 * New-user trial: a write to a path that cannot be written surfaced as `[INTERNAL] ENOENT … this is
 * a bug in flowgate`. Exported flow files that cannot be written are `OUTPUT_WRITE` naming the
 * path and the reason (real files in a temporary folder).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFlowgateError } from '../../src/errors.js';
import { writeIfChanged } from '../../src/export/export.js';

describe('writeIfChanged', () => {
  it('a folder that is a file: OUTPUT_WRITE naming the path and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-write-'));
    writeFileSync(join(dir, 'flows'), 'a file where the folder should be');
    const path = join(dir, 'flows', 'inboundcall', 'main.yaml');
    const e: unknown = await writeIfChanged(path, 'x: 1\n').catch((err: unknown) => err);
    expect(isFlowgateError(e) && e.code).toBe('OUTPUT_WRITE');
    expect((e as Error).message).toBe(
      `cannot write ${path} (export): a part of the path is a file, not a folder (ENOTDIR)`,
    );
  });

  it('writes, then leaves an unchanged file alone', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'flowgate-write-')), 'a', 'b.yaml');
    expect(await writeIfChanged(path, 'x: 1\n')).toBe('created');
    expect(await writeIfChanged(path, 'x: 1\n')).toBe('unchanged');
  });
});
