/**
 * Archy's value nodes as runtime values: `{lit: x}` a literal (a queue `{lit: {name: Q}}` is a
 * record), `{exp: text}` an expression, `{var: Name}` a variable, `{noValue: true}` NOT_SET, and
 * audio (`{tts: text}`, `{prompt: name}`, `{exp: …}`, lists of them) as what the caller hears.
 * The shapes are those of the real flows (examples/flows/public) and the Scripting SDK's
 * ArchValue* classes (a literal, an expression or a variable each).
 */
import { evaluate, type EvalContext } from './expression/evaluate.js';
import { ExpressionSyntaxError } from './expression/lexer.js';
import {
  Audio,
  ExpressionRuntimeError,
  fromPlain,
  toText,
  UnsupportedExpressionError,
  type Value,
} from './expression/values.js';
import { CaseError, FlowRuntimeError } from './errors.js';
import { isObj, str, type FlowSource } from './flow-source.js';

/** Evaluates an expression at a place of the flow; syntax and support problems become case errors. */
export function evalAt(
  text: string,
  ctx: EvalContext,
  source: FlowSource,
  holder: object,
  key: string,
): Value {
  try {
    return evaluate(text, ctx);
  } catch (e) {
    if (e instanceof UnsupportedExpressionError)
      throw new CaseError(
        `the expression '${text}' uses ${e.message}, which the interpreter does not support`,
        source.where(holder, key),
        "Fix the value with assume: {'<action name>': <output>} in the case, or see docs/scenarios.md for what is supported.",
      );
    if (e instanceof ExpressionSyntaxError)
      throw new CaseError(
        `the expression '${text}' cannot be read: ${e.message} at character ${e.at + 1}`,
        source.where(holder, key),
        'Check the expression in Architect; flowgate reads the syntax of its expression help.',
      );
    if (e instanceof ExpressionRuntimeError)
      throw new FlowRuntimeError(`${e.message} in '${text}'`, source.where(holder, key));
    throw e;
  }
}

/** A value node of the flow (`holder[key]`). */
export function readValue(
  holder: Record<string, unknown>,
  key: string,
  ctx: EvalContext,
  source: FlowSource,
): Value {
  const v = holder[key];
  if (!isObj(v)) return fromPlain(v);
  if ('exp' in v) {
    const text = str(v.exp);
    return text === undefined ? undefined : evalAt(text, ctx, source, v, 'exp');
  }
  if ('lit' in v) return fromPlain(v.lit);
  if ('var' in v) return ctx.variable(String(v.var).toLowerCase());
  if ('noValue' in v) return undefined;
  if ('tts' in v) return new Audio([String(v.tts)]);
  if ('prompt' in v) return new Audio([String(v.prompt)]);
  return fromPlain(v);
}

/** What an audio node plays, as texts (TTS, prompt names), in order. */
export function audioTexts(
  holder: Record<string, unknown>,
  key: string,
  ctx: EvalContext,
  source: FlowSource,
): string[] {
  const v = holder[key];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v))
    return v.flatMap((_, i) => audioTexts(v as unknown as Record<string, unknown>, String(i), ctx, source));
  if (isObj(v) && Array.isArray(v.sequence)) return audioTexts(v, 'sequence', ctx, source);
  const value = readValue(holder, key, ctx, source);
  if (value instanceof Audio) return value.parts.filter((p) => p !== '');
  const t = toText(value);
  return t === undefined || t === '' ? [] : [t];
}

/** The name of a queue, flow, user or schedule a value names (`{lit: {name: X}}`, `{name: X}`, an expression). */
export function targetName(
  holder: Record<string, unknown>,
  key: string,
  ctx: EvalContext,
  source: FlowSource,
): string | undefined {
  const v = holder[key];
  if (isObj(v) && !('lit' in v) && !('exp' in v) && !('var' in v) && 'name' in v) return str(v.name);
  return toText(readValue(holder, key, ctx, source));
}
