/**
 * The GitHub Action and the GitLab template: schema validity, what the npm package carries, and
 * the action's steps run as GitHub runs them (`bash --noprofile --norc -eo pipefail`, the
 * variables a runner sets, GITHUB_OUTPUT per step) against the emulator and a local GitHub.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepsshell
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type AnySchema } from 'ajv';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { inboundFlow, workspace } from '../helpers/deploy.js';
import { useEmulator } from '../helpers/emulator.js';
import { startForge } from '../helpers/forge.js';
import { runCli } from '../helpers/cli.js';

const ROOT = resolve('.');
const schema = (name: string) =>
  JSON.parse(readFileSync(join('test/fixtures/schemas', name), 'utf8')) as AnySchema;
const ajv = new Ajv({ allErrors: true, strict: false });
const ACTION = parse(readFileSync('action.yml', 'utf8')) as ActionYml;
const GITLAB = parse(readFileSync('ci/gitlab/flowgate.gitlab-ci.yml', 'utf8')) as Record<string, unknown>;
const published = process.env.FLOWGATE_PUBLISHED_SCHEMAS;
const hasPublished = (f: string) => Boolean(published && existsSync(join(published, f)));

interface ActionStep {
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const actionValid = ajv.compile(schema('github-action.schema.json'));

describe('schemas', () => {
  it('action.yml is valid composite-action metadata', () => {
    const valid = actionValid;
    expect(valid(ACTION), JSON.stringify(valid.errors)).toBe(true);
    // setup-node is pinned to a release, not a moving branch or major tag.
    expect(ACTION.runs.steps[0]!.uses).toMatch(/^actions\/setup-node@v\d+\.\d+\.\d+$/);
    // Inputs reach the scripts as environment variables only (never spliced into a run: injection).
    for (const s of ACTION.runs.steps) expect(s.run ?? '').not.toContain('${{');
  });

  it('the schema refuses what GitHub documents as wrong (so a pass means something)', () => {
    const valid = actionValid;
    const broken = structuredClone(ACTION) as unknown as { runs: { steps: Array<Record<string, unknown>> } };
    delete broken.runs.steps[1]!.shell;
    expect(valid(broken)).toBe(false);
  });

  // Registered only when the published schema is at hand (never a silent skip in the suite's count).
  if (hasPublished('github-action.json'))
    it('action.yml against SchemaStore github-action.json', () => {
      const valid = new Ajv({ strict: false }).compile(
        JSON.parse(readFileSync(join(published!, 'github-action.json'), 'utf8')) as AnySchema,
      );
      expect(valid(ACTION), JSON.stringify(valid.errors)).toBe(true);
    });

  it('the GitLab template is valid CI configuration with the same stages', () => {
    const valid = ajv.compile(schema('gitlab-ci.schema.json'));
    expect(valid(GITLAB), JSON.stringify(valid.errors)).toBe(true);
    expect(GITLAB.stages).toEqual(['validate', 'test', 'plan', 'deploy', 'promote']);
    const job = GITLAB['flowgate-validate'] as { artifacts: { reports: { codequality: string } } };
    expect(job.artifacts.reports.codequality).toBe('gl-code-quality-report.json');
    expect(
      valid({ ...GITLAB, 'flowgate-plan': { stage: 'plan', artifacts: { reports: { nope: 'x' } } } }),
    ).toBe(false);
  });

  // Registered only when the published schema is at hand (never a silent skip in the suite's count).
  if (hasPublished('gitlab-ci.json'))
    it("the GitLab template against GitLab's ci.json", () => {
      const valid = new Ajv({ strict: false }).compile(
        JSON.parse(readFileSync(join(published!, 'gitlab-ci.json'), 'utf8')) as AnySchema,
      );
      expect(valid(GITLAB), JSON.stringify(valid.errors)).toBe(true);
    });

  it('validate --format codequality is a GitLab Code Quality report', async () => {
    const dir = workspace({
      'flows/bad.yaml': 'inboundCall:\n  name: Bad\n  startUpRef: ./tasks/task[missing]\n',
    });
    const r = await runCli(['validate', 'flows/bad.yaml', '--format', 'codequality'], { cwd: dir });
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Array<{ fingerprint: string; location: { path: string } }>;
    const valid = ajv.compile(schema('gitlab-codequality.schema.json'));
    expect(valid(report), JSON.stringify(valid.errors)).toBe(true);
    expect(report.length).toBeGreaterThan(0);
    expect(report[0]!.location.path).toBe('flows/bad.yaml');
    expect(new Set(report.map((i) => i.fingerprint)).size).toBe(report.length);
  });
});

describe("the README's In CI section", () => {
  const readme = readFileSync('README.md', 'utf8');
  it('shows the GitLab template in full, and a workflow whose action steps give only its inputs', () => {
    expect(readme).toContain(readFileSync('ci/gitlab/flowgate.gitlab-ci.yml', 'utf8'));
    const block = /```yaml\n(# \.github\/workflows\/flows\.yml\n[\s\S]*?)```/.exec(readme)![1]!;
    const workflow = parse(block) as { jobs: Record<string, { steps: ActionStep[]; environment?: string }> };
    const uses = Object.values(workflow.jobs).flatMap((j) =>
      j.steps.filter((s) => s.uses?.startsWith('flowgate/')),
    );
    expect(uses.map((s) => s.with!.command)).toEqual(['validate', 'test', 'plan', 'deploy', 'promote']);
    for (const s of uses)
      for (const k of Object.keys(s.with!)) expect(Object.keys(ACTION.inputs)).toContain(k);
    expect(workflow.jobs['promote-prod']!.environment).toBe('prod');
  });
});

describe('the npm package', () => {
  it('carries what the action needs', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      encoding: 'utf8',
    });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    for (const f of [
      'action.yml',
      'ci/github/install.sh',
      'ci/github/run.sh',
      'ci/gitlab/flowgate.gitlab-ci.yml',
    ])
      expect(files).toContain(f);
  });
});

// ---- the action's steps, run as a runner runs them ----

const TOKEN = `ghs_${randomBytes(12).toString('hex')}`;

/** `${{ … }}` in the contexts action.yml uses; anything else fails the test. */
function evaluate(
  text: string,
  ctx: { inputs: Record<string, string>; steps: Record<string, Record<string, string>> },
) {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    let m: RegExpExecArray | null;
    if ((m = /^inputs\.([\w-]+)$/.exec(expr))) return ctx.inputs[m[1]!] ?? '';
    if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr))) return ctx.steps[m[1]!]?.[m[2]!] ?? '';
    if (expr === 'github.token') return TOKEN;
    throw new Error(`the test cannot evaluate \${{ ${expr} }}`);
  });
}

/** Reads a GITHUB_OUTPUT file (`name=value` lines). */
const outputsOf = (file: string) =>
  Object.fromEntries(
    (existsSync(file) ? readFileSync(file, 'utf8') : '')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

/** Runs action.yml's steps as a runner would; returns each step's code, output and outputs. */
async function runAction(given: Record<string, string>, base: Record<string, string>, cwd: string) {
  const inputs = Object.fromEntries(
    Object.entries(ACTION.inputs).map(([k, v]) => [
      k,
      given[k] ?? evaluate(v.default ?? '', { inputs: {}, steps: {} }),
    ]),
  );
  const steps: Record<string, Record<string, string>> = {};
  const log: Array<{ id?: string; uses?: string; code: number | null; stdout: string; stderr: string }> = [];
  for (const [i, step] of ACTION.runs.steps.entries()) {
    if (step.uses) {
      log.push({ uses: step.uses, code: 0, stdout: '', stderr: '' }); // setup-node: this machine's Node
      continue;
    }
    const output = join(base.RUNNER_TEMP!, `output-${i}`);
    const env: Record<string, string> = { ...base, GITHUB_OUTPUT: output };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = evaluate(v, { inputs, steps });
    const script = join(base.RUNNER_TEMP!, `step-${i}.sh`);
    writeFileSync(script, step.run!);
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    if (step.id) steps[step.id] = outputsOf(output);
    log.push({ ...(step.id ? { id: step.id } : {}), ...r });
    if (r.code !== 0) break;
  }
  const outputs = Object.fromEntries(
    Object.entries(ACTION.outputs).map(([k, v]) => [k, evaluate(v.value, { inputs, steps })]),
  );
  return { log, outputs, steps };
}

/** The variables a runner sets (https://docs.github.com/en/actions/reference/variables-reference), and a stub npm. */
function runnerEnv(dir: string, apiUrl: string, event: 'pull_request' | 'push') {
  const temp = join(dir, '_runner_temp');
  const stubs = join(dir, '_stubs');
  mkdirSync(temp, { recursive: true });
  mkdirSync(stubs, { recursive: true });
  // npm, as the install step calls it: records its arguments and "installs" this checkout's CLI.
  writeFileSync(
    join(stubs, 'npm'),
    `#!/usr/bin/env bash\necho "$@" >> "${join(temp, 'npm-calls')}"\nprefix="$3"\nmkdir -p "$prefix/node_modules/.bin"\nln -sf "${join(ROOT, 'bin/flowgate.js')}" "$prefix/node_modules/.bin/flowgate"\n`,
  );
  chmodSync(join(stubs, 'npm'), 0o755);
  const eventPath = join(temp, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify(
      event === 'pull_request'
        ? { action: 'synchronize', number: 17, pull_request: { number: 17 } }
        : { ref: 'refs/heads/main' },
    ),
  );
  return {
    PATH: `${stubs}:${process.env.PATH}`,
    HOME: dir,
    NO_COLOR: '1',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_WORKSPACE: dir,
    GITHUB_REPOSITORY: 'acme/flows',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: '0'.repeat(40),
    GITHUB_REF: event === 'pull_request' ? 'refs/pull/17/merge' : 'refs/heads/main',
    GITHUB_STEP_SUMMARY: join(temp, 'summary.md'),
    GITHUB_ENV: join(temp, 'env'),
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
  };
}

let close: Array<() => void> = [];
afterEach(() => {
  for (const c of close) c();
  close = [];
});

describe("the action's steps, run with a runner's variables", () => {
  const e = useEmulator();

  it('plan on a pull request: installs from npm, prints the plan, keeps one comment through two pushes', async () => {
    const emu = e.get();
    const forge = await startForge('github', { token: TOKEN });
    close.push(forge.close);
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: flows/main.yaml\nenvironments:\n  test: {}\n',
      'flows/main.yaml': inboundFlow('Action IVR'),
    });
    const base = {
      ...runnerEnv(dir, forge.url, 'pull_request'),
      GENESYSCLOUD_BASE_URL: emu.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
    };
    const first = await runAction({ command: 'plan', env: 'test' }, base, dir);
    const run = first.log.find((l) => l.id === 'run')!;
    expect(run.code, run.stderr).toBe(0);
    expect(first.log[0]!.uses).toMatch(/^actions\/setup-node@/);
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(readFileSync(join(base.RUNNER_TEMP, 'npm-calls'), 'utf8')).toBe(
      `install --prefix ${join(base.RUNNER_TEMP, `flowgate-${version}`)} --no-save --no-audit --no-fund flowgate@${version}\n`,
    );
    expect(run.stdout).toContain('Action IVR');
    expect(first.outputs.plan).toBe(join(base.RUNNER_TEMP, 'flowgate', 'plan.md'));
    expect(first.outputs['exit-code']).toBe('0');
    expect(first.outputs['comment-url']).toMatch(/#issuecomment-\d+$/);
    expect(readFileSync(base.GITHUB_STEP_SUMMARY, 'utf8')).toContain('Action IVR');
    expect(forge.comments).toHaveLength(1);
    expect(forge.comments[0]!.body.startsWith('<!-- flowgate:plan-test -->\n')).toBe(true);

    writeFileSync(join(dir, 'flows/main.yaml'), inboundFlow('Action IVR', { say: 'a second push' }));
    const second = await runAction({ command: 'plan', env: 'test' }, base, dir);
    expect(second.outputs['exit-code']).toBe('0');
    expect(forge.comments).toHaveLength(1);
    expect(forge.log.filter((l) => l.method === 'PATCH')).toHaveLength(0); // same plan text: unchanged
    expect(forge.problems).toEqual([]);
  });

  it('plan with a token that may not comment: the step fails with a clear error, the plan is in the log', async () => {
    const emu = e.get();
    const forge = await startForge('github', { token: TOKEN });
    close.push(forge.close);
    forge.faults.push({
      method: 'POST',
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: flows/main.yaml\n',
      'flows/main.yaml': inboundFlow('Fork IVR'),
    });
    const base = {
      ...runnerEnv(dir, forge.url, 'pull_request'),
      GENESYSCLOUD_BASE_URL: emu.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: emu.credentials.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: emu.credentials.clientSecret,
    };
    const r = await runAction({ command: 'plan', flowgate: join(ROOT, 'bin/flowgate.js') }, base, dir);
    const run = r.log.find((l) => l.id === 'run')!;
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('Fork IVR');
    expect(run.stderr).toContain('error [REVIEW_FORBIDDEN]');
    expect(run.stderr).not.toContain(TOKEN);
    expect(r.outputs['exit-code']).toBe('4');
    expect(existsSync(join(base.RUNNER_TEMP, 'npm-calls'))).toBe(false); // `flowgate:` given: no install
  });

  it('validate writes SARIF as an output file and exits 3 on errors; a push event posts no comment', async () => {
    const forge = await startForge('github', { token: TOKEN });
    close.push(forge.close);
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: flows/bad.yaml\n',
      'flows/bad.yaml': 'inboundCall:\n  name: Bad\n  startUpRef: ./tasks/task[missing]\n',
    });
    const base = runnerEnv(dir, forge.url, 'push');
    const r = await runAction({ command: 'validate' }, base, dir);
    const run = r.log.find((l) => l.id === 'run')!;
    expect(run.code).toBe(3);
    expect(r.outputs['exit-code']).toBe('3');
    const sarif = JSON.parse(readFileSync(r.outputs.sarif!, 'utf8')) as {
      version: string;
      runs: Array<{ results: unknown[] }>;
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/^::error /m); // annotations
    expect(forge.log).toHaveLength(0);
  });

  it("test runs with the manifest only, promote to the action's env with --from from args", async () => {
    const dir = workspace({
      'flowgate.yaml': 'version: 1\nflows:\n  - file: f.yaml\n',
      'f.yaml': inboundFlow('X'),
    });
    const base = runnerEnv(dir, 'http://127.0.0.1:9', 'push');
    // A stand-in flowgate that prints its arguments: the action does not know these commands' options.
    const echo = join(base.RUNNER_TEMP, 'echo-flowgate.js');
    writeFileSync(echo, 'console.log(JSON.stringify(process.argv.slice(2)));\n');
    const r = await runAction(
      { command: 'promote', env: 'prod', args: '--from test', flowgate: echo },
      base,
      dir,
    );
    expect(JSON.parse(r.log.find((l) => l.id === 'run')!.stdout)).toEqual([
      'promote',
      '--manifest',
      'flowgate.yaml',
      '--to',
      'prod',
      '--from',
      'test',
    ]);
    const t = await runAction({ command: 'test', env: 'prod', flowgate: echo }, base, dir);
    expect(JSON.parse(t.log.find((l) => l.id === 'run')!.stdout)).toEqual([
      'test',
      '--manifest',
      'flowgate.yaml',
    ]);
    const bad = await runAction({ command: 'destroy', flowgate: echo }, base, dir);
    expect(bad.log.find((l) => l.id === 'run')!.code).toBe(2);
  });
});
