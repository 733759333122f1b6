/**
 * Evaluating a parsed Architect expression against a case's variables. Each expression text is
 * parsed once and cached: a thousand cases over one flow parse its expressions once.
 *
 * Names: `Scope.Variable` (Flow, Task, State, Call, Slot, …) is a variable, looked up
 * case-insensitively; what follows is member access (`Task.PrimaryQueue.id`, `ToPhoneNumber(x).e164`).
 * `Format.*` names (ToCommunication's formats) stand for themselves.
 */
import { FUNCTIONS } from './functions.js';
import { parseExpression, type Expr } from './parser.js';
import {
  Duration,
  ExpressionRuntimeError,
  isRecord,
  member,
  sameValue,
  toText,
  UnsupportedExpressionError,
  type Value,
} from './values.js';

/** Where an expression finds its variables and its time. */
export interface EvalContext {
  /** A variable's value by lower-cased `scope.name`; `undefined` is NOT_SET. */
  variable(key: string): Value;
  /** GetCurrentDateTimeUtc(). */
  now: Date;
}

/** Scopes a variable name may start with (Architect's variable prefixes). */
const SCOPES = new Set([
  'flow',
  'task',
  'state',
  'call',
  'slot',
  'message',
  'email',
  'survey',
  'session',
  'common',
  'interaction',
  'outbound',
  'callback',
  'bot',
  'system',
  'memory',
  'workflow',
]);

const cache = new Map<string, Expr>();

/** The parsed expression, cached. @throws {ExpressionSyntaxError} */
export function compile(text: string): Expr {
  let e = cache.get(text);
  if (!e) {
    e = parseExpression(text);
    if (cache.size > 50_000) cache.clear();
    cache.set(text, e);
  }
  return e;
}

/** Evaluates an expression text. @throws ExpressionSyntaxError, ExpressionRuntimeError, UnsupportedExpressionError */
export function evaluate(text: string, ctx: EvalContext): Value {
  return run(compile(text), ctx);
}

function run(e: Expr, ctx: EvalContext): Value {
  switch (e.t) {
    case 'lit':
      return e.v as Value;
    case 'name':
      return name(e.path, e.at, ctx);
    case 'member': {
      const obj = run(e.obj, ctx);
      if (obj === undefined) return undefined;
      if (!isRecord(obj))
        throw new ExpressionRuntimeError(`'${e.name}' is not a member of ${toText(obj)}`, e.at);
      return member(obj, e.name);
    }
    case 'index': {
      const obj = run(e.obj, ctx);
      const i = run(e.index, ctx);
      if (!Array.isArray(obj)) throw new ExpressionRuntimeError('only a collection can be indexed', e.at);
      if (typeof i !== 'number' || i < 0 || i >= obj.length)
        throw new ExpressionRuntimeError(`index ${toText(i)} is outside a collection of ${obj.length}`, e.at);
      return obj[i];
    }
    case 'unary': {
      const v = run(e.arg, ctx);
      if (e.op === 'not') return !bool(v, e.at);
      if (typeof v !== 'number') throw new ExpressionRuntimeError('unary minus needs a number', e.at);
      return -v;
    }
    case 'bin':
      return binary(e, ctx);
    case 'call':
      return call(e, ctx);
  }
}

function name(path: string[], at: number, ctx: EvalContext): Value {
  const scope = path[0]!.toLowerCase();
  if (scope === 'format') return path.join('.');
  if (!SCOPES.has(scope) || path.length < 2)
    throw new UnsupportedExpressionError(
      `the name '${path.join('.')}' is no variable the interpreter knows`,
      at,
    );
  let v = ctx.variable(`${scope}.${path[1]!.toLowerCase()}`);
  for (const m of path.slice(2)) {
    if (v === undefined) return undefined;
    if (!isRecord(v)) throw new ExpressionRuntimeError(`'${m}' is not a member of ${toText(v)}`, at);
    v = member(v, m);
  }
  return v;
}

function bool(v: Value, at: number): boolean {
  if (typeof v === 'boolean') return v;
  throw new ExpressionRuntimeError(
    v === undefined ? 'a NOT_SET boolean' : `${toText(v)} is not a boolean`,
    at,
  );
}

function binary(e: Extract<Expr, { t: 'bin' }>, ctx: EvalContext): Value {
  if (e.op === 'and') return bool(run(e.l, ctx), e.at) && bool(run(e.r, ctx), e.at);
  if (e.op === 'or') return bool(run(e.l, ctx), e.at) || bool(run(e.r, ctx), e.at);
  const l = run(e.l, ctx);
  const r = run(e.r, ctx);
  if (e.op === '==') return sameValue(l, r);
  if (e.op === '!=') return !sameValue(l, r);
  // NOT_SET in arithmetic or an ordering invokes the error handler (help: "Use NOT_SET in expressions").
  if (l === undefined || r === undefined)
    throw new ExpressionRuntimeError(`NOT_SET used with '${e.op}'`, e.at);
  if (e.op === '+') {
    if (l instanceof Date && r instanceof Duration) return new Date(l.getTime() + r.ms);
    if (l instanceof Duration && r instanceof Duration) return new Duration(l.ms + r.ms);
    if (typeof l === 'number' && typeof r === 'number') return l + r;
    return `${toText(l)}${toText(r)}`;
  }
  if (e.op === '-') {
    if (l instanceof Date && r instanceof Date) return new Duration(l.getTime() - r.getTime());
    if (l instanceof Date && r instanceof Duration) return new Date(l.getTime() - r.ms);
  }
  const a = comparable(l, e.at);
  const b = comparable(r, e.at);
  switch (e.op) {
    case '-':
      return numeric(a, b, e.at, (x, y) => x - y);
    case '*':
      return numeric(a, b, e.at, (x, y) => x * y);
    case '/':
      if (b === 0) throw new ExpressionRuntimeError('division by zero', e.at);
      return numeric(a, b, e.at, (x, y) => x / y);
    case '%':
      return numeric(a, b, e.at, (x, y) => x % y);
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
  throw new UnsupportedExpressionError(`the operator '${e.op}'`, e.at);
}

function comparable(v: Value, at: number): number | string {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (v instanceof Date) return v.getTime();
  if (v instanceof Duration) return v.ms;
  throw new ExpressionRuntimeError(`${toText(v)} cannot be compared or computed with`, at);
}

function numeric(
  a: number | string,
  b: number | string,
  at: number,
  f: (x: number, y: number) => number,
): number {
  if (typeof a !== 'number' || typeof b !== 'number')
    throw new ExpressionRuntimeError('arithmetic needs numbers', at);
  return f(a, b);
}

function call(e: Extract<Expr, { t: 'call' }>, ctx: EvalContext): Value {
  const lower = e.name.toLowerCase();
  if (lower === 'if') {
    // Lazy: only the chosen branch is evaluated, so If(IsSet(x), x, 0) guards x.
    if (e.args.length !== 3)
      throw new ExpressionRuntimeError(`If takes 3 arguments, not ${e.args.length}`, e.at);
    return bool(run(e.args[0]!, ctx), e.at) ? run(e.args[1]!, ctx) : run(e.args[2]!, ctx);
  }
  const fn = FUNCTIONS.get(lower);
  if (!fn) throw new UnsupportedExpressionError(`the function '${e.name}'`, e.at);
  return fn(
    e.args.map((a) => run(a, ctx)),
    { now: ctx.now, at: e.at },
  );
}
