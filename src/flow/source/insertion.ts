/**
 * How a value must be written where its `{{ token }}` stands (`yaml-context.ts` says where) to stay
 * one scalar:
 * - inside double quotes: escaped (valid YAML and JSON double-quoted);
 * - inside single quotes: `'` doubled; a line break or a control character cannot be written;
 * - a whole plain scalar or a mapping key: verbatim when plain-safe there, else double-quoted;
 * - part of a plain scalar: verbatim when plain-safe there, else no safe form;
 * - in a flow collection (`{ … }`, `[ … ]`), plain-safe also excludes `, [ ] { }`;
 * - a line of a block scalar (`|`, `>`): verbatim, every character is literal there; a line break
 *   is indented into a literal scalar (`|`) and has no safe form in a folded one (`>`);
 * - a comment: verbatim unless it holds a line break.
 */
import type { BlockLineContext, TokenContext } from './yaml-context.js';

/** How to write a value, or why it cannot be written. */
export type Placement = { text: string } | { reason: string };

/**
 * Characters YAML does not allow unescaped (c-printable, YAML 1.2 §5.1; the byte order mark is not
 * content, §5.2), C1 controls (NEL was a line break in YAML 1.1) and lone surrogates.
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Longest implicit key YAML accepts (§7.4.2: 1024 Unicode characters). */
const MAX_KEY = 1024;

/** The text to insert for `value` at a token in context `ctx`. */
export function placeValue(ctx: TokenContext, value: string, format: 'yaml' | 'json'): Placement {
  switch (ctx.kind) {
    case 'double':
      return { text: format === 'json' ? JSON.stringify(value).slice(1, -1) : yamlEscaped(value) };
    case 'single':
      if (/[\r\n]/.test(value))
        return { reason: 'holds a line break, which a single-quoted YAML string cannot keep' };
      if (UNPRINTABLE.test(value))
        return { reason: 'holds a control character, which a single-quoted YAML string cannot escape' };
      return { text: value.replace(/'/g, "''") };
    case 'comment':
      return /[\r\n]/.test(value) ? { reason: 'holds a line break inside a comment' } : { text: value };
    case 'block':
      return placeInBlock(ctx, value);
    case 'whole':
    case 'key':
      return format === 'json' ? placeJson(value) : placeWhole(value, ctx.kind === 'key', ctx.flow);
    case 'part': {
      const problem =
        format === 'json' ? 'stands outside quotes in JSON' : plainProblem(value, false, ctx.flow);
      return problem === undefined || (format === 'json' && /^[\w.+-]*$/.test(value))
        ? { text: value }
        : { reason: `${problem}, in the middle of an unquoted value; quote the whole value in the file` };
    }
  }
}

function placeJson(value: string): Placement {
  return /^[\w.+-]+$/.test(value)
    ? { text: value }
    : { reason: 'is not a JSON number, true, false or null, and stands outside quotes' };
}

function placeWhole(value: string, key: boolean, flow: boolean): Placement {
  const text = plainProblem(value, true, flow) === undefined ? value : `"${yamlEscaped(value)}"`;
  if (key && [...text].length > MAX_KEY)
    return { reason: `is longer than the ${MAX_KEY} characters a YAML key may have` };
  return { text };
}

/** A value inside YAML double quotes: JSON's escapes plus `\uXXXX` for what YAML cannot hold raw. */
function yamlEscaped(value: string): string {
  return JSON.stringify(value)
    .slice(1, -1)
    .replace(
      /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

/** Why a value is not safe as (part of) a plain YAML scalar, or undefined when it is. */
function plainProblem(value: string, whole: boolean, flow: boolean): string | undefined {
  if (/[\r\n]/.test(value)) return 'holds a line break';
  if (UNPRINTABLE.test(value)) return 'holds a control character';
  if (/:(\s|$)/.test(value)) return "holds ': ' (or ends with ':'), which starts a mapping entry";
  if (/(^|\s)#/.test(value)) return "holds ' #', which starts a comment";
  if (flow && /[,[\]{}]/.test(value)) return 'holds one of , [ ] { }, which end a value inside { } or [ ]';
  if (flow && /:[,[\]{}]/.test(value)) return "holds ':' before , [ ] { }";
  if (!whole) return undefined;
  if (value === '') return 'is empty (an empty plain value is null)';
  if (/^\s|\s$/.test(value)) return 'starts or ends with a space';
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value)) return `starts with '${value[0]}', a YAML indicator`;
  if (/^(---|\.\.\.)(\s|$)/.test(value)) return 'is a document marker';
  return undefined;
}

/** A value on a content line of a block scalar. */
function placeInBlock(ctx: BlockLineContext, value: string): Placement {
  if (UNPRINTABLE.test(value) || value.includes('\r'))
    return { reason: 'holds a control character, which a block scalar cannot hold' };
  const lines = value.split('\n');
  if (lines.length > 1) {
    if (ctx.style === '>')
      return { reason: 'holds a line break, which a folded block scalar (>) turns into a space' };
    if (ctx.indent === 0) return { reason: 'holds a line break, in a block scalar that is not indented' };
    if (lines.at(-1) === '' && ctx.rest.trim() === '')
      return { reason: 'ends with a line break, which the end of a block scalar may drop' };
  }
  // The line's first character decides the indentation (the first line) and, in a folded scalar,
  // whether the line folds: a value that starts with a space or empties the line would change it.
  const head = `${lines[0]}${ctx.rest.replace(/\r$/, '')}`;
  if (ctx.atContentStart && ctx.setsIndent && !/^[^ ]/.test(head))
    return {
      reason: 'starts with a space or is empty, on the line that sets the indentation of a block scalar',
    };
  if (ctx.atContentStart && ctx.style === '>' && !/^[^ \t]/.test(head))
    return { reason: 'starts with a space or is empty, at the start of a line of a folded block scalar (>)' };
  return { text: lines.join(`\n${' '.repeat(ctx.indent)}`) };
}
