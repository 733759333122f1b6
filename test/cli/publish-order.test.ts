/**
 * Issue 20 §4: `validate` and `deploy` derive dependencies and the publish order in one place, so
 * the order `validate` prints is the order `deploy` publishes in.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';

describe('one publish order', () => {
  const e = useEmulator();

  it('for [A→B, B, C] validate prints and deploy publishes B, A, C', async () => {
    const emu = e.get();
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: a.yaml\n  - file: b.yaml\n  - file: c.yaml\n',
      'a.yaml': inboundFlow('Flow A', { transferTo: 'Flow B' }),
      'b.yaml': inboundFlow('Flow B'),
      'c.yaml': inboundFlow('Flow C'),
    });
    const v = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(v.code).toBe(0);
    const printed = (JSON.parse(v.stdout) as { publishOrder: string[] }).publishOrder.map((f) =>
      f.replace(/^.*\//, ''),
    );
    // The pretty report says the same order, as the README promises.
    const pretty = await runCli(['validate'], { cwd: dir });
    expect(pretty.stdout).toMatch(/publish order: \S*b\.yaml, \S*a\.yaml, \S*c\.yaml\n/);
    const d = await runCli(['deploy', '--concurrency', '1'], {
      cwd: dir,
      env: {
        GENESYSCLOUD_BASE_URL: emu.url,
        GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
      },
    });
    expect(d.code).toBe(0);
    const published = emu.control
      .state()
      .audits.filter((a) => a.action === 'Publish' && a.status === 'SUCCESS')
      .map((a) => `${a.entityName.slice(-1).toLowerCase()}.yaml`);
    expect(printed).toEqual(['b.yaml', 'a.yaml', 'c.yaml']);
    expect(published).toEqual(printed);
  });
});
