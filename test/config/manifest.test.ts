/** The deployment manifest: environments, existing flows, activation times, and clear errors with positions. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDeployment } from '../../src/config/deployment.js';
import { loadManifest } from '../../src/config/manifest.js';
import { workspace } from '../helpers/deploy.js';

describe('manifest', () => {
  const dir = workspace({
    'flowgate.yaml': `version: 1
org: { region: eu-west-1 }
environments:
  prod:
    org: { baseUrl: https://api.example.test, secretFile: prod.secret }
    substitutions: { queue: Support-Prod }
substitutions: { queue: Support, company: Acme }
flows:
  - file: a.yaml
    substitutions: { queue: Support-A }
  - name: Authenticate Caller
    type: CommonModule
    version: 2
    definition: auth.json
    expectCheckedIn: '2.0'
    activateAt: 2026-12-01T06:00:00+01:00
`,
    'a.yaml': 'inboundCall:\n  name: "{{ company }} {{ queue }}"\n',
    'auth.json': '{"nodes":[{"id":"a"}],"edges":[]}',
  });

  it('reads existing flows, versions, activation times and the org', async () => {
    const m = await loadManifest(join(dir, 'flowgate.yaml'));
    expect(m.org).toEqual({ region: 'eu-west-1' });
    expect(m.flows[1]).toMatchObject({
      existing: { name: 'Authenticate Caller', type: 'commonmodule', version: '2.0', expectCheckedIn: '2.0' },
      definition: join(dir, 'auth.json'),
      activateAt: '2026-12-01T05:00:00.000Z',
    });
    expect(m.flows[0]!.substitutions).toEqual({ queue: 'Support-A', company: 'Acme' });
  });

  it('--env picks the environment: its org (secret file resolved) and its values win over the per-flow ones', async () => {
    const d = await loadDeployment(join(dir, 'flowgate.yaml'), { env: 'prod' });
    expect(d.manifest!.org).toEqual({
      baseUrl: 'https://api.example.test',
      baseUrlAt: expect.stringMatching(/flowgate\.yaml:\d+:\d+$/),
      secretFile: join(dir, 'prod.secret'),
    });
    expect(d.inputs[0]!.substitutions.queue).toBe('Support-Prod');
    // The existing flow's definition is validated too.
    expect(d.inputs.map((i) => i.file.endsWith('auth.json') || i.file.endsWith('a.yaml'))).toEqual([
      true,
      true,
    ]);
  });

  it('an unknown environment is a usage error naming the known ones', async () => {
    await expect(loadDeployment(join(dir, 'flowgate.yaml'), { env: 'staging' })).rejects.toMatchObject({
      code: 'CONFIG_ENV',
      hint: expect.stringContaining('prod'),
    });
  });

  const bad = async (flows: string) => {
    const d = workspace({ 'flowgate.yaml': `version: 1\nflows:\n${flows}` });
    return loadManifest(join(d, 'flowgate.yaml')).catch(
      (e: unknown) => e as { code: string; message: string },
    );
  };

  it('an activateAt without a UTC offset is an error at its line and column', async () => {
    const e = (await bad('  - file: a.yaml\n    activateAt: 2026-12-01T06:00:00\n')) as {
      code: string;
      message: string;
    };
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toMatch(
      /flowgate\.yaml:4:17: flows\.0\.activateAt: must be an ISO-8601 time with a UTC offset/,
    );
  });

  it('an existing flow without a version, or with file too, says what is missing', async () => {
    expect(((await bad('  - name: X\n    type: inboundcall\n')) as { message: string }).message).toContain(
      "needs the 'version' to publish",
    );
    expect(
      ((await bad("  - name: X\n    file: a.yaml\n    version: '1.0'\n")) as { message: string }).message,
    ).toContain("either 'file' or an existing flow");
    expect(((await bad("  - name: X\n    version: '1.0'\n")) as { message: string }).message).toContain(
      "'id', or both 'name' and 'type'",
    );
  });
});
