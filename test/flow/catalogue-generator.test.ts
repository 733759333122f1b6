/**
 * The catalogue generator (scripts/catalogue/generate.ts), run as `npm run catalogue` runs it, on
 * excerpts of the SDK's pages (test/fixtures/sdk-docs, cited in its README).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '../../src/flow/graph/archy/catalogue/types.js';

const COMMIT = 'a8d8a5d7dd5fbc1795a571c7a0cc87863b8be2ab';
const FIXTURE = 'test/fixtures/sdk-docs';
const EXPECTED = 'test/fixtures/sdk-docs-catalogue.json';
const dir = mkdtempSync(join(tmpdir(), 'flowgate-catalogue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generate(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/catalogue/generate.ts', ...args], {
    encoding: 'utf8',
  });
}

describe('the catalogue generator', () => {
  it('writes, from the fixture pages, exactly the expected file (the commit it was given recorded)', () => {
    const out = join(dir, 'actions.json');
    const r = generate('--docs', FIXTURE, '--commit', COMMIT, '--out', out);
    expect(r.stderr).toContain(`from 19 pages at ${COMMIT}`);
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(EXPECTED, 'utf8'));
  });

  it('reads outputs through the whole Extends chain, fake success, endings, dynamic outputs and the factory', () => {
    const c = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Catalogue;
    const by = (k: string) => c.actions.find((a) => a.key === k)!;
    // ArchActionCallData's own page lists no output: failure is on ArchBaseActionWithOutputsSuccessFailure.
    expect(by('callData').outputs).toEqual(['failure', 'success', 'timeout']);
    expect(by('decision').outputs).toEqual(['no', 'yes']);
    expect(by('transferToAcd')).toMatchObject({
      outputs: ['failure'],
      fakeSuccess: true,
      exits: 'onSuccess',
    });
    expect(by('disconnect')).toMatchObject({ terminal: true, exits: 'always' });
    expect(by('switch')).toMatchObject({ outputs: ['default'], dynamicOutputs: 'cases' });
    expect(by('endWorkflow')).toMatchObject({ terminal: true, flowTypes: ['workflow'] });
    expect(by('completeSend')).toMatchObject({
      outputs: [],
      flowTypes: ['emailsend'],
      placement: ['output', 'task'],
    });
    expect(c.choices).toEqual([
      { key: 'menuDisconnect', class: 'ArchMenuDisconnect', action: 'disconnect', aliases: [] },
    ]);
    expect(c.notActions.map((x) => x.class)).toEqual(['ArchActionOutput']);
  });

  it('--check exits 0 on the same file and 1 on any other; --docs without --commit is refused', () => {
    const same = generate('--docs', FIXTURE, '--commit', COMMIT, '--out', EXPECTED, '--check');
    expect([same.status, same.stderr.trim()]).toEqual([0, `${EXPECTED} is up to date`]);
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, readFileSync(EXPECTED, 'utf8').replace('"timeout"', '"timeOut"'));
    expect(generate('--docs', FIXTURE, '--commit', COMMIT, '--out', changed, '--check').status).toBe(1);
    const bare = generate('--docs', FIXTURE);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('--docs needs --commit');
  });

  // The committed catalogue was written from the fetched SDK repository; where a copy is named
  // (FLOWGATE_SDK_GIT), the generator must reproduce it byte for byte. Registered only then: the
  // repository is not part of this project (never a silent skip in the suite's count).
  const mirror = process.env.FLOWGATE_SDK_GIT;
  if (mirror !== undefined && existsSync(mirror))
    it('reproduces src/flow/graph/archy/catalogue/actions.json from the SDK repository', () => {
      const committed = JSON.parse(
        readFileSync('src/flow/graph/archy/catalogue/actions.json', 'utf8'),
      ) as Catalogue;
      const r = generate('--git', mirror, '--rev', committed.source.commit, '--check');
      expect([r.status, r.stderr.trim()]).toEqual([
        0,
        'src/flow/graph/archy/catalogue/actions.json is up to date',
      ]);
    });
});
