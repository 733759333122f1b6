import { describe, expect, it } from 'vitest';
import { contractProblems, templateOf } from '../helpers/contract.js';

describe('the contract checker that watches every emulator response in the tests', () => {
  it('maps concrete paths to templates, static segments first', () => {
    expect(templateOf('GET', '/api/v2/flows/divisionviews')).toBe('/api/v2/flows/divisionviews');
    expect(templateOf('GET', '/api/v2/flows/abc')).toBe('/api/v2/flows/{flowId}');
    expect(templateOf('POST', '/api/v2/flows/jobs')).toBe('/api/v2/flows/jobs');
    expect(templateOf('GET', '/api/v2/nothing')).toBeUndefined();
  });

  it('accepts conforming bodies and rejects wrong types, unknown paths and invented error codes', () => {
    expect(
      contractProblems({
        method: 'GET',
        path: '/api/v2/flows/x',
        status: 200,
        body: { id: 'x', name: 'Main', type: 'INBOUNDCALL' },
      }),
    ).toEqual([]);
    expect(
      contractProblems({
        method: 'GET',
        path: '/api/v2/flows/x',
        status: 200,
        body: { id: 'x', name: 42 },
      })[0],
    ).toMatch(/name must be string/);
    expect(
      contractProblems({
        method: 'GET',
        path: '/api/v2/flows/x',
        status: 200,
        body: { id: 'x', name: 'n', type: 'INBOUNDMESSAGE' },
      })[0],
    ).toMatch(/allowed values/);
    expect(contractProblems({ method: 'GET', path: '/api/v2/elsewhere', status: 200, body: {} })[0]).toMatch(
      /not in the API definition/,
    );
    expect(
      contractProblems({
        method: 'GET',
        path: '/api/v2/flows/x',
        status: 404,
        body: { code: 'architect.flow.not.found', status: 404, message: 'm' },
      }),
    ).toEqual([]);
    expect(
      contractProblems({
        method: 'GET',
        path: '/api/v2/flows/x',
        status: 502,
        body: { code: 'bad.gateway', status: 502, message: 'm' },
      })[0],
    ).toMatch(/not a real error code/);
  });
});
