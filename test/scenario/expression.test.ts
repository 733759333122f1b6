/**
 * The expression evaluator on every expression of the real flows (examples/flows/public) and the
 * issue's functions, with Architect's NOT_SET rules and case-insensitive names.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/scenario/expression/evaluate.js';
import { ExpressionSyntaxError } from '../../src/scenario/expression/lexer.js';
import {
  Duration,
  ExpressionRuntimeError,
  toText,
  UnsupportedExpressionError,
  type Value,
} from '../../src/scenario/expression/values.js';

const vars: Record<string, Value> = {
  'flow.ani': 'tel:+1 (317) 555-0100',
  'flow.empty': '',
  'task.primaryqueue': { name: 'Primary', id: 'q-1' },
  'task.total_agents_on_queue': 3,
  'flow.list': ['a', 'b', 'c'],
};
const now = new Date('2026-12-02T15:00:00Z');
const ev = (text: string, extra: Record<string, Value> = {}) =>
  evaluate(text, { variable: (k) => (k in extra ? extra[k] : vars[k]), now });

describe('Architect expressions', () => {
  it('the real flows’ expressions', () => {
    expect(ev('Replace(ToString(ToPhoneNumber(flow.Ani).e164), "+","")')).toBe('13175550100');
    expect(
      ev(
        'contains(Lower(Flow.ani),"anonymous") or contains(Lower(Flow.ani),"unknown") or IsNotSetOrEmpty(Flow.ani) or Contains(Flow.ani,"localhost") or Contains(Flow.ani,"sip")',
      ),
    ).toBe(false);
    expect(ev('IsNotSetOrEmpty(Flow.nothing)')).toBe(true);
    expect(ev('Task.total_agents_on_queue > 0')).toBe(true);
    expect(ev('Task.PrimaryQueue.id')).toBe('q-1');
    expect(toText(ev('ToPhoneNumber(Call.Ani)', { 'call.ani': 'tel:+13175550100' }))).toBe('+13175550100');
  });

  it('functions of the issue: If (lazy), IsSet, ToString, ToInt, Append, Substring, Find, Length, Upper', () => {
    expect(ev('If(IsSet(Flow.n), Flow.n, 0) + 5')).toBe(5);
    expect(ev('If(false, 5 + Flow.n, 1)')).toBe(1); // the branch not taken is not evaluated
    expect(ev('ToString(12) + "!"')).toBe('12!');
    expect(ev('ToInt("42") * 2')).toBe(84);
    expect(ev('ToInt(7 / 2)')).toBe(3);
    expect(ev('Append("a", "b", "c")')).toBe('abc');
    expect(ev('Substring("abcdef", 1, 3)')).toBe('bcd');
    expect(ev('Find("abcdef", "cd")')).toBe(2);
    expect(ev('Length("abc") + Count(Flow.list)')).toBe(6);
    expect(ev('Upper(Left("hello", 2)) == "HE" and not (1 > 2)')).toBe(true);
    expect(ev('GetAt(Flow.list, FindFirst(Flow.list, "b"))')).toBe('b');
    expect(ev('Flow.list[2]')).toBe('c');
  });

  it('date-time functions run against the case’s time', () => {
    expect(ev('GetCurrentDateTimeUtc()')).toEqual(now);
    expect(ev('ToString(AddHours(GetCurrentDateTimeUtc(), -3))')).toBe('2026-12-02T12:00:00.000Z');
    expect(
      ev(
        'DateTimeDiff(GetCurrentDateTimeUtc(), ToDateTime("2026-12-02T14:00:00Z")) >= MakeDuration(0, 0, 30)',
      ),
    ).toBe(true);
    expect(toText(ev('MakeDuration(1, 2, 3, 4)'))).toBe('P1DT2H3M4S');
    expect(ev('GetCurrentDateTimeUtc() + MakeDuration(0, 1)')).toEqual(new Date('2026-12-02T16:00:00Z'));
    expect(ev('GetDayOfWeek(GetCurrentDateTimeUtc())')).toBe(4); // Wednesday, Sunday = 1
    expect(ev('MakeDuration(0,0,1)')).toBeInstanceOf(Duration);
  });

  it('NOT_SET where a value is needed is a runtime error; == with NOT_SET is not', () => {
    expect(() => ev('5 + Flow.n')).toThrow(ExpressionRuntimeError);
    expect(() => ev('Lower(Flow.n)')).toThrow(/Lower was given NOT_SET/);
    expect(ev('Flow.n == NOT_SET')).toBe(true);
    expect(ev('ToString(NOT_SET) == ""')).toBe(false); // help: "Use NOT_SET in expressions"
  });

  it('an unknown function or name is unsupported, with its offset; bad syntax says where', () => {
    expect(() => ev('Foo(1)')).toThrow(UnsupportedExpressionError);
    expect(() => ev('Foo(1)')).toThrow("the function 'Foo'");
    expect(() => ev('Weird.thing')).toThrow(/no variable the interpreter knows/);
    try {
      ev('1 + (2');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ExpressionSyntaxError);
      expect((e as ExpressionSyntaxError).at).toBe(6);
    }
  });
});
