/**
 * The redactor on its own (src/platform/redact.ts), with exact outputs: what it replaces and what
 * it leaves alone. The paths that reach it (token endpoint, request core, CLI, ledger) are
 * test/reliability/secret-paths.test.ts; this file holds each rule at its edges, so that a rule
 * weakened in one place (a shorter match, a lost flag, a forgotten registration) fails here.
 */
import { describe, expect, it } from 'vitest';
import { Redactor, redactPatterns } from '../../src/platform/redact.js';

const R = '[REDACTED]';

describe('Redactor: registered values', () => {
  it('replaces every occurrence of each registered value, wherever it stands in the text', () => {
    const r = new Redactor();
    r.add('s3cr3t-value');
    r.add('tok-42');
    expect(r.redact('a s3cr3t-value b s3cr3t-value c tok-42tok-42')).toBe(`a ${R} b ${R} c ${R}${R}`);
  });

  it('registers values of 4 characters or more; shorter ones would redact ordinary words', () => {
    const r = new Redactor();
    r.add('abcd');
    r.add('xyz');
    r.add('');
    r.add(undefined);
    expect(r.redact('abcd xyz abc')).toBe(`${R} xyz abc`);
  });

  it('a deleted value is no longer replaced; the others still are', () => {
    const r = new Redactor();
    r.add('old-token-1');
    r.add('new-token-2');
    r.delete('old-token-1');
    expect(r.redact('old-token-1 new-token-2')).toBe(`old-token-1 ${R}`);
  });

  it('applies the generic patterns after the registered values', () => {
    const r = new Redactor();
    r.add('my-secret');
    expect(r.redact('secret my-secret, header Bearer unknown.token')).toBe(`secret ${R}, header Bearer ${R}`);
  });

  it('redactValue redacts every string inside a value and keeps its shape', () => {
    const r = new Redactor();
    r.add('hunter22');
    const value = { a: 'x hunter22', list: ['hunter22', 3, null], nested: { b: true, c: 'plain' } };
    expect(r.redactValue(value)).toEqual({
      a: `x ${R}`,
      list: [R, 3, null],
      nested: { b: true, c: 'plain' },
    });
    // The original is not touched: the redacted value is a copy.
    expect(value.a).toBe('x hunter22');
  });

  it('redactValue of undefined is null (JSON has no undefined), not a thrown SyntaxError', () => {
    expect(new Redactor().redactValue(undefined)).toBeNull();
  });
});

describe('redactPatterns: credentials whose value is not known', () => {
  it.each([
    ['Authorization: Bearer eyJ.abc-def_ghi~jk+l/m=', `Authorization: Bearer ${R}`],
    ['authorization: basic dXNlcjpwYXNz', `authorization: basic ${R}`],
    ['BEARER   tok123 rest', `BEARER ${R} rest`],
    // Only the scheme word as a word: "NotBearer x" is not a header.
    ['NotBearer abc', 'NotBearer abc'],
  ])('Authorization schemes, any case: %j', (input, expected) => {
    expect(redactPatterns(input)).toBe(expected);
  });

  it.each([
    ['grant_type=x&client_secret=abc123&scope=y', `grant_type=x&client_secret=${R}&scope=y`],
    ['?access_token=AT1 next', `?access_token=${R} next`],
    ['REFRESH_TOKEN=r1"x', `REFRESH_TOKEN=${R}"x`],
    ["password=p4ss'tail", `password=${R}'tail`],
    // Not a parameter of that name: a longer word that ends the same way.
    ['my_password=keep', 'my_password=keep'],
    ['a=1&access_token=t1&b=2&access_token=t2', `a=1&access_token=${R}&b=2&access_token=${R}`],
  ])('form and query parameters: %j', (input, expected) => {
    expect(redactPatterns(input)).toBe(expected);
  });

  it.each([
    ['x-amz-signature=abc&X-Amz-Expires=900', `x-amz-signature=${R}&X-Amz-Expires=900`],
    ['X-Amz-Security-Token=tok%2F1 end', `X-Amz-Security-Token=${R} end`],
    ['X-Amz-Credential=AKIA&X-Amz-Credential=AKIB', `X-Amz-Credential=${R}&X-Amz-Credential=${R}`],
  ])('presigned URL parameters: %j', (input, expected) => {
    expect(redactPatterns(input)).toBe(expected);
  });

  it.each([
    ['{"access_token":"at-1","expires_in":86400}', `{"access_token":"${R}","expires_in":86400}`],
    ['{"clientSecret" : "cs-1"}', `{"clientSecret" : "${R}"}`],
    [
      '{"CLIENT_SECRET":"a","refresh_token":"b","password":""}',
      `{"CLIENT_SECRET":"${R}","refresh_token":"${R}","password":"${R}"}`,
    ],
    // Another key, whatever its value.
    ['{"token_type":"bearer","name":"x"}', '{"token_type":"bearer","name":"x"}'],
  ])('JSON members: %j', (input, expected) => {
    expect(redactPatterns(input)).toBe(expected);
  });

  it('text without credentials comes back unchanged', () => {
    const text = 'GET /api/v2/flows?pageSize=25 answered 404: flow f-1 not found (Basic-like words stay)';
    expect(redactPatterns(text)).toBe(text);
  });
});
