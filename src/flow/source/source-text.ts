/**
 * Source text: reading a flow file safely (size, binary, encoding) and mapping offsets back to
 * line:column of the original file, even after substitutions changed the text.
 */
import { readFile, stat } from 'node:fs/promises';

/** Largest flow file flowgate reads (the 10 MB). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The index of the last element of a sorted array that is ≤ `x` (0 when none is). */
export function lastAtOrBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sorted[mid] ?? 0) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Line-start index of a text, for offset → line:column. */
export class LineIndex {
  private readonly starts: number[];

  constructor(text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    if (offset < 0) return { line: 0, column: 0 };
    const lo = lastAtOrBelow(this.starts, offset);
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }

  /** The text of a 1-based line, without its newline. */
  lineText(text: string, line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const end = text.indexOf('\n', start);
    return text.slice(start, end === -1 ? undefined : end).replace(/\r$/, '');
  }
}

/** Why a file could not be turned into text. */
export interface ReadProblem {
  code: 'empty-file' | 'binary-file' | 'too-large' | 'read-error';
  message: string;
  hint: string;
}

/**
 * Why a file cannot be opened, in words (issue 20 §12: `ENOENT` is not an explanation). The file's
 * name is not repeated: every report of a read problem shows it as the location.
 */
export function readFailure(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'ENOTDIR':
      return 'no such file (a part of its path is a file, not a folder)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many symbolic links on its path';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default:
      return `cannot be read (${code ?? 'unknown error'})`;
  }
}

/** Reads a file's bytes, refusing what is not a file and oversized files. */
export async function readSourceBytes(
  file: string,
  maxBytes = MAX_FILE_BYTES,
): Promise<{ bytes: Buffer } | { problem: ReadProblem }> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) {
      return {
        problem: {
          code: 'read-error',
          message: st.isDirectory() ? 'a folder, not a file' : 'not a regular file',
          hint: 'Name an Archy YAML or graph JSON file.',
        },
      };
    }
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      problem: {
        code: 'read-error',
        message: readFailure(code),
        hint: code === 'EACCES' || code === 'EPERM' ? 'Check its permissions.' : 'Check the path.',
      },
    };
  }
  if (size > maxBytes) {
    return {
      problem: {
        code: 'too-large',
        message: `${size} bytes; the limit is ${maxBytes} bytes`,
        hint: 'Split the flow, or raise the limit with --max-file-size.',
      },
    };
  }
  return { bytes: await readFile(file) };
}

/** Decodes bytes as UTF-8 text, refusing empty input, NUL bytes and invalid UTF-8. */
export function decodeSourceBytes(bytes: Uint8Array): { text: string } | { problem: ReadProblem } {
  if (bytes.length === 0 || bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
    return { problem: { code: 'empty-file', message: 'the file is empty', hint: 'Add a flow definition.' } };
  }
  if (bytes.includes(0)) {
    return {
      problem: {
        code: 'binary-file',
        message: 'the file contains NUL bytes: it is binary, not YAML or JSON',
        hint: 'Pass an Archy YAML or graph JSON file.',
      },
    };
  }
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  } catch {
    return {
      problem: {
        code: 'binary-file',
        message: 'the file is not valid UTF-8 text',
        hint: 'Save the file as UTF-8.',
      },
    };
  }
}
