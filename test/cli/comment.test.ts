/** `flowgate comment` through the real CLI (child processes) against a local GitHub and GitLab. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startForge } from '../helpers/forge.js';

const TOKEN = `ghs_${randomBytes(12).toString('hex')}`;
const PLAN = '## flowgate plan\n\n| flow | action |\n|---|---|\n| Main IVR | update |\n';

let close: Array<() => void> = [];
afterEach(() => {
  for (const c of close) c();
  close = [];
});

function files() {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-comment-'));
  writeFileSync(join(dir, 'plan.md'), PLAN);
  writeFileSync(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 17 } }));
  return dir;
}

describe('flowgate comment (child processes)', () => {
  it('posts, then updates, the one plan comment of the pull request', async () => {
    const f = await startForge('github', { token: TOKEN });
    close.push(f.close);
    const dir = files();
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/flows',
      GITHUB_API_URL: f.url,
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
      GITHUB_TOKEN: TOKEN,
    };
    const first = await runCli(['comment', '--file', join(dir, 'plan.md')], { env });
    expect(first.stderr).toContain('created the plan comment on acme/flows#17');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/#issuecomment-\d+\n$/);
    writeFileSync(join(dir, 'plan.md'), `${PLAN}| Queue | create |\n`);
    const second = await runCli(['comment', '--file', join(dir, 'plan.md'), '--json'], { env });
    expect(JSON.parse(second.stdout)).toMatchObject({ action: 'updated', where: 'acme/flows#17' });
    expect(f.comments).toHaveLength(1);
    expect(f.problems).toEqual([]);
  });

  it('a 403 exits 4 with a clear error, and the plan is still printed', async () => {
    const f = await startForge('github', { token: TOKEN });
    close.push(f.close);
    f.faults.push({
      method: 'POST',
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const dir = files();
    const r = await runCli(['comment', '--file', join(dir, 'plan.md')], {
      env: {
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/flows',
        GITHUB_API_URL: f.url,
        GITHUB_EVENT_PATH: join(dir, 'event.json'),
        GITHUB_TOKEN: TOKEN,
      },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('error [REVIEW_FORBIDDEN]');
    expect(r.stderr).toContain('Resource not accessible by integration');
    expect(r.stderr).toContain('| Main IVR | update |');
    expect(r.stderr + r.stdout).not.toContain(TOKEN);
  });

  it('GitLab: the merge request note from the CI variables, the plan from stdin', async () => {
    const f = await startForge('gitlab', { token: TOKEN });
    close.push(f.close);
    const r = await runCli(['comment', '--file', '-'], {
      input: PLAN,
      env: {
        GITLAB_CI: 'true',
        CI_API_V4_URL: f.url,
        CI_PROJECT_ID: '77',
        CI_MERGE_REQUEST_IID: '5',
        GITLAB_TOKEN: TOKEN,
      },
    });
    expect(r.stderr).toContain('created the plan comment on 77!5');
    expect(r.code).toBe(0);
    expect(f.comments[0]!.body).toBe(`<!-- flowgate:plan -->\n${PLAN}`);
  });
});
