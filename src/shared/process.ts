/** Whether a process of this host still exists: what every lock naming a process relies on. */

/**
 * True while the process `pid` of this host exists. Signal 0 checks without touching it
 * (kill(2): "If sig is 0, then no signal is sent, but existence and permission checks are still
 * performed"); `EPERM` means it exists under another user. Only `ESRCH` says it is gone: a lock
 * whose holder cannot be proven dead is never taken over. Not a positive integer: no process.
 */
export function isProcessAlive(pid: number): boolean {
  // 0 and negative numbers address process groups, not one process.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
