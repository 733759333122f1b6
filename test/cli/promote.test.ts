/**
 * Issue 26 as a user runs it: `deploy --env dev`, `plan --env prod` showing the gates, `deploy
 * --env prod` refused (exit 3, GATE_UNMET), `approve`, `promote --from dev --to prod`, then
 * `history` and `status`; and the mistakes (an unknown `--from`, a typo in `requires`). Real child
 * processes against two emulator orgs; one SQLite ledger.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { inboundFlow, publishedVersion, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { twoEnvManifest } from '../helpers/environments.js';

const SECRET = 'promote-test-secret';
const SEED = { randomSeed: 5, flows: [] };

describe('flowgate promote and approve (child processes)', () => {
  const dev = useEmulator({ seed: SEED, clientSecret: SECRET });
  const prod = useEmulator({ seed: SEED, clientSecret: SECRET });
  const env = () => ({
    GENESYSCLOUD_OAUTHCLIENT_ID: dev.get().credentials.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: SECRET,
  });
  const folder = (requires: string) =>
    workspace({
      'flowgate.yaml': twoEnvManifest(dev.get(), prod.get(), requires),
      'a.yaml': inboundFlow('Promoted IVR', { say: '"{{ greeting }}"' }),
    });

  it('dev, the gates in the plan, a refused deploy, an approval, promote; history and status show the artifact and the gates', async () => {
    const dir = folder('{ passed: [dev], approvals: 1 }');
    const run = (args: string[]) => runCli(args, { env: env(), cwd: dir });
    const first = await run(['deploy', '--env', 'dev']);
    expect(first.code, first.stderr).toBe(0);

    const plan = await run(['plan', '--env', 'prod']);
    expect(plan.code, plan.stderr).toBe(3);
    const hash = /plan ([0-9a-f]{64})/.exec(plan.stdout)![1]!;
    expect(plan.stdout).toContain('✓ passed dev: 1 of 1 flow');
    expect(plan.stdout).toContain(`✗ approvals: 0 of 1 approval of plan ${hash.slice(0, 12)}…`);
    expect(plan.stdout).toContain(`flowgate approve ${hash}`);
    expect(plan.stdout).toContain('✗ gates not met');

    const refused = await run(['deploy', '--env', 'prod']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `error [GATE_UNMET] the deployment to prod is refused by its gates: approvals: plan ${hash}: 1 more approval needed`,
    );
    expect(publishedVersion(prod.get(), 'Promoted IVR')).toBeUndefined();

    const approved = await run([
      'approve',
      hash,
      '--env',
      'prod',
      '--as',
      'ci:release-bot',
      '--note',
      'CAB-42',
    ]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`^approved plan ${hash} \\(prod\\) as ci:release-bot \\(a-`));
    // The approval names the org of the environment it is for (prod's, from the manifest), and an
    // approval of a deployment names that deployment's org; with neither, the event says why.
    const devId = /deployment (d-\S+) planned/.exec(first.stderr)![1]!;
    expect((await run(['approve', devId, '--as', 'ci:release-bot'])).code).toBe(0);
    expect((await run(['approve', 'f'.repeat(64), '--as', 'ci:release-bot'])).code).toBe(0);
    const recorded = readFileSync(join(dir, '.flowgate', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { event: { type: string; org: string; message: string } }).event)
      .filter((e) => e.type === 'approval.recorded');
    expect(recorded.map((e) => e.org)).toEqual([prod.get().url, dev.get().url, '']);
    expect(recorded[0]!.message).toContain('CAB-42');
    expect(recorded[2]!.message).toContain('(no org: a plan hash does not say its org');

    // As the CI templates call it: the target by --env, the source from prod's requires.passed.
    const promoted = await run(['promote', '--manifest', 'flowgate.yaml', '--env', 'prod']);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stderr).toContain('promoting what passed in dev');
    expect(publishedVersion(prod.get(), 'Promoted IVR')).toBe('1.0');

    const history = await run(['history']);
    const rows = history.stdout.trim().split('\n').slice(1);
    const artifacts = rows.map((r) => /\b([0-9a-f]{12})\b/.exec(r)?.[1]);
    expect(artifacts).toHaveLength(2);
    expect(artifacts[0]).toBe(artifacts[1]);
    expect(rows[0]).toContain('passed dev, approvals');
    const id = /Deployment (d-\S+):/.exec(promoted.stdout)![1]!;
    const status = await run(['status', id]);
    expect(status.stdout).toContain(
      `gates of prod: ✓ passed dev (1 of 1 flow); ✓ approvals (1 of 1 approval of plan ${hash.slice(0, 12)}… (ci:release-bot))`,
    );
    expect(status.stdout).toContain(artifacts[0]!);
  }, 60_000);

  it('the mistakes: an unknown --from, a typo in requires, an approval of nothing', async () => {
    const dir = folder('{ passed: [dev] }');
    const run = (args: string[]) => runCli(args, { env: env(), cwd: dir });
    const from = await run(['promote', '--from', 'dve', '--to', 'prod']);
    expect(from.code).toBe(2);
    expect(from.stderr).toContain(
      "error [CONFIG_ENV] the manifest flowgate.yaml has no environment 'dve'; did you mean 'dev'?",
    );
    const typo = folder('{ passed: [dev], aprovals: 1 }');
    const bad = await runCli(['plan', '--env', 'prod'], { env: env(), cwd: typo });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /flowgate\.yaml:\d+:\d+: environments\.prod\.requires: unknown key 'aprovals'; did you mean `approvals`\?/,
    );
    const noTarget = await run(['promote', '--from', 'dev']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('error [USAGE_PROMOTE] promote needs the environment to promote to');
    const nothing = await run(['approve', 'd-none', '--as', 'me']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('error [APPROVE_TARGET]');
    // The hash as the plan's summary shortens it, with no credentials and no --as: the hash is
    // what is wrong, and is said first.
    const short = await runCli(['approve', '17f4138a010d…'], { cwd: workspace({}) });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("error [APPROVE_TARGET] '17f4138a010d…' is a shortened plan hash");
  }, 60_000);
});
