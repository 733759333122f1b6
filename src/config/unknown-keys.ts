/**
 * An unknown key in a config file, said the way a user can act on it (issue 20 §12): which keys
 * the schema knows at that place, and the closest one (`fil` → `file`, `flow` → `flows`).
 */
import type { z } from 'zod';

/** The parts of a zod 4 schema definition that lead to an object's keys. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Deepest wrapping followed: a schema is a tree, but `lazy` may loop. */
const MAX_DEPTH = 64;

/**
 * The keys an object schema accepts at `path` (keys and indexes from the root), through the
 * wrappers a schema is built of (optional, default, pipe and transform, array, record, union).
 * Empty when the path leads to no object.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], depth = 0): string[] {
  if (depth > MAX_DEPTH) return [];
  const def = defOf(schema);
  const next = (s: z.ZodType | undefined, rest = path) => (s ? knownKeysAt(s, rest, depth + 1) : []);
  switch (def.type) {
    case 'object':
      if (path.length === 0) return Object.keys(def.shape ?? {});
      return next(def.shape?.[String(path[0])], path.slice(1));
    case 'array':
      return next(def.element, path.slice(1));
    case 'record':
      return path.length === 0 ? [] : next(def.valueType, path.slice(1));
    case 'union':
      return [...new Set((def.options ?? []).flatMap((o) => next(o)))];
    case 'intersection':
      return [...new Set([...next(def.left), ...next(def.right)])];
    case 'pipe':
      return next(def.in);
    case 'lazy':
      return next(def.getter?.());
    default:
      return next(def.innerType);
  }
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), case-insensitive:
 * `flie` is one step from `file`.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++)
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[s.length]![t.length]!;
}

/**
 * The known key closest to `word`, when it is close enough to be a slip (at most a third of the
 * longer word's letters, and at least one, differ); ties go to the first known key.
 */
export function closestKey(word: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(word, key);
    const allowed = Math.max(1, Math.floor(Math.max(word.length, key.length) / 3));
    if (distance <= allowed && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}
