/**
 * Where a `{{ token }}` stands in YAML or JSON text: inside quotes, a comment, a block scalar (`|`,
 * `>`), a flow collection (`{ … }`, `[ … ]`), a mapping key, a whole or a part of a plain scalar.
 *
 * One forward pass over the original text (tokens asked for in order), so a file with many tokens
 * costs one scan, not one per token. It follows the YAML 1.2 rules that decide these contexts
 * (https://yaml.org/spec/1.2.2/: §6.6 comments, §7.3 quoted scalars, §7.4 flow collections, §8.1
 * block scalars) and treats every token as opaque scalar text, as the substituted value will be.
 */

/** The context of one token. */
export type TokenContext =
  | { kind: 'double' | 'single' | 'comment' }
  | { kind: 'whole' | 'part' | 'key'; flow: boolean }
  | BlockLineContext;

/** A token on a content line of a block scalar. */
export interface BlockLineContext {
  kind: 'block';
  style: '|' | '>';
  /** The content's indentation (spaces). */
  indent: number;
  /** Only the content indentation comes before the token on its line. */
  atContentStart: boolean;
  /** This line sets the indentation (no indentation indicator, first non-empty line). */
  setsIndent: boolean;
  /** The rest of the token's line. */
  rest: string;
}

interface OpenBlock {
  style: '|' | '>';
  /** Content lines are indented more than this. */
  parent: number;
  indent: number | undefined;
  explicit: boolean;
}

// Runs of characters that change nothing but the last one seen (skipped at once, for speed).
const WORD = /[^\s,:?{}[\]\-#"'\\]+/y;
const QUOTED_DOUBLE = /[^"\\\n]+/y;
const QUOTED_SINGLE = /[^'\n]+/y;

/** Where a run of `pattern` starting at `from` ends, at most `target`. */
function skipRun(pattern: RegExp, text: string, from: number, target: number): number {
  pattern.lastIndex = from;
  return pattern.test(text) ? Math.min(pattern.lastIndex, target) : from;
}

const BLOCK_HEADER = /^[|>]([1-9][+-]?|[+-][1-9]?)?[ \t]*(#.*)?\r?$/;

/** Tracks the context of a text from its start to each token, in order. */
export class ContextScanner {
  private pos = 0;
  private lineStart = 0;
  private quote: '"' | "'" | undefined;
  private depth = 0;
  private lineDone: 'comment' | 'block' | undefined;
  private block: OpenBlock | undefined;
  private indentLine = -1;
  private last = '';
  private lastAt = -1;
  private spaceSince = true;
  private readonly token: RegExp;
  private readonly yaml: boolean;

  /** `tokenSource` is the token pattern, so tokens not asked for are skipped as scalar text. */
  constructor(
    private readonly text: string,
    format: 'yaml' | 'json',
    tokenSource: string,
  ) {
    this.token = new RegExp(tokenSource, 'y');
    this.yaml = format === 'yaml';
  }

  /** The context of the token `[start, end)`; tokens must be asked for in increasing order. */
  at(start: number, end: number): TokenContext {
    this.advance(start);
    const ctx = this.classify(start, end);
    this.skipToken(end);
    return ctx;
  }

  private advance(target: number): void {
    const text = this.text;
    while (this.pos < target) {
      const i = this.pos;
      if (text[i] === '\n') this.newLine(i + 1);
      else if (this.lineDone) {
        const eol = text.indexOf('\n', i);
        this.pos = eol < 0 || eol > target ? target : eol;
      } else if (this.quote) this.quoted(i, target);
      else this.plain(i, target);
    }
  }

  private newLine(at: number): void {
    this.pos = this.lineStart = at;
    this.lineDone = undefined;
    if (this.quote) return;
    this.last = '';
    this.spaceSince = true;
    if (this.block) this.blockLine(at);
  }

  /** At the start of a line while a block scalar is open: is the line its content? */
  private blockLine(at: number): void {
    const b = this.block!;
    const text = this.text;
    let j = at;
    while (text[j] === ' ') j++;
    const indent = j - at;
    let k = j;
    while (text[k] === ' ' || text[k] === '\t' || text[k] === '\r') k++;
    if (k >= text.length || text[k] === '\n') {
      this.lineDone = 'block'; // an empty line belongs to the scalar
      return;
    }
    const marker = indent === 0 && /^(---|\.\.\.)([ \t\r\n]|$)/.test(text.slice(j, j + 4));
    if (!marker && b.indent === undefined && indent > b.parent) {
      b.indent = indent;
      this.indentLine = at;
    }
    if (!marker && b.indent !== undefined && indent >= b.indent) this.lineDone = 'block';
    else this.block = undefined;
  }

  private quoted(i: number, target: number): void {
    const end = skipRun(this.quote === '"' ? QUOTED_DOUBLE : QUOTED_SINGLE, this.text, i, target);
    if (end > i) {
      this.pos = end;
      return;
    }
    const ch = this.text[i];
    if (this.quote === '"') {
      // An escaped line break is left for `advance` to see.
      if (ch === '\\') this.pos += this.text[i + 1] === '\n' ? 1 : 2;
      else {
        if (ch === '"') this.closeQuote();
        this.pos++;
      }
      return;
    }
    if (ch === "'" && this.text[i + 1] === "'") this.pos += 2;
    else {
      if (ch === "'") this.closeQuote();
      this.pos++;
    }
  }

  private closeQuote(): void {
    this.quote = undefined;
    this.significant('"', this.pos);
  }

  private plain(i: number, target: number): void {
    const ch = this.text[i]!;
    this.pos++;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      this.spaceSince = true;
      return;
    }
    const starts = this.scalarMayStart();
    if (ch === '{' && this.skipOtherToken(i)) return;
    if (this.yaml && ch === '#' && (i === this.lineStart || /[ \t]/.test(this.text[i - 1]!))) {
      this.lineDone = 'comment';
    } else if (ch === '"' || (this.yaml && ch === "'")) {
      if (starts) this.quote = ch;
      else this.significant(ch, i);
    } else if ((ch === '{' || ch === '[') && (starts || this.depth > 0)) {
      this.depth++;
      this.significant(ch, i);
    } else if ((ch === '}' || ch === ']') && this.depth > 0) {
      this.depth--;
      this.significant(ch, i);
    } else if (this.yaml && (ch === '&' || ch === '!') && starts) {
      // An anchor or a tag: the node (a scalar, a block scalar header) still starts after it.
      while (this.pos < target && !/[\s,[\]{}]/.test(this.text[this.pos]!)) this.pos++;
    } else if (this.yaml && (ch === '|' || ch === '>') && starts && this.depth === 0) {
      this.blockHeader(i);
    } else {
      // A JSON-like key (`{"a":b}`) needs no space after its `:` (§7.4.2).
      const jsonKey = ch === ':' && this.depth > 0 && this.last === '"' && this.lastAt === i - 1;
      const end = skipRun(WORD, this.text, this.pos, target);
      this.significant(this.text[end - 1]!, end - 1);
      this.pos = end;
      if (jsonKey) this.spaceSince = true;
    }
  }

  private significant(ch: string, at: number): void {
    this.last = ch;
    this.lastAt = at;
    this.spaceSince = false;
  }

  /** A node may start here: at the line's start, after `[ { ,`, or after `: - ?` and a space. */
  private scalarMayStart(): boolean {
    const l = this.last;
    return (
      l === '' ||
      (l.length === 1 && '[{,'.includes(l)) ||
      (!this.yaml && l === ':') ||
      ((l === ':' || l === '-' || l === '?') && this.spaceSince)
    );
  }

  private blockHeader(i: number): void {
    const eol = this.text.indexOf('\n', i);
    const header = this.text.slice(i, eol < 0 ? this.text.length : eol);
    if (!BLOCK_HEADER.test(header)) {
      this.significant(this.text[i]!, i);
      return;
    }
    const parent = this.blockParent();
    const digit = /[1-9]/.exec(header.slice(1, 3))?.[0];
    this.block = {
      style: header[0] as '|' | '>',
      parent,
      indent: digit ? parent + Number(digit) : undefined,
      explicit: digit !== undefined,
    };
    this.lineDone = 'comment';
  }

  /**
   * The indentation a block scalar's content must exceed (§8.1.1.1): the column of its mapping's
   * key (`key: |`, also after `- `), of its sequence's dash (`- |`), or -1 at the top level.
   */
  private blockParent(): number {
    const text = this.text;
    const col = this.lastAt - this.lineStart;
    if (this.last === '') return this.lineIndent() - 1;
    if (this.last === '-' && col === 2 && text.startsWith('---', this.lineStart)) return -1;
    if (this.last !== ':') return col;
    let j = this.lineStart + this.lineIndent();
    while (/^[-?]( |$)/.test(text.slice(j, j + 2))) {
      j++;
      while (text[j] === ' ') j++;
    }
    return j - this.lineStart;
  }

  private lineIndent(): number {
    let j = this.lineStart;
    while (this.text[j] === ' ') j++;
    return j - this.lineStart;
  }

  /** A token nobody asked for (no value): scalar text. */
  private skipOtherToken(i: number): boolean {
    this.token.lastIndex = i;
    if (!this.token.test(this.text)) return false;
    this.skipToken(this.token.lastIndex);
    this.significant('x', i);
    return true;
  }

  private skipToken(end: number): void {
    const nl = this.text.lastIndexOf('\n', end - 1);
    if (nl >= this.pos) this.lineStart = nl + 1;
    this.pos = end;
    if (!this.quote && !this.lineDone) this.significant('x', end - 1);
  }

  private classify(start: number, end: number): TokenContext {
    if (this.lineDone === 'comment') return { kind: 'comment' };
    if (this.lineDone === 'block') return this.blockContext(start, end);
    if (this.quote) return { kind: this.quote === '"' ? 'double' : 'single' };
    const flow = this.depth > 0 || !this.yaml;
    if (this.scalarMayStart()) {
      const rest = this.rest(end);
      const after = this.yaml
        ? flow
          ? /^([ \t]*\r?$|[ \t]+#|[ \t]*[,\]}])/
          : /^([ \t]*\r?$|[ \t]+#)/
        : /^\s*($|[,\]}])/;
      if (after.test(rest)) return { kind: 'whole', flow };
      if ((flow ? /^[ \t]*:([ \t]|\r?$|[,\]}])/ : /^[ \t]*:([ \t]|\r?$)/).test(rest))
        return { kind: 'key', flow };
    }
    return { kind: 'part', flow };
  }

  private blockContext(start: number, end: number): BlockLineContext {
    const b = this.block!;
    const indent = b.indent ?? 0;
    const before = this.text.slice(this.lineStart, start);
    return {
      kind: 'block',
      style: b.style,
      indent,
      atContentStart: before.length === indent && /^ *$/.test(before),
      setsIndent: !b.explicit && this.indentLine === this.lineStart,
      rest: this.rest(end),
    };
  }

  private rest(end: number): string {
    const eol = this.text.indexOf('\n', end);
    return this.text.slice(end, eol < 0 ? this.text.length : eol);
  }
}
