/** The keys coverage counts by: one string per menu, choice, task or decision output of a flow. */
import type { FlowSource } from './flow-source.js';

const keys = new WeakMap<object, Map<string, string>>();

/**
 * The coverage key of a menu, choice, task or decision output of a flow; made once per node and
 * output (a case hits the same keys again and again, and a string hashes once).
 */
export function coverageKey(source: FlowSource, kind: string, node: object, suffix?: string): string {
  let byNode = keys.get(node);
  if (!byNode) keys.set(node, (byNode = new Map<string, string>()));
  const part = `${kind}#${suffix ?? ''}`;
  let key = byNode.get(part);
  if (key === undefined) {
    key = `${kind} ${source.where(node)}${suffix === undefined ? '' : `#${suffix}`}`;
    byNode.set(part, key);
  }
  return key;
}
