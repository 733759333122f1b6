/**
 * The `flowgate/emulator` example of src/emulator/index.ts's documentation, run as written: the
 * code block is taken from the comment, its imports bound to the modules they name, and the
 * result checked (the example once used `baseUrl` and `close()`, which the API does not have).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as emulator from '../../src/emulator/index.js';
import * as flowgate from '../../src/index.js';

const MODULES: Record<string, unknown> = { 'flowgate/emulator': emulator, flowgate };

/** The first ```ts block of the file's first doc comment, without the comment's ` * `. */
function exampleOf(file: string): string {
  const doc = /\/\*\*([\s\S]*?)\*\//.exec(readFileSync(file, 'utf8'))![1]!;
  const block = /```ts\n([\s\S]*?)\n\s*\* ```/.exec(doc)![1]!;
  return block.replace(/^\s*\* ?/gm, '');
}

/** `import { a, b } from 'm';` → `const { a, b } = modules['m'];` (the example is plain JavaScript otherwise). */
function bindImports(code: string): string {
  return code.replace(/^import (\{[^}]*\}) from '([^']+)';$/gm, (_all, names: string, from: string) => {
    expect(MODULES).toHaveProperty([from]);
    return `const ${names} = modules[${JSON.stringify(from)}];`;
  });
}

type Example = (
  modules: Record<string, unknown>,
) => Promise<{ flows: unknown[]; emu: emulator.RunningEmulator }>;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
  ...args: string[]
) => Example;

describe('the flowgate/emulator example', () => {
  it('runs as documented: the client lists the seed org through the emulator, which then stops', async () => {
    const code = bindImports(exampleOf('src/emulator/index.ts'));
    const run = new AsyncFunction('modules', `${code}\nreturn { flows, emu };`);
    const { flows, emu } = await run(MODULES);
    expect(flows.length).toBeGreaterThan(0);
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(fetch(`${emu.url}/api/v2/flows`)).rejects.toThrow(); // stopped: nothing listens
  });
});
