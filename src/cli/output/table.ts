/**
 * Plain-text tables whose columns are as wide as their content: nothing is cut (issue 20 §17:
 * `Authenticate Caller [commonmodul`). Cells must already be `terminalSafe`.
 */

/** How a column's cells are aligned. */
export type Align = 'left' | 'right';

/**
 * The width a terminal gives a text, counted in code points: flowgate's names are mostly Latin,
 * and a wide (CJK) character then makes its row one column longer, never a cut name.
 */
export function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const pad = (text: string, width: number, align: Align) => {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)));
  return align === 'right' ? fill + text : text + fill;
};

/**
 * The lines of a table (header first), columns separated by `gap` spaces; the last column is not
 * padded, so no line ends in blanks.
 */
export function tableLines(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { align?: readonly Align[]; gap?: number } = {},
): string[] {
  // A loop, not Math.max(...rows): a long history would pass too many arguments.
  const widths = header.map((h, i) =>
    rows.reduce((w, r) => Math.max(w, textWidth(r[i] ?? '')), textWidth(h)),
  );
  const gap = ' '.repeat(options.gap ?? 2);
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 && (options.align?.[i] ?? 'left') === 'left'
          ? c
          : pad(c, widths[i]!, options.align?.[i] ?? 'left'),
      )
      .join(gap);
  return [line(header), ...rows.map(line)];
}
