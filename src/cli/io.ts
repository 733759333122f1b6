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
  /**
   * What happens when the reader of stdout goes away (`flowgate history | head -1`): `exit` ends
   * the command at once with exit 0, as SIGPIPE ends a C program (without its status 141);
   * `finish` drops further output and lets the command finish what it changes (a deployment, its
   * health gate, the next due schedule) and end with its own exit code.
   */
  onStdoutClosed: 'exit' | 'finish';
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

/**
 * The process's streams. Node ignores SIGPIPE, so a write to a pipe whose reader closed fails with
 * EPIPE, emitted as an `error` event that nothing handled: a stack trace and exit 1 (issue 20 §10).
 * Here a closed stdout is an ordinary way for a command to end (see {@link CliIo.onStdoutClosed}),
 * and a closed stderr only silences what would have gone there.
 */
export function processIo(argv: readonly string[]): CliIo {
  const flag = argv.includes('--no-color') ? false : argv.includes('--color') ? true : undefined;
  const stdoutIsTty = process.stdout.isTTY === true;
  const open = { out: true, err: true };
  const io: CliIo = {
    out: (t) => {
      if (open.out) process.stdout.write(t);
    },
    err: (t) => {
      if (open.err) process.stderr.write(t);
    },
    stdoutIsTty,
    colors: createColors(colorEnabled(stdoutIsTty, process.env, flag)),
    errColors: createColors(colorEnabled(process.stderr.isTTY === true, process.env, flag)),
    verbose: argv.includes('--verbose') || argv.includes('-v') || process.env.FLOWGATE_DEBUG === '1',
    env: process.env,
    onStdoutClosed: 'exit',
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    open.out = false;
    if (io.onStdoutClosed === 'exit') process.exit(0);
  });
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    open.err = false;
  });
  return io;
}
