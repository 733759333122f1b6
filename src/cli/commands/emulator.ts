/** `flowgate emulator [--port N] [--seed FILE] [--state FILE] [--token-ttl S] [--write-env FILE]` */
import { ConfigError } from '../../errors.js';
import { startEmulator, type EmulatorOptions } from '../../emulator/server.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { writeOutputFile } from '../output-file.js';
import { exportLines, shellQuote } from '../shell-env.js';

/** `flowgate emulator`'s options. */
export interface EmulatorCommandOptions {
  /** As given (`Number` of the text): checked here. */
  port: number;
  seed?: string | undefined;
  state?: string | undefined;
  tokenTtl?: number | undefined;
  writeEnv?: string | undefined;
}

/** Starts the emulator and serves until SIGINT/SIGTERM. */
export async function runEmulator(opts: EmulatorCommandOptions, io: CliIo): Promise<number> {
  const port = opts.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(
      'USAGE_PORT',
      `--port must be an integer from 0 to 65535, got '${String(opts.port)}'`,
      { hint: 'Use 0 for any free port.' },
    );
  }
  const options: EmulatorOptions = { port, env: io.env };
  if (opts.seed !== undefined) options.seed = opts.seed;
  if (opts.state !== undefined) options.statePath = opts.state;
  if (opts.tokenTtl !== undefined) {
    const ttl = opts.tokenTtl;
    if (!(ttl > 0))
      throw new ConfigError('USAGE_TOKEN_TTL', '--token-ttl must be a positive number of seconds', {
        hint: 'Example: --token-ttl 300',
      });
    options.settings = { tokenTtlSeconds: ttl };
  }
  const emu = await startEmulator(options);
  // Listen for the stop signals before saying we are ready: a supervisor may send one as soon as
  // it reads the URL.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const { clientId, clientSecret, secretGenerated } = emu.credentials;
  // A secret given through the environment is never printed nor written: the line refers to the
  // variable it came from. A generated one must be shown, or nobody could log in.
  const lines = exportLines([
    ['GENESYSCLOUD_BASE_URL', { value: emu.url }],
    ['GENESYSCLOUD_OAUTHCLIENT_ID', { value: clientId }],
    [
      'GENESYSCLOUD_OAUTHCLIENT_SECRET',
      secretGenerated ? { value: clientSecret } : { fromVariable: 'FLOWGATE_EMULATOR_CLIENT_SECRET' },
    ],
  ]);
  if (opts.writeEnv !== undefined) {
    try {
      writeEnvFile(opts.writeEnv, lines);
    } catch (e) {
      await emu.stop();
      throw e;
    }
  }
  // The base URL is the result (stdout); everything else goes to stderr.
  io.out(`${emu.url}\n`);
  io.err(
    `flowgate emulator listening on ${emu.url} (login /oauth/token, API /api/v2, control /__emulator)\n`,
  );
  io.err(
    opts.writeEnv !== undefined
      ? `connection variables in ${opts.writeEnv} (0600): . ${shellQuote(opts.writeEnv)}\n`
      : `connection variables (paste them into a shell, or write them with --write-env FILE):\n${lines}`,
  );
  await stopped;
  await emu.stop();
  io.err('flowgate emulator stopped\n');
  return ExitCode.Ok;
}

/** Writes the `export` lines to a file only the owner can read (it may hold the client secret). */
function writeEnvFile(path: string, lines: string): void {
  writeOutputFile(path, lines, { flag: '--write-env', private: true, code: 'EMULATOR_ENV_FILE' });
}
