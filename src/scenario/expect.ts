/**
 * Comparing a case's `expect:` with what happened, and saying the first difference: the end
 * (type, then each property named), then what was heard (a subsequence, in order), the path (a
 * subsequence), the variables, the participant data.
 */
import { toText, type Value } from './expression/values.js';
import type { Ending } from './run-state.js';
import { REGEX_TEXT, type ScenarioCase } from './schema.js';

/** What a case did, as compared. */
export interface Outcome {
  end: Ending;
  hears: readonly string[];
  path: readonly string[];
  variable: (name: string) => Value;
  participant: (name: string) => Value;
}

const TYPE_ALIASES: Record<string, string> = { voicemail: 'transferToVoicemail' };

/** A text matcher from a `hears:`/`path:` item: `/re/flags`, else a text found in the item. */
export function matcher(spec: string): (s: string) => boolean {
  const m = REGEX_TEXT.exec(spec);
  if (m) {
    const re = new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ''));
    return (s) => re.test(s);
  }
  return (s) => s.includes(spec);
}

/** The first difference between the expectation and the outcome, or undefined when they agree. */
export function firstDifference(expect: ScenarioCase['expect'], o: Outcome): string | undefined {
  return (
    endsDifference(expect.ends, o.end) ??
    subsequence('hears', expect.hears, o.hears) ??
    subsequence('path', expect.path, o.path) ??
    valuesDifference('variables', expect.variables, o.variable) ??
    valuesDifference('participantData', expect.participantData, o.participant)
  );
}

/** An ending as text: `transferToAcd {queue: Loans}`. */
export function showEnding(e: Ending): string {
  const props = Object.entries(e.props);
  return props.length === 0 ? e.type : `${e.type} {${props.map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
}

function endsDifference(expected: ScenarioCase['expect']['ends'], end: Ending): string | undefined {
  if (expected === undefined) return undefined;
  const [type, props] =
    typeof expected === 'string' ? [expected, {}] : (Object.entries(expected)[0] ?? ['', {}]);
  const wantType = TYPE_ALIASES[type] ?? type;
  const want = `${wantType}${
    props && Object.keys(props).length > 0
      ? ` {${Object.entries(props)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join(', ')}}`
      : ''
  }`;
  const got = `${showEnding(end)} at ${end.where}`;
  if (wantType.toLowerCase() !== end.type.toLowerCase()) return `ends: expected ${want}, got ${got}`;
  for (const [k, v] of Object.entries(props ?? {})) {
    const actualKey = Object.keys(end.props).find((x) => x.toLowerCase() === k.toLowerCase());
    const actual = actualKey === undefined ? undefined : end.props[actualKey];
    if (actual !== String(v))
      return `ends: expected ${want}, got ${got} (${k} is ${actual === undefined ? 'not set' : JSON.stringify(actual)})`;
  }
  return undefined;
}

function subsequence(
  what: string,
  expected: readonly string[] | undefined,
  actual: readonly string[],
): string | undefined {
  if (!expected) return undefined;
  let from = 0;
  for (let i = 0; i < expected.length; i++) {
    const test = matcher(expected[i]!);
    let found = -1;
    for (let j = from; j < actual.length && found < 0; j++) if (test(actual[j]!)) found = j;
    if (found < 0) {
      const after = i > 0 ? ` after ${show(expected[i - 1]!)}` : '';
      const earlier = actual.slice(0, from).some(test) ? ' (only earlier)' : '';
      const list = actual.length === 0 ? 'nothing' : actual.map((a) => JSON.stringify(a)).join(', ');
      return `${what}[${i}]: ${show(expected[i]!)} was not ${what === 'hears' ? 'heard' : 'on the path'}${after}${earlier}; ${what === 'hears' ? 'heard' : 'path'}: ${list}`;
    }
    from = found + 1;
  }
  return undefined;
}

function show(spec: string): string {
  return REGEX_TEXT.test(spec) ? spec : JSON.stringify(spec);
}

function valuesDifference(
  what: string,
  expected: Record<string, string | number | boolean | null> | undefined,
  read: (name: string) => Value,
): string | undefined {
  for (const [name, want] of Object.entries(expected ?? {})) {
    const got = toText(read(name));
    const wanted = want === null ? undefined : String(want);
    if (got !== wanted)
      return `${what}: ${name} is ${got === undefined ? 'NOT_SET' : JSON.stringify(got)}, expected ${wanted === undefined ? 'NOT_SET' : JSON.stringify(wanted)}`;
  }
  return undefined;
}
