/** `flowgate emulator [--port N] [--seed FILE] [--state FILE]` */
import { ConfigError } from '../../errors.js';
import { startEmulator, type EmulatorOptions } from '../../emulator/server.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** Starts the emulator and serves until SIGINT/SIGTERM. */
export async function runEmulator(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const port = opts.port as number;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(
      'USAGE_PORT',
      `--port must be an integer from 0 to 65535, got '${String(opts.port)}'`,
      { hint: 'Use 0 for any free port.' },
    );
  }
  const options: EmulatorOptions = { port, env: io.env };
  if (typeof opts.seed === 'string') options.seed = opts.seed;
  if (typeof opts.state === 'string') options.statePath = opts.state;
  if (opts.tokenTtl !== undefined) {
    const ttl = opts.tokenTtl as number;
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
  // The base URL is the result (stdout); everything else goes to stderr.
  io.out(`${emu.url}\n`);
  io.err(
    `flowgate emulator listening on ${emu.url} (login /oauth/token, API /api/v2, control /__emulator)\n`,
  );
  io.err(`  GENESYSCLOUD_BASE_URL=${emu.url}\n  GENESYSCLOUD_OAUTHCLIENT_ID=${clientId}\n`);
  // A secret given through the environment is never printed; a generated one must be, or nobody could log in.
  if (secretGenerated) io.err(`  GENESYSCLOUD_OAUTHCLIENT_SECRET=${clientSecret}\n`);
  else io.err('  GENESYSCLOUD_OAUTHCLIENT_SECRET=(from FLOWGATE_EMULATOR_CLIENT_SECRET)\n');
  await stopped;
  await emu.stop();
  io.err('flowgate emulator stopped\n');
  return ExitCode.Ok;
}
