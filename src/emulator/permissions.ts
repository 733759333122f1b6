/** Permission checks (docs/platform-api.md#scopes-and-permissions): ANY or ALL of a list, with `*` wildcards per segment. */
import { EmulatorHttpError } from './errors.js';
import type { EmClient } from './types.js';

/** The permissions an operation needs. */
export interface Requirement {
  type: 'ANY' | 'ALL' | 'NO';
  permissions: string[];
}

function grants(held: string, wanted: string): boolean {
  if (held === '*') return true;
  const h = held.split(':');
  const w = wanted.split(':');
  // A fourth segment (a division) on a held permission still grants the three-segment permission.
  for (let i = 0; i < w.length; i++) if (h[i] !== '*' && h[i] !== w[i]) return false;
  return true;
}

/** Throws 403 `missing.any.permissions` / `missing.permissions` when the client lacks what is needed. */
export function requirePermissions(client: EmClient, req: Requirement): void {
  if (req.type === 'NO' || req.permissions.length === 0) return;
  const has = (p: string) => client.permissions.some((h) => grants(h, p));
  if (req.type === 'ANY' && !req.permissions.some(has)) {
    throw new EmulatorHttpError(403, 'missing.any.permissions', [`[${req.permissions.join(', ')}]`]);
  }
  if (req.type === 'ALL') {
    const missing = req.permissions.filter((p) => !has(p));
    if (missing.length > 0)
      throw new EmulatorHttpError(403, 'missing.permissions', [`[${missing.join(', ')}]`]);
  }
}
