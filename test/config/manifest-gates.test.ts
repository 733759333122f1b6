/** An environment's `requires:` in the manifest: read as written, and a slip is an error at its position. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/config/manifest.js';
import { workspace } from '../helpers/deploy.js';

const manifest = (prod: string) =>
  join(
    workspace({
      'flowgate.yaml': `version: 1
environments:
  dev: { org: { region: eu-west-1 } }
  test: { org: { region: eu-west-1 }, requires: { passed: [dev] } }
  prod:
    org: { region: us-east-1 }
${prod}flows:
  - file: a.yaml
`,
      'a.yaml': '',
    }),
    'flowgate.yaml',
  );

/** The message a manifest is refused with. */
async function refused(path: string, env?: string): Promise<string> {
  const e = await loadManifest(path, env).then(
    () => undefined,
    (err: Error) => err,
  );
  expect(e).toBeInstanceOf(Error);
  return e!.message;
}

describe('requires: in the manifest', () => {
  it("gives the chosen environment's gates, with where they are written, and every environment's name", async () => {
    const path = manifest('    requires: { passed: [test], healthy: true, approvals: 1 }\n');
    const m = await loadManifest(path, 'prod');
    expect(m.requires).toEqual({ passed: ['test'], healthy: true, approvals: 1 });
    expect(m.requiresAt).toBe(`${path}:7:15`);
    expect(m.environments).toEqual(['dev', 'test', 'prod']);
    expect((await loadManifest(path, 'dev')).requires).toBeUndefined();
  });

  it('a key that is not a gate: its position and the closest one', async () => {
    const path = manifest('    requires: { passed: [test], aprovals: 1 }\n');
    expect(await refused(path, 'prod')).toBe(
      `${path}:7:33: environments.prod.requires: unknown key 'aprovals'; did you mean \`approvals\`?`,
    );
  });

  it('an environment that does not exist, or the environment itself', async () => {
    const typo = manifest('    requires: { passed: [tset] }\n');
    expect(await refused(typo)).toMatch(
      new RegExp(
        `^${typo}:7:26: environments\\.prod\\.requires\\.passed\\.0: 'tset' is not an environment of this manifest \\(known: dev, test, prod\\); did you mean 'test'\\?`,
      ),
    );
    expect(await refused(manifest('    requires: { passed: [prod] }\n'))).toContain(
      "'prod' cannot require itself to have passed",
    );
    expect(await refused(manifest('    requires: { healthy: true }\n'))).toContain(
      "'healthy: true' judges the environments in 'passed': name them",
    );
  });
});
