/**
 * Where an exported flow is written: `<type>/<slug of the name>.yaml`, the same path on every run
 * for the same flow. Two flows of one type whose names give the same slug (`Main IVR`,
 * `main-ivr`) both get a short hash of their exact name, so neither overwrites the other.
 */
import { createHash } from 'node:crypto';

/** The slug of a flow name: lowercase letters and digits, words joined with `-`. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug || 'flow';
}

/** Relative file paths for flows (`{type, name}`), in the same order. */
export function filePaths(flows: ReadonlyArray<{ type: string; name: string }>): string[] {
  const key = (f: { type: string; name: string }) => `${f.type.toLowerCase()}/${slugOf(f.name)}`;
  const count = new Map<string, number>();
  for (const f of flows) count.set(key(f), (count.get(key(f)) ?? 0) + 1);
  return flows.map((f) => {
    const k = key(f);
    if (count.get(k) === 1) return `${k}.yaml`;
    const hash = createHash('sha256').update(f.name, 'utf8').digest('hex').slice(0, 8);
    return `${k}-${hash}.yaml`;
  });
}
