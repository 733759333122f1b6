/**
 * Runtime values of Architect expressions. `undefined` is NOT_SET (help.mypurecloud.com, "Use
 * NOT_SET in expressions": a scalar with no value, not the same as a blank string). Datetimes are
 * `Date` in UTC (help.mypurecloud.com, "DateTime values in Architect flows": Architect works in
 * UTC); durations, audio and phone numbers are small classes; queues, users and data rows are
 * plain records whose members are read case-insensitively.
 */

/** An Architect duration, in milliseconds. */
export class Duration {
  constructor(readonly ms: number) {}
  /** ISO-8601, as Architect's ToString writes a duration (`PT1H30M`, `P1DT2H`). */
  toString(): string {
    let rest = Math.abs(this.ms);
    const d = Math.floor(rest / 86_400_000);
    rest -= d * 86_400_000;
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const s = rest / 1000;
    const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!d && !h && !m) ? `${s}S` : ''}`;
    return `${this.ms < 0 ? '-' : ''}P${d ? `${d}D` : ''}${time ? `T${time}` : ''}`;
  }
}

/** Audio: the TTS texts and prompt names it plays, in order (what a case `hears`). */
export class Audio {
  constructor(readonly parts: readonly string[]) {}
  toString(): string {
    return this.parts.join(' ');
  }
}

/** A value of an expression; `undefined` is NOT_SET. */
export type Value = undefined | string | number | boolean | Date | Duration | Audio | Value[] | ValueRecord;

/** A record value (a queue `{name, id}`, a phone number `{e164}`, a data table row). */
export interface ValueRecord {
  readonly [key: string]: Value;
}

/** A runtime problem: Architect invokes the flow's error handling for it. */
export class ExpressionRuntimeError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = 'ExpressionRuntimeError';
  }
}

/** An expression that uses something the evaluator does not interpret (a function, a name). */
export class UnsupportedExpressionError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = 'UnsupportedExpressionError';
  }
}

/** True for a record value. */
export function isRecord(v: Value): v is ValueRecord {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof Duration) &&
    !(v instanceof Audio)
  );
}

/** A record's member, case-insensitively (Architect's names are). */
export function member(v: ValueRecord, name: string): Value {
  if (Object.hasOwn(v, name)) return v[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(v)) if (k.toLowerCase() === lower) return v[k];
  return undefined;
}

/** Text of a value as Architect's ToString writes it; NOT_SET stays NOT_SET. */
export function toText(v: Value): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Duration || v instanceof Audio) return v.toString();
  if (Array.isArray(v)) return v.map((x) => toText(x) ?? '').join(', ');
  const shown = member(v, 'e164') ?? member(v, 'name') ?? member(v, 'id');
  return shown === undefined ? JSON.stringify(v) : toText(shown);
}

/** A value from a case's YAML (strings, numbers, booleans, lists, mappings) as a runtime value. */
export function fromPlain(v: unknown): Value {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (typeof v === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromPlain(x);
    return out;
  }
  return typeof v === 'bigint' ? v.toString() : undefined;
}

/** Whether two values are equal as Architect's `==` compares them (strings case-sensitively). */
export function sameValue(a: Value, b: Value): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Duration && b instanceof Duration) return a.ms === b.ms;
  if (isRecord(a) && isRecord(b)) return toText(a) === toText(b);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return a === b;
}
