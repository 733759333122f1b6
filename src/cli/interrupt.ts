/**
 * Ctrl-C (SIGINT) for every command that runs a deployment: no new step starts, in-flight steps
 * are recorded as they are (the next run asks the org what they did), and the deployment ends
 * `interrupted` with its report and exit 130. Without it Node's default would kill the process
 * mid-step and leave the deployment `running`, unreported.
 */
import type { CliIo } from './io.js';

/** An abort signal SIGINT fires (once, saying how to finish: `howToFinish`); `dispose` removes the handler. */
export function interruptOnSigint(io: CliIo, howToFinish: string): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const onSigint = () => {
    io.err(`\nstopping: no new steps start; in-flight steps are recorded as they are (${howToFinish})\n`);
    abort.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  return { signal: abort.signal, dispose: () => process.off('SIGINT', onSigint) };
}
