/** Where the CLI writes: stdout for results, stderr for everything else (clig.dev). */
import { createColors } from 'picocolors';

/** The CLI's output streams and colour decisions. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  stdoutIsTty: boolean;
  colors: ReturnType<typeof createColors>;
  errColors: ReturnType<typeof createColors>;
  verbose: boolean;
  env: NodeJS.ProcessEnv;
}

/** Colour is on for a TTY unless NO_COLOR / --no-color / TERM=dumb; FORCE_COLOR forces it. */
export function colorEnabled(isTty: boolean, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (flag === true) return true;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return isTty;
}

/** The process's streams. */
export function processIo(argv: readonly string[]): CliIo {
  const flag = argv.includes('--no-color') ? false : argv.includes('--color') ? true : undefined;
  const stdoutIsTty = process.stdout.isTTY === true;
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    stdoutIsTty,
    colors: createColors(colorEnabled(stdoutIsTty, process.env, flag)),
    errColors: createColors(colorEnabled(process.stderr.isTTY === true, process.env, flag)),
    verbose: argv.includes('--verbose') || argv.includes('-v') || process.env.FLOWGATE_DEBUG === '1',
    env: process.env,
  };
}
