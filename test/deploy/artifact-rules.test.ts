/**
 * The artifact's rules beside the oracle of artifact.test.ts (src/deploy/artifact.ts): a JSON
 * flow's tokens masked as a YAML one's, `substitutions.<key>` reading `<key>`, and the plan hash,
 * which does not depend on the order of the plan's steps but on what each deploys.
 */
import { describe, expect, it } from 'vitest';
import { artifactOf, planHash, sourceFileOf, valuesHash } from '../../src/deploy/artifact.js';
import { canonicalJson, contentHash, normalizedHash } from '../../src/deploy/content.js';
import type { DeploymentPlan } from '../../src/deploy/types.js';

describe('artifactOf and valuesHash', () => {
  it("a JSON flow's artifact is its meaning with every token as __key__", () => {
    const json = '  {"name": "{{ flow_name }}", "tasks": [{"n": {{ count }}}]}';
    expect(artifactOf(json, { flow_name: 'A', count: '1' }).artifactHash).toBe(
      normalizedHash('{"tasks": [{"n": __count__}], "name": "__flow_name__"}'),
    );
  });

  it('substitutions.<key> takes the value of <key>, and only a leading substitutions. is read so', () => {
    const source = 'name: {{ substitutions.queue }}\n';
    expect(valuesHash(source, { queue: 'a' })).not.toBe(valuesHash(source, { queue: 'b' }));
    expect(valuesHash(source, { 'substitutions.queue': 'a', queue: 'b' })).toBe(
      valuesHash(source, { 'substitutions.queue': 'a' }),
    );
    const inner = 'name: {{ site.substitutions.queue }}\n';
    // `site.queue` is another key: its value is not the token's.
    expect(valuesHash(inner, { 'site.queue': 'a' })).toBe(valuesHash(inner, { 'site.queue': 'b' }));
    expect(valuesHash(inner, { 'site.substitutions.queue': 'a' })).not.toBe(valuesHash(inner, {}));
  });
});

describe('planHash', () => {
  const step = (flowKey: string, contentHash: string) =>
    ({
      flowKey,
      kind: 'import',
      contentHash,
      artifactHash: `a-${flowKey}`,
      valuesHash: 'v',
    }) as DeploymentPlan['steps'][number];
  const plan = (steps: DeploymentPlan['steps']) => ({ env: 'prod', org: 'https://api.test', steps });

  it("the same steps in any order give one hash; a step's content, the environment or the org another", () => {
    const a = step('inboundcall:A', 'h1');
    const b = step('inboundcall:B', 'h2');
    const c = step('commonmodule:C', 'h3');
    const hash = planHash(plan([a, b, c]));
    for (const order of [
      [c, b, a],
      [b, a, c],
      [a, c, b],
      [c, a, b],
    ])
      expect(planHash(plan(order))).toBe(hash);
    expect(planHash(plan([a, step('inboundcall:B', 'h9'), c]))).not.toBe(hash);
    expect(planHash({ ...plan([a, b, c]), env: 'test' })).not.toBe(hash);
    expect(planHash({ ...plan([a, b, c]), org: 'https://api.other' })).not.toBe(hash);
  });
});

describe('planHash is a stable identity', () => {
  // Approvals recorded in the ledger name a plan by this hash, so it is pinned to its definition:
  // the canonical JSON of the environment, the org and per flow (in flow-key order) its kind,
  // artifact, values, content and version, absent ones as null.
  it('is the hash of its definition, whatever the order of the steps', () => {
    const steps = [
      { flowKey: 'inboundcall:B', kind: 'import', artifactHash: 'ab', valuesHash: 'vb', contentHash: 'cb' },
      { flowKey: 'commonmodule:A', kind: 'publish', targetVersion: '3.0' },
    ] as unknown as DeploymentPlan['steps'];
    const definition = {
      env: null,
      org: 'https://api.test',
      flows: [
        {
          flow: 'commonmodule:A',
          kind: 'publish',
          artifact: null,
          values: null,
          content: null,
          version: '3.0',
        },
        { flow: 'inboundcall:B', kind: 'import', artifact: 'ab', values: 'vb', content: 'cb', version: null },
      ],
    };
    expect(planHash({ org: 'https://api.test', steps })).toBe(contentHash(canonicalJson(definition)));
    expect(planHash({ org: 'https://api.test', steps: [...steps].reverse() })).toBe(
      contentHash(canonicalJson(definition)),
    );
  });
});

describe('sourceFileOf', () => {
  it("a file's path from the manifest's folder, with forward slashes; from the working folder without one", () => {
    expect(sourceFileOf('/repo/flows/a.yaml', '/repo/flowgate.yaml')).toBe('flows/a.yaml');
    expect(sourceFileOf('flows/a.yaml', undefined)).toBe('flows/a.yaml');
  });
});
