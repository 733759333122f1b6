/**
 * Deployment progress on stderr: one line per event (CI logs); on a terminal, the symbols are
 * coloured and a step waiting for its activation time shows a countdown.
 */
import type { DeployEvent } from '../../deploy/types.js';
import type { CliIo } from '../io.js';
import { terminalSafe } from './encode.js';

const SYMBOL: Record<DeployEvent['type'], string> = {
  planned: '·',
  scheduled: '◷',
  waiting: '◷',
  publishing: '▸',
  published: '✓',
  unchanged: '=',
  failed: '✗',
  cancelled: '–',
  'rolling-back': '↺',
  'rolled-back': '↺',
  resumed: '↻',
  interrupted: '!',
  'lock-wait': '⧗',
  completed: '■',
};

/** An `onEvent` that prints progress. */
export function progressPrinter(io: CliIo): (e: DeployEvent) => void {
  const c = io.errColors;
  const tty = process.stderr.isTTY === true;
  let countdown: NodeJS.Timeout | undefined;
  return (e) => {
    if (countdown) {
      clearInterval(countdown);
      countdown = undefined;
      io.err('\n');
    }
    const sym = SYMBOL[e.type];
    const coloured =
      e.type === 'published' || e.type === 'completed'
        ? c.green(sym)
        : e.type === 'failed' || e.type === 'interrupted'
          ? c.red(sym)
          : e.type === 'waiting' || e.type === 'lock-wait' || e.type.startsWith('roll')
            ? c.yellow(sym)
            : c.dim(sym);
    // The message names flows and quotes the org's errors: `terminalSafe`.
    io.err(`${c.dim(e.at.slice(11, 19))} ${coloured} ${terminalSafe(e.message)}\n`);
    if (tty && e.type === 'waiting') {
      const until = Date.parse(e.activateAt ?? '');
      if (!Number.isNaN(until)) {
        countdown = setInterval(() => {
          const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
          io.err(`\r  ${c.yellow(`${left} s`)} until ${terminalSafe(e.step?.flowName ?? 'activation')}   `);
        }, 250);
        countdown.unref();
      }
    }
  };
}
