/**
 * The repository as a new user installs it: no npm warning about its own settings, better-sqlite3
 * built from source without any download attempt, a LICENSE matching package.json, and browser
 * tests that cannot pass in silence on CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumDecision } from './helpers/chromium.js';

/** An environment without npm's own variables (`npm test` exports every setting as npm_config_*). */
const cleanEnv = () => ({ PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), 'flowgate-home-')) });

describe('installing', () => {
  it('npm reads the project .npmrc without a warning about an unknown key', () => {
    const r = spawnSync('npm', ['config', 'get', 'engine-strict'], { env: cleanEnv(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('true');
    expect(r.stderr).not.toMatch(/warn/i);
  });

  it('prebuild-install, run for better-sqlite3 in the project, is told to build from source (no download)', () => {
    // bin.js exits 1 before any download when buildFromSource is set; `|| node-gyp rebuild` then builds.
    const rc = createRequire(import.meta.url).resolve('prebuild-install/rc.js');
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `process.stdout.write(JSON.stringify(require(${JSON.stringify(rc)})({ name: 'better-sqlite3' }).buildFromSource))`,
      ],
      { env: cleanEnv(), encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toBe(true);
  });
});

describe('the license', () => {
  it('LICENSE holds the MIT text that package.json names', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { license: string };
    const text = readFileSync('LICENSE', 'utf8');
    expect(pkg.license).toBe('MIT');
    expect(text.split('\n')[0]).toBe('MIT License');
    expect(text).toContain('Copyright (c) 2026 the flowgate authors');
    expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});

describe('the browser tests without Chromium', () => {
  // The one browser named is not there: what a machine without Chromium looks like.
  const none = { FLOWGATE_CHROMIUM: '/nonexistent/chromium' };
  it('run when Chromium is there', () => {
    expect(chromiumDecision({ FLOWGATE_CHROMIUM: process.execPath })).toMatchObject({ kind: 'run' });
  });
  it('are skipped on a laptop, and fail under CI=true saying what is missing', () => {
    expect(chromiumDecision(none)).toMatchObject({ kind: 'skip' });
    const ci = chromiumDecision({ ...none, CI: 'true' });
    expect(ci.kind).toBe('fail');
    expect(ci.kind !== 'run' && ci.reason).toMatch(/Chromium was not found.*apt-get install chromium/);
  });

  it('the browser test file itself, under CI=true with no Chromium, fails naming what is missing', () => {
    // Its own vitest run, without the suite's PostgreSQL set-up (this file needs none).
    const config = join(mkdtempSync(join(tmpdir(), 'flowgate-vitest-')), 'vitest.config.mjs');
    writeFileSync(
      config,
      `export default { root: ${JSON.stringify(process.cwd())}, test: { include: ['test/adoption/report-browser.test.ts'] } };\n`,
    );
    const vitest = join(process.cwd(), 'node_modules', 'vitest', 'vitest.mjs');
    const r = spawnSync(process.execPath, [vitest, 'run', '--config', config], {
      env: { ...cleanEnv(), CI: 'true', FLOWGATE_CHROMIUM: '/nonexistent/chromium', NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain('headless Chromium was not found at /nonexistent/chromium');
  }, 120_000);
});
