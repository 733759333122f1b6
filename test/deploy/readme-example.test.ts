/**
 * The README's library section deploys from code: its first block, run as written (only the
 * package name points at the sources) against the emulator, deploys and leaves a verified log.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { useEmulator } from '../helpers/emulator.js';
import { inboundFlow, publishedVersion, workspace } from '../helpers/deploy.js';

/** The first TypeScript block of the README's `## Library` section. */
function libraryExample(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('\n## Library\n'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md: no ts block in ## Library');
  return block;
}

describe("the README's library example", () => {
  const e = useEmulator();
  const cwd = process.cwd();
  const env = { ...process.env };
  const scratch = resolve('test', '.readme-example');
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
    process.chdir(cwd);
    process.env = env;
    vi.restoreAllMocks();
  });

  it('plans, records and runs a deployment, and the audit log it wrote verifies', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: main.yaml\n',
      'main.yaml': inboundFlow('Readme IVR'),
    });
    const code = libraryExample();
    expect(code).toContain("from 'flowgate'");
    // Inside the repository, so that vitest transforms it like any test file.
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, `example-${process.pid}.ts`);
    writeFileSync(
      file,
      code.replace("from 'flowgate'", `from '${pathToFileURL(resolve('src/index.ts')).href}'`),
    );
    process.env = {
      ...env,
      GENESYSCLOUD_BASE_URL: emu.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
      GENESYSCLOUD_REGION: undefined,
      GENESYSCLOUD_OAUTHCLIENT_SECRET_FILE: undefined,
    };
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    process.chdir(dir);
    await import(pathToFileURL(file).href);
    process.chdir(cwd);
    expect(log).toHaveBeenCalledWith('succeeded', true);
    expect(publishedVersion(emu, 'Readme IVR')).toBeDefined();
    const ledger = openSqliteLedger(join(dir, '.flowgate', 'ledger.db'));
    try {
      const [d] = await ledger.listDeployments();
      expect(d?.status).toBe('succeeded');
      expect((await ledger.calls(d!.id)).length).toBeGreaterThan(0);
    } finally {
      await ledger.close();
    }
  });
});
