/**
 * Which flags the README names, and for which command (issue 20 §9: `deploy --health-window` was
 * documented and refused). Read from the Markdown as a user reads it:
 *
 * - an invocation, in a code span or a line of a fenced block: `flowgate deploy --dry-run`,
 *   `deploy --health-window PT15M` (a span may start with the command's words), `flowgate
 *   adoption [--since T]`: each flag after the command's words belongs to that command;
 * - a flag in a row of an options table belongs to one of the commands its section's heading
 *   names (`### flowgate plan and flowgate deploy`); a flag on its own in prose (`5 partial
 *   (--no-atomic)` under exit codes) may refer to any command, so some command must take it.
 *
 * Global options (on `flowgate --help`) count for every command.
 */

/** One flag the README names, where, and for which commands (any one of them must take it). */
export interface ReadmeFlag {
  flag: string;
  /** Command paths (`deploy`, `audit verify`); empty: any command. */
  commands: string[];
  line: number;
  text: string;
}

const FLAG = /(?<![\w-])--?[a-zA-Z][\w-]*/g;

/** Code spans (`…`, possibly across a line break) with the line each starts on. */
function codeSpans(markdown: string): Array<{ text: string; line: number; fenced?: true; table?: true }> {
  const out: Array<{ text: string; line: number; fenced?: true; table?: true }> = [];
  const lines = markdown.split('\n');
  let fenced = false;
  let prose = '';
  let proseLine = 1;
  const flushProse = () => {
    for (const m of prose.matchAll(/`([^`]+)`/g)) {
      const before = prose.slice(0, m.index);
      const lineStart = before.lastIndexOf('\n') + 1;
      out.push({
        text: m[1]!.replace(/\s+/g, ' '),
        line: proseLine + (before.match(/\n/g)?.length ?? 0),
        ...(prose.startsWith('|', lineStart) ? { table: true as const } : {}),
      });
    }
    prose = '';
  };
  lines.forEach((l, i) => {
    if (/^```/.test(l)) {
      flushProse();
      fenced = !fenced;
      proseLine = i + 2;
      return;
    }
    // A fenced line is one invocation at most; a shell comment is not part of it.
    if (fenced) out.push({ text: l.replace(/\s#\s.*$/, ''), line: i + 1, fenced: true });
    else if (l.trim() === '') {
      flushProse();
      proseLine = i + 2;
    } else prose += `${l}\n`;
  });
  flushProse();
  return out;
}

/** The command paths a text invokes, each with the flags that follow its words. */
function invocations(text: string, paths: readonly string[]): Array<{ path: string; flags: string[] }> {
  // Longest paths first: `audit verify` before `audit`.
  const sorted = [...paths].sort((a, b) => b.length - a.length);
  const words = sorted.map((p) => p.replace(/ /g, '\\s+')).join('|');
  const at = new RegExp(`(?:^|(?<=flowgate(?:\\.js)?\\s+))(${words})(?=\\s|$|\\|)`, 'g');
  const starts = [...text.matchAll(at)];
  return starts.map((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : text.length;
    const rest = text.slice(m.index + m[0].length, end).replace(/\bflowgate(\.js)?\s*$/, '');
    return { path: m[1]!.replace(/\s+/g, ' '), flags: [...rest.matchAll(FLAG)].map((f) => f[0]) };
  });
}

/** The flags the README names, each with the commands that must take it. */
export function readmeFlags(markdown: string, paths: readonly string[]): ReadmeFlag[] {
  const out: ReadmeFlag[] = [];
  const headings = markdown
    .split('\n')
    .map((l, i) => ({ l, line: i + 1 }))
    .filter(({ l }) => /^#{1,6} /.test(l));
  const sectionOf = (line: number): string[] => {
    const h = [...headings].reverse().find((x) => x.line <= line);
    if (!h || !/^###/.test(h.l)) return [];
    // `flowgate audit verify|show|reconcile` names three commands.
    const named = new Set<string>();
    for (const m of h.l.matchAll(/flowgate ([a-z-]+)((?: [a-z-]+(?:\|[a-z-]+)*)?)/g))
      for (const sub of (m[2] ?? '').trim().split('|')) {
        const path = sub ? `${m[1]} ${sub}` : m[1]!;
        if (paths.includes(path)) named.add(path);
        else if (paths.includes(m[1]!)) named.add(m[1]!);
      }
    return [...named];
  };
  for (const span of codeSpans(markdown)) {
    const text = span.text.trim();
    // Other programs' flags (`npm ci`, `node -e 0`) are not flowgate's.
    if (/^(npm|npx|node(?! bin\/flowgate)|git|sh|bash|psql|pg_ctl)\b/.test(text)) continue;
    const calls = invocations(text, paths);
    if (calls.length > 0) {
      for (const c of calls)
        for (const flag of c.flags) out.push({ flag, commands: [c.path], line: span.line, text });
    } else if (!span.fenced && /^-/.test(text)) {
      for (const f of text.matchAll(FLAG))
        out.push({ flag: f[0], commands: span.table ? sectionOf(span.line) : [], line: span.line, text });
    }
  }
  return out;
}

/** The long and short flags an option list of `--help` shows (`-m, --manifest <file>`, `--no-wait`). */
export function helpFlags(help: string): { flags: Set<string>; commands: string[] } {
  const flags = new Set<string>();
  const commands: string[] = [];
  let section = '';
  for (const line of help.split('\n')) {
    const head = /^([A-Z][\w ]*):\s*$/.exec(line);
    if (head) {
      section = head[1]!;
      continue;
    }
    // The term ends where two spaces start the description.
    const term = /^ {2}(\S.*?)(?: {2,}|$)/.exec(line)?.[1];
    if (!term) continue;
    if (section === 'Options') for (const f of term.matchAll(FLAG)) flags.add(f[0]);
    if (section === 'Commands') {
      const name = /^[a-z][\w-]*/.exec(term)?.[0];
      if (name && name !== 'help') commands.push(name);
    }
  }
  return { flags, commands };
}
