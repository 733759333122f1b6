/**
 * The expression functions the interpreter knows, by lower-cased name (Architect's names are
 * case-insensitive: the real flows write `contains(` and `Contains(`). Chosen from a survey of
 * every `exp:` of the real flows (docs/scenarios.md lists the counts) and the issue's list;
 * semantics from Architect's expression help as published on help.mypurecloud.com ("Use NOT_SET
 * in expressions": a NOT_SET argument where none is allowed invokes the error handler; "DateTime
 * values in Architect flows": GetCurrentDateTimeUtc, AddHours, AddMinutes, datetime + duration).
 * A function not here is an {@link UnsupportedExpressionError} naming it.
 */
import {
  Audio,
  Duration,
  ExpressionRuntimeError,
  isRecord,
  member,
  sameValue,
  toText,
  type Value,
} from './values.js';

/** What a function sees besides its arguments. */
export interface FunctionContext {
  /** The case's time (`at:`): GetCurrentDateTimeUtc(). */
  now: Date;
  /** Offset of the call in the expression, for errors. */
  at: number;
}

type Fn = (args: Value[], ctx: FunctionContext) => Value;

function fail(ctx: FunctionContext, message: string): never {
  throw new ExpressionRuntimeError(message, ctx.at);
}

function arity(name: string, args: Value[], ctx: FunctionContext, min: number, max = min): void {
  if (args.length < min || args.length > max)
    fail(ctx, `${name} takes ${min === max ? min : `${min} to ${max}`} arguments, not ${args.length}`);
}

/** A string argument; NOT_SET is an error unless `allowNotSet`. */
function text(name: string, v: Value, ctx: FunctionContext): string {
  if (v === undefined) fail(ctx, `${name} was given NOT_SET where a value is needed`);
  return toText(v)!;
}

function num(name: string, v: Value, ctx: FunctionContext): number {
  if (typeof v === 'number') return v;
  if (v === undefined) fail(ctx, `${name} was given NOT_SET where a number is needed`);
  const n = Number(toText(v));
  if (!Number.isFinite(n)) fail(ctx, `${name} was given ${JSON.stringify(toText(v))}, which is not a number`);
  return n;
}

function date(name: string, v: Value, ctx: FunctionContext): Date {
  if (v instanceof Date) return v;
  if (v === undefined) fail(ctx, `${name} was given NOT_SET where a datetime is needed`);
  const d = new Date(toText(v)!);
  if (Number.isNaN(d.getTime()))
    fail(ctx, `${name} was given ${JSON.stringify(toText(v))}, which is not a datetime`);
  return d;
}

function list(name: string, v: Value, ctx: FunctionContext): Value[] {
  if (Array.isArray(v)) return v;
  if (v === undefined) return [];
  fail(ctx, `${name} needs a collection`);
}

const shift = (unit: number) => (args: Value[], ctx: FunctionContext) => {
  arity('Add…', args, ctx, 2);
  return new Date(date('Add…', args[0], ctx).getTime() + num('Add…', args[1], ctx) * unit);
};

/** E.164 from a phone number string (`tel:+1 317-555-0100` → `+13175550100`). */
function e164(s: string): string {
  const bare = s.replace(/^tel:/i, '').replace(/[;@].*$/, '');
  const digits = bare.replace(/[^0-9]/g, '');
  return bare.trim().startsWith('+') || digits.length > 10 ? `+${digits}` : `+1${digits}`;
}

/** The functions, by lower-cased name. */
export const FUNCTIONS: ReadonlyMap<string, Fn> = new Map<string, Fn>([
  ['isset', (a, c) => (arity('IsSet', a, c, 1), a[0] !== undefined)],
  [
    'isnotsetorempty',
    (a, c) => {
      arity('IsNotSetOrEmpty', a, c, 1);
      const v = a[0];
      return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
    },
  ],
  ['tostring', (a, c) => (arity('ToString', a, c, 1), toText(a[0]))],
  ['todisplaystring', (a, c) => (arity('ToDisplayString', a, c, 1), toText(a[0]) ?? '')],
  [
    'toint',
    (a, c) => {
      arity('ToInt', a, c, 1);
      const v = a[0];
      if (typeof v === 'boolean') return v ? 1 : 0;
      return Math.trunc(num('ToInt', v, c));
    },
  ],
  ['todecimal', (a, c) => (arity('ToDecimal', a, c, 1), num('ToDecimal', a[0], c))],
  [
    'tobool',
    (a, c) => {
      arity('ToBool', a, c, 1);
      const s = text('ToBool', a[0], c).toLowerCase();
      if (s !== 'true' && s !== 'false') fail(c, `ToBool was given ${JSON.stringify(s)}`);
      return s === 'true';
    },
  ],
  [
    'append',
    (a, c) => {
      if (a.some((x) => x instanceof Audio))
        return new Audio(
          a.flatMap((x) => (x instanceof Audio ? x.parts : x === undefined ? [] : [toText(x)!])),
        );
      if (a.some(Array.isArray)) return a.flatMap((x) => (Array.isArray(x) ? x : [x]));
      return a.map((x) => text('Append', x, c)).join('');
    },
  ],
  [
    'substring',
    (a, c) => {
      arity('Substring', a, c, 3);
      const s = text('Substring', a[0], c);
      const start = num('Substring', a[1], c);
      const length = num('Substring', a[2], c);
      if (start < 0 || length < 0 || start + length > s.length)
        fail(c, `Substring(${JSON.stringify(s)}, ${start}, ${length}) is out of range`);
      return s.slice(start, start + length);
    },
  ],
  [
    'left',
    (a, c) => (arity('Left', a, c, 2), text('Left', a[0], c).slice(0, Math.max(0, num('Left', a[1], c)))),
  ],
  [
    'right',
    (a, c) => {
      arity('Right', a, c, 2);
      const s = text('Right', a[0], c);
      const n = Math.max(0, num('Right', a[1], c));
      return n === 0 ? '' : s.slice(-n);
    },
  ],
  [
    'contains',
    (a, c) => {
      arity('Contains', a, c, 2);
      if (Array.isArray(a[0])) return a[0].some((x) => sameValue(x, a[1]));
      return text('Contains', a[0], c).includes(text('Contains', a[1], c));
    },
  ],
  ['find', (a, c) => (arity('Find', a, c, 2), text('Find', a[0], c).indexOf(text('Find', a[1], c)))],
  [
    'findstring',
    (a, c) => (
      arity('FindString', a, c, 2),
      text('FindString', a[0], c).indexOf(text('FindString', a[1], c))
    ),
  ],
  [
    'findfirst',
    (a, c) => (arity('FindFirst', a, c, 2), list('FindFirst', a[0], c).findIndex((x) => sameValue(x, a[1]))),
  ],
  [
    'length',
    (a, c) => {
      arity('Length', a, c, 1);
      return Array.isArray(a[0]) ? a[0].length : text('Length', a[0], c).length;
    },
  ],
  ['count', (a, c) => (arity('Count', a, c, 1), list('Count', a[0], c).length)],
  [
    'getat',
    (a, c) => {
      arity('GetAt', a, c, 2);
      const l = list('GetAt', a[0], c);
      const i = num('GetAt', a[1], c);
      if (i < 0 || i >= l.length) fail(c, `GetAt index ${i} is outside a collection of ${l.length}`);
      return l[i];
    },
  ],
  ['makelist', (a) => [...a]],
  ['lower', (a, c) => (arity('Lower', a, c, 1), text('Lower', a[0], c).toLowerCase())],
  ['upper', (a, c) => (arity('Upper', a, c, 1), text('Upper', a[0], c).toUpperCase())],
  ['tolower', (a, c) => (arity('ToLower', a, c, 1), text('ToLower', a[0], c).toLowerCase())],
  ['toupper', (a, c) => (arity('ToUpper', a, c, 1), text('ToUpper', a[0], c).toUpperCase())],
  ['trim', (a, c) => (arity('Trim', a, c, 1), text('Trim', a[0], c).trim())],
  [
    'replace',
    (a, c) => {
      arity('Replace', a, c, 3);
      const find = text('Replace', a[1], c);
      const s = text('Replace', a[0], c);
      return find === '' ? s : s.split(find).join(text('Replace', a[2], c));
    },
  ],
  [
    'startswith',
    (a, c) => (
      arity('StartsWith', a, c, 2),
      text('StartsWith', a[0], c).startsWith(text('StartsWith', a[1], c))
    ),
  ],
  [
    'endswith',
    (a, c) => (arity('EndsWith', a, c, 2), text('EndsWith', a[0], c).endsWith(text('EndsWith', a[1], c))),
  ],
  [
    'tophonenumber',
    (a, c) => {
      arity('ToPhoneNumber', a, c, 1);
      const v = a[0];
      if (isRecord(v) && member(v, 'e164') !== undefined) return v;
      const s = text('ToPhoneNumber', v, c);
      return { e164: e164(s), raw: s };
    },
  ],
  ['getcurrentdatetimeutc', (a, c) => (arity('GetCurrentDateTimeUtc', a, c, 0), c.now)],
  ['todatetime', (a, c) => (arity('ToDateTime', a, c, 1), date('ToDateTime', a[0], c))],
  ['addseconds', shift(1000)],
  ['addminutes', shift(60_000)],
  ['addhours', shift(3_600_000)],
  ['adddays', shift(86_400_000)],
  [
    'datetimediff',
    (a, c) => {
      arity('DateTimeDiff', a, c, 2);
      return new Duration(date('DateTimeDiff', a[0], c).getTime() - date('DateTimeDiff', a[1], c).getTime());
    },
  ],
  [
    'makeduration',
    (a, c) => {
      arity('MakeDuration', a, c, 1, 5);
      const [d = 0, h = 0, m = 0, s = 0, ms = 0] = a.map((x) => num('MakeDuration', x, c));
      return new Duration(((d * 24 + h) * 60 + m) * 60_000 + s * 1000 + ms);
    },
  ],
  ['gethour', (a, c) => (arity('GetHour', a, c, 1), date('GetHour', a[0], c).getUTCHours())],
  ['getminute', (a, c) => (arity('GetMinute', a, c, 1), date('GetMinute', a[0], c).getUTCMinutes())],
  // Architect numbers the days of the week from Sunday = 1.
  ['getdayofweek', (a, c) => (arity('GetDayOfWeek', a, c, 1), date('GetDayOfWeek', a[0], c).getUTCDay() + 1)],
  ['toaudiotts', (a, c) => (arity('ToAudioTTS', a, c, 1), new Audio([text('ToAudioTTS', a[0], c)]))],
  ['toaudioblank', (a, c) => (arity('ToAudioBlank', a, c, 1), new Audio([]))],
  ['audioplaybackoptions', (a, c) => (arity('AudioPlaybackOptions', a, c, 1, 2), a[0])],
  ['makecommunication', (a) => a.map((x) => toText(x) ?? '').join('')],
  ['tocommunication', (a, c) => (arity('ToCommunication', a, c, 1, 2), toText(a[0]) ?? '')],
]);
