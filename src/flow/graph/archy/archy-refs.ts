/**
 * Parsing Archy container references (`/inboundCall/tasks/task[X]`, `./menus/menu[X]`,
 * `.../states/state[X]`) in linear time.
 *
 * The earlier regular expression (`/(menu|task|state|bot|reusableTask)\[([^\]]*)\]\s*$/`) is
 * unanchored, so a backtracking engine retries it at every offset: quadratic on crafted input
 * such as `task[task[task[…]x` (a 1.6 MB reference never finished, issue 18 §3). This finds the
 * same match (the leftmost `kind[` after the last `]` that precedes the final `]`) in one pass.
 */

/** The kinds of container a reference can name, in the order the old pattern tried them. */
const KINDS = ['menu', 'task', 'state', 'bot', 'reusableTask'] as const;

/** A reference's container kind (`reusableTask` counts as `task`) and its refId. */
export interface ContainerRef {
  kind: 'menu' | 'task' | 'state' | 'bot';
  id: string;
}

/** Counts the characters a parse looked at, for tests that bound the work on adversarial input. */
export interface WorkCounter {
  steps: number;
}

/**
 * Parses a reference, or `undefined` when it names no container. Looks at each character a
 * bounded number of times (at most `1 + longest kind` per position).
 */
export function parseContainerRef(ref: string, work?: WorkCounter): ContainerRef | undefined {
  let steps = 0;
  let end = ref.length;
  while (end > 0 && isSpace(ref.charCodeAt(end - 1))) {
    end--;
    steps++;
  }
  const close = end - 1;
  if (close < 0 || ref.charCodeAt(close) !== 0x5d /* ] */) return count(work, steps, undefined);
  // The id may hold no `]`: the match starts after the last `]` before the final one.
  let from = close - 1;
  while (from >= 0 && ref.charCodeAt(from) !== 0x5d) {
    from--;
    steps++;
  }
  from++;
  for (let at = from; at < close; at++) {
    for (const kind of KINDS) {
      const open = at + kind.length;
      if (open >= close) continue;
      let i = 0;
      while (i < kind.length && ref.charCodeAt(at + i) === kind.charCodeAt(i)) i++;
      steps += i + 1;
      if (i === kind.length && ref.charCodeAt(open) === 0x5b /* [ */) {
        const id = ref.slice(open + 1, close);
        return count(work, steps, { kind: kind === 'reusableTask' ? 'task' : kind, id });
      }
    }
  }
  return count(work, steps, undefined);
}

function count<T>(work: WorkCounter | undefined, steps: number, value: T): T {
  if (work) work.steps += steps;
  return value;
}

// `\s` of JavaScript regular expressions, which the old pattern used after the `]`.
function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
