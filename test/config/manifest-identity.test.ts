/**
 * A deployment is resumed by the manifest it was made from, however its path is spelled: relative
 * or absolute, with `./` or `..`, through a symlink to the file or to its folder; another manifest
 * (a copy elsewhere) never matches. On real files in a temporary folder.
 */
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestIdentity, sameManifest } from '../../src/config/manifest-identity.js';
import { unfinishedDeployments } from '../../src/deploy/schedules.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';

function folder() {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'flowgate-identity-')));
  mkdirSync(join(root, 'repo', 'sub'), { recursive: true });
  const manifest = join(root, 'repo', 'flowgate.yaml');
  writeFileSync(manifest, 'version: 1\nflows: []\n');
  writeFileSync(join(root, 'copy.yaml'), 'version: 1\nflows: []\n');
  symlinkSync(manifest, join(root, 'link.yaml'));
  symlinkSync(join(root, 'repo'), join(root, 'repo-link'));
  return { root, manifest };
}

describe('the identity of a manifest', () => {
  it('is the same for every spelling of one file, and differs for another file', () => {
    const { root, manifest } = folder();
    const spellings = [
      manifest,
      join(root, 'repo', '.', 'flowgate.yaml'),
      join(root, 'repo', 'sub', '..', 'flowgate.yaml'),
      join(root, 'link.yaml'),
      join(root, 'repo-link', 'flowgate.yaml'),
      relative(process.cwd(), manifest),
    ];
    for (const p of spellings) {
      expect(manifestIdentity(p), p).toBe(manifest);
      expect(sameManifest(p, manifest), p).toBe(true);
    }
    expect(sameManifest(join(root, 'copy.yaml'), manifest)).toBe(false);
    expect(sameManifest(undefined, manifest)).toBe(false);
    expect(sameManifest(manifest, undefined)).toBe(false);
    expect(sameManifest(undefined, undefined)).toBe(true);
  });

  it('a file that is gone keeps its absolute path', () => {
    const { root } = folder();
    expect(manifestIdentity(join(root, 'repo', 'sub', '..', 'gone.yaml'))).toBe(
      join(root, 'repo', 'gone.yaml'),
    );
  });

  it('unfinishedDeployments finds a deployment recorded under another spelling of the manifest', async () => {
    const { root } = folder();
    const ledger = openSqliteLedger(join(root, 'ledger.db'));
    let minute = 0;
    const record = (id: string, m: string | undefined) => {
      const at = new Date(Date.UTC(2026, 11, 2, 10, minute++)).toISOString();
      return ledger.createDeployment(
        {
          id,
          createdAt: at,
          updatedAt: at,
          status: 'interrupted',
          actor: 'ci',
          org: 'https://api.one',
          manifest: m,
          atomic: true,
        },
        [],
      );
    };
    await record('by-link', join(root, 'link.yaml'));
    await record('dotted', join(root, 'repo', '.', 'flowgate.yaml'));
    await record('copy', join(root, 'copy.yaml'));
    await record('none', undefined);
    expect(
      await unfinishedDeployments(ledger, {
        manifest: join(root, 'repo-link', 'flowgate.yaml'),
        org: 'https://api.one',
      }),
    ).toEqual(['by-link', 'dotted']);
    expect(await unfinishedDeployments(ledger, { manifest: undefined, org: 'https://api.one' })).toEqual([
      'none',
    ]);
    await ledger.close();
  });
});
