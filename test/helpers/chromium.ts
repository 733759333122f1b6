/**
 * Finding a Chromium to drive with playwright-core (which brings no browser of its own here): the
 * path a machine names (`CHROMIUM_PATH`, or playwright's `PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH`),
 * else the usual program names on the PATH (Debian's `chromium`, Ubuntu's `chromium-browser`,
 * Google Chrome), else the places packages put it outside the PATH.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const PLACES = [
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Whether a path is a file this process may execute. */
function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The Chromium executable to use, or undefined when this machine has none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const named of [env.CHROMIUM_PATH, env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH])
    if (named && executable(named)) return named;
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of NAMES)
    for (const dir of dirs) {
      const path = join(dir, name);
      if (executable(path)) return path;
    }
  return PLACES.find(executable);
}

/** Whether the browser tests run, are skipped, or fail saying why. */
export type ChromiumDecision =
  { kind: 'run'; path: string } | { kind: 'skip'; reason: string } | { kind: 'fail'; reason: string };

/**
 * A laptop without Chromium skips the browser tests; CI (`CI=true`, as GitHub Actions and most CI
 * services set it) fails them instead, saying what is missing, so a broken install can never pass
 * for a green run. `FLOWGATE_CHROMIUM` names the one browser to use (test/project.test.ts points it
 * at nothing to prove the failure).
 */
export function chromiumDecision(env: NodeJS.ProcessEnv = process.env): ChromiumDecision {
  const forced = env.FLOWGATE_CHROMIUM;
  const path = forced !== undefined ? (executable(forced) ? forced : undefined) : findChromium(env);
  if (path !== undefined) return { kind: 'run', path };
  const reason = `headless Chromium was not found${forced !== undefined ? ` at ${forced}` : ' (CHROMIUM_PATH, chromium on the PATH)'}: install Debian's package (apt-get install chromium), as .ci/run does`;
  return env.CI === 'true' || env.CI === '1' ? { kind: 'fail', reason } : { kind: 'skip', reason };
}
