import { existsSync } from 'node:fs';

/** Debian's Chromium, which `.ci/run` installs (no browser download from anywhere else). */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests run, are skipped, or fail saying why. */
export type ChromiumDecision =
  { kind: 'run'; path: string } | { kind: 'skip'; reason: string } | { kind: 'fail'; reason: string };

/**
 * A laptop without Chromium skips the browser tests; CI (`CI=true`, as GitHub Actions and most CI
 * services set it) fails them instead, saying what is missing, so a broken install can never pass
 * for a green run.
 */
export function chromiumDecision(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): ChromiumDecision {
  // FLOWGATE_CHROMIUM points elsewhere (test/project.test.ts: a missing browser under CI=true).
  const path = env.FLOWGATE_CHROMIUM ?? CHROMIUM;
  if (exists(path)) return { kind: 'run', path };
  const reason = `headless Chromium is not installed at ${path}: install Debian's package (apt-get install chromium), as .ci/run does`;
  return env.CI === 'true' || env.CI === '1' ? { kind: 'fail', reason } : { kind: 'skip', reason };
}
