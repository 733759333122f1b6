/**
 * A Pratt parser for Architect expressions. Precedence follows the expression help's operator
 * table (lowest first): `or`, `and`, `not`, comparisons, `+ -`, `* / %`, unary minus, then calls,
 * `.member` and `[index]`. Names are case-insensitive in Architect (the real flows write both
 * `Flow.ani` and `flow.Ani`, `Contains` and `contains`), so the evaluator folds their case.
 */
import { ExpressionSyntaxError, tokenize, type Token } from './lexer.js';

/** A node of a parsed expression; `at` is an offset in the expression text. */
export type Expr =
  | { t: 'lit'; v: unknown; at: number }
  | { t: 'name'; path: string[]; at: number }
  | { t: 'call'; name: string; args: Expr[]; at: number }
  | { t: 'member'; obj: Expr; name: string; at: number }
  | { t: 'index'; obj: Expr; index: Expr; at: number }
  | { t: 'unary'; op: 'not' | '-'; arg: Expr; at: number }
  | { t: 'bin'; op: string; l: Expr; r: Expr; at: number };

const BINARY: Record<string, number> = {
  or: 1,
  '||': 1,
  and: 2,
  '&&': 2,
  '==': 4,
  '=': 4,
  '!=': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};
const NOT_PRECEDENCE = 3;
const UNARY_MINUS = 7;

/** Parses one expression. @throws {ExpressionSyntaxError} with the offset of the problem. */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isOp = (tok: Token, v: string) => tok.kind === 'op' && tok.value === v;
  const expect = (v: string) => {
    const tok = next();
    if (!isOp(tok, v)) throw new ExpressionSyntaxError(`expected '${v}'`, tok.at);
  };
  const binaryOf = (tok: Token): string | undefined => {
    if (tok.kind === 'op' && tok.value in BINARY) return tok.value;
    if (tok.kind === 'name') {
      const w = tok.value.toLowerCase();
      if (w === 'and' || w === 'or') return w;
    }
    return undefined;
  };

  function parse(min: number): Expr {
    let left = prefix();
    for (;;) {
      const op = binaryOf(peek());
      if (op === undefined || BINARY[op]! < min) return left;
      const tok = next();
      const right = parse(BINARY[op]! + 1);
      left = {
        t: 'bin',
        op: op === '&&' ? 'and' : op === '||' ? 'or' : op === '=' ? '==' : op,
        l: left,
        r: right,
        at: tok.at,
      };
    }
  }

  function prefix(): Expr {
    const tok = next();
    if (tok.kind === 'num') return postfix({ t: 'lit', v: tok.value, at: tok.at });
    if (tok.kind === 'str') return postfix({ t: 'lit', v: tok.value, at: tok.at });
    if (isOp(tok, '(')) {
      const inner = parse(1);
      expect(')');
      return postfix(inner);
    }
    if (isOp(tok, '-')) return { t: 'unary', op: '-', arg: parse(UNARY_MINUS), at: tok.at };
    if (isOp(tok, '!')) return { t: 'unary', op: 'not', arg: parse(NOT_PRECEDENCE), at: tok.at };
    if (tok.kind === 'name') {
      const w = tok.value.toLowerCase();
      if (w === 'not') return { t: 'unary', op: 'not', arg: parse(NOT_PRECEDENCE), at: tok.at };
      if (w === 'true' || w === 'false') return postfix({ t: 'lit', v: w === 'true', at: tok.at });
      if (w === 'not_set') return postfix({ t: 'lit', v: undefined, at: tok.at });
      if (isOp(peek(), '(')) {
        next();
        const args: Expr[] = [];
        if (!isOp(peek(), ')'))
          for (;;) {
            args.push(parse(1));
            if (isOp(peek(), ',')) next();
            else break;
          }
        expect(')');
        return postfix({ t: 'call', name: tok.value, args, at: tok.at });
      }
      const path = [tok.value];
      while (isOp(peek(), '.') && tokens[pos + 1]?.kind === 'name') {
        next();
        path.push((next() as { value: string }).value);
      }
      return postfix({ t: 'name', path, at: tok.at });
    }
    throw new ExpressionSyntaxError(
      tok.kind === 'end' ? 'the expression ends too early' : 'unexpected token',
      tok.at,
    );
  }

  function postfix(e: Expr): Expr {
    for (;;) {
      const tok = peek();
      if (isOp(tok, '.') && tokens[pos + 1]?.kind === 'name') {
        next();
        e = { t: 'member', obj: e, name: (next() as { value: string }).value, at: tok.at };
      } else if (isOp(tok, '[')) {
        next();
        const index = parse(1);
        expect(']');
        e = { t: 'index', obj: e, index, at: tok.at };
      } else return e;
    }
  }

  const out = parse(1);
  const rest = peek();
  if (rest.kind !== 'end') throw new ExpressionSyntaxError('unexpected text after the expression', rest.at);
  return out;
}
