/** The browser test finds Chromium where the machine has it, not at one hard-coded path. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.js';

/** A folder with an executable file of that name. */
function folderWith(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-browser-'));
  writeFileSync(join(dir, name), '#!/bin/sh\n');
  chmodSync(join(dir, name), 0o755);
  return dir;
}

describe('findChromium', () => {
  it('takes the path the machine names first, then a browser of any usual name on the PATH', () => {
    const ubuntu = folderWith('chromium-browser');
    const named = join(folderWith('my-chromium'), 'my-chromium');
    expect(findChromium({ PATH: `/nonexistent:${ubuntu}` })).toBe(join(ubuntu, 'chromium-browser'));
    expect(findChromium({ PATH: ubuntu, CHROMIUM_PATH: named })).toBe(named);
    expect(findChromium({ PATH: ubuntu, PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: named })).toBe(named);
    // A named path that is not there is passed over, not trusted.
    expect(findChromium({ PATH: ubuntu, CHROMIUM_PATH: '/nonexistent/chromium' })).toBe(
      join(ubuntu, 'chromium-browser'),
    );
  });

  it('a file that is not executable is no browser', () => {
    const dir = folderWith('chromium');
    chmodSync(join(dir, 'chromium'), 0o644);
    const other = folderWith('google-chrome');
    // Not even for root: access(X_OK) wants an execute bit set for someone, and none is.
    expect(findChromium({ PATH: `${dir}:${other}` })).toBe(join(other, 'google-chrome'));
  });
});
