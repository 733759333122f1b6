/**
 * Issue 20 §9: `deploy --health-window PT15M` was in the README and the CLI answered `unknown
 * option`. Every flag the README names is checked against the `--help` of the command it is named
 * for (real child processes), so the two cannot drift apart again.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { helpFlags, readmeFlags } from '../helpers/readme-flags.js';

/** Every command path with the flags its `--help` lists; '' is the program (global options). */
async function commandFlags(): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const visit = async (path: string[]) => {
    const r = await runCli([...path, '--help']);
    expect(r.code, `${path.join(' ')} --help: ${r.stderr}`).toBe(0);
    const { flags, commands } = helpFlags(r.stdout);
    out.set(path.join(' '), flags);
    for (const c of commands) await visit([...path, c]);
  };
  await visit([]);
  return out;
}

describe('the README and the CLI agree on flags (child processes)', () => {
  it('every flag the README names is on the --help of a command it is named for', async () => {
    const known = await commandFlags();
    const global = known.get('')!;
    const paths = [...known.keys()].filter((p) => p !== '');
    const named = readmeFlags(readFileSync('README.md', 'utf8'), paths);
    // The reader finds what the README shows (so an empty list cannot pass for agreement).
    expect(named.length).toBeGreaterThan(60);
    expect(named).toContainEqual(expect.objectContaining({ flag: '--health-window', commands: ['deploy'] }));
    expect(named).toContainEqual(
      expect.objectContaining({ flag: '--no-atomic', commands: ['plan', 'deploy'] }),
    );
    expect(named).toContainEqual(
      expect.objectContaining({ flag: '--expect-head', commands: ['audit verify'] }),
    );
    const refused = named.filter((n) => {
      if (global.has(n.flag)) return false;
      const candidates = n.commands.length > 0 ? n.commands : paths;
      return !candidates.some((c) => known.get(c)?.has(n.flag));
    });
    expect(
      refused.map(
        (n) =>
          `README.md:${n.line}: ${n.flag} (for ${n.commands.join(' or ') || 'any command'}) in \`${n.text}\``,
      ),
    ).toEqual([]);
  });
});
