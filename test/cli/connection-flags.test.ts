/**
 * `--region` beats the whole environment, GENESYSCLOUD_BASE_URL included (a base URL left set from
 * an emulator session once silently kept a `--region` deploy on the emulator). Real child processes;
 * an unknown region proves which endpoint was chosen without reaching any network.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

describe('connection flags over the environment', () => {
  const e = useEmulator();

  it('--region is used although GENESYSCLOUD_BASE_URL names the emulator; --base-url beats both', async () => {
    const emu = e.get();
    const env = {
      GENESYSCLOUD_BASE_URL: emu.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
    };
    const onEnv = await runCli(['whoami'], { env });
    expect(onEnv.code, onEnv.stderr).toBe(0);
    const region = await runCli(['whoami', '--region', 'nowhere-1'], { env });
    expect(region.code).toBe(2);
    expect(region.stderr).toContain("[CONFIG_REGION] unknown Genesys Cloud region 'nowhere-1'");
    const both = await runCli(['whoami', '--region', 'nowhere-1', '--base-url', emu.url], { env });
    expect(both.code, both.stderr).toBe(0);
  });
});
