/**
 * Issue 22's seventeen breakages of the README's promises (docs/GUARANTEES.md), as edits a script
 * can apply: each row's code is broken exactly as the table says, its tests are run and must fail,
 * and the source is put back. `npm run test:guarantees` runs them all.
 */

/** One textual edit: `search` must occur exactly once in `file`. */
export interface Edit {
  file: string;
  search: string;
  replace: string;
}

/** One row of docs/GUARANTEES.md: the breakage and the test files that must catch it. */
export interface GuaranteeRow {
  row: string;
  promise: string;
  edits: Edit[];
  tests: string[];
}

const publishTransition = `  await c.ledger.transition(
    s.deploymentId,
    s.index,
    'publishing',
    { operationBefore: flow.currentOperation?.id },
    \`publishing version \${version}\`,
  );
`;
const publishCall = `    const op = await c.client.flows.publish(flow.id, version);
`;

/** Every row, in the order of the table. */
export const GUARANTEE_ROWS: GuaranteeRow[] = [
  {
    row: '1',
    promise: 'the publishing state is in the ledger before the publish POST',
    edits: [
      { file: 'src/deploy/steps.ts', search: publishTransition, replace: '' },
      { file: 'src/deploy/steps.ts', search: publishCall, replace: publishCall + publishTransition },
    ],
    tests: ['test/reliability/state-before-call.test.ts'],
  },
  {
    row: '1b',
    promise: 'the publishing state is in the ledger before the import job',
    edits: [
      {
        file: 'src/deploy/steps.ts',
        search: `  await ledger.transition(s.deploymentId, s.index, 'publishing', {}, 'registering an import job');
  const done = await importWithRetries(s, c, content, existing?.publishedVersion?.id, { failed });
`,
        replace: `  const done = await importWithRetries(s, c, content, existing?.publishedVersion?.id, { failed });
  await ledger.transition(s.deploymentId, s.index, 'publishing', {}, 'registering an import job');
`,
      },
    ],
    tests: ['test/reliability/state-before-call.test.ts'],
  },
  {
    row: '2',
    promise: 'unchanged only while the org still publishes the version flowgate published',
    edits: [
      {
        file: 'src/deploy/plan.ts',
        search: 'const reference = baseline ?? (holdsLast ? last : undefined);',
        replace: 'const reference = baseline ?? last;',
      },
    ],
    tests: ['test/deploy/unchanged-rule.test.ts'],
  },
  {
    row: '3',
    promise: 'an atomic rollback puts flows back newest first',
    edits: [
      {
        file: 'src/deploy/run-finish.ts',
        search: "filter((s) => s.state === 'published' || changedOrg(s)).reverse();",
        replace: "filter((s) => s.state === 'published' || changedOrg(s));",
      },
    ],
    tests: ['test/deploy/rollback-promises.test.ts'],
  },
  {
    row: '4',
    promise: 'the audit chain catches removed, inserted and reordered lines (the prev link)',
    edits: [
      { file: 'src/events/audit-verify.ts', search: 'if (entry.prev !== prev)', replace: 'if (false)' },
    ],
    tests: ['test/events/audit-chain.test.ts'],
  },
  {
    row: '5',
    promise: 'the client secret is registered with the redactor',
    edits: [
      { file: 'src/platform/token-provider.ts', search: 'options.redactor.add(clientSecret);', replace: '' },
    ],
    tests: ['test/reliability/secret-paths.test.ts', 'test/platform/token-provider.test.ts'],
  },
  {
    row: '6',
    promise: "the token endpoint's error text is redacted",
    edits: [
      {
        file: 'src/platform/token-provider.ts',
        search: 'redactor.redact(body.error) : undefined',
        replace: 'body.error : undefined',
      },
    ],
    tests: ['test/reliability/secret-paths.test.ts'],
  },
  {
    row: '7',
    promise: 'registered secrets and tokens are replaced (not only the generic patterns)',
    edits: [
      {
        file: 'src/platform/redact.ts',
        search: 'for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);',
        replace: '',
      },
    ],
    tests: ['test/reliability/secret-paths.test.ts', 'test/platform/redact.test.ts'],
  },
  {
    row: '8',
    promise: 'the health verdict tests H0: p1 <= p0 + m (the margin)',
    edits: [
      {
        file: 'src/adoption/stats.ts',
        search: '(p1 - p0 - rule.margin > 0 ? Infinity : 0) : (p1 - p0 - rule.margin) / se',
        replace: '(p1 - p0 > 0 ? Infinity : 0) : (p1 - p0) / se',
      },
    ],
    tests: ['test/adoption/verdict-oracle.test.ts', 'test/adoption/stats.test.ts'],
  },
  {
    row: '9',
    promise: 'insufficient while either side is below the minimum executions',
    edits: [
      {
        file: 'src/adoption/stats.ts',
        search: 'if (newer.total < rule.minExecutions || older.total < rule.minExecutions)',
        replace: 'if (newer.total < rule.minExecutions && older.total < rule.minExecutions)',
      },
    ],
    tests: ['test/adoption/verdict-oracle.test.ts'],
  },
  {
    row: '10',
    promise: "after a lock wait, steps learn the org's current version again",
    edits: [
      {
        file: 'src/deploy/flow-locks.ts',
        search: '      { flowId: flow.id, previousVersion: version },\n      `another deployment changed',
        replace: '      { flowId: flow.id },\n      `another deployment changed',
      },
    ],
    tests: ['test/deploy/rollback-promises.test.ts'],
  },
  {
    row: '11',
    promise: 'a publish is verified against the version the org publishes afterwards',
    edits: [
      {
        file: 'src/deploy/steps.ts',
        search:
          'outcome = await republished(s, c, await c.client.flows.get(flow.id), version, flow.publishedVersion?.id);',
        replace: "outcome = { publishedVersion: version, detail: 'published' };",
      },
    ],
    tests: ['test/deploy/step-verification.test.ts'],
  },
  {
    row: '12',
    promise: 'an import is verified: a job that left the previous version published fails',
    edits: [
      {
        file: 'src/deploy/steps.ts',
        search: 'if (version === undefined || !changed)',
        replace: 'if (version === undefined)',
      },
    ],
    tests: ['test/deploy/step-verification.test.ts'],
  },
  {
    row: '13',
    promise: 'a flow locked by another OAuth client stops the step',
    edits: [
      {
        file: 'src/platform/errors.ts',
        search: 'if (flow.lockedClient && flow.lockedClient.id !== me)',
        // Kept a condition on the client, so the narrowing below still compiles: never true for a
        // lock the platform reports (its client always has an id).
        replace: 'if (flow.lockedClient && flow.lockedClient.id === undefined)',
      },
    ],
    tests: ['test/deploy/step-verification.test.ts'],
  },
  {
    row: '14',
    promise: "a shared ledger's history is per org",
    edits: [
      {
        file: 'src/deploy/plan.ts',
        search: 'ledger.lastPublished(flowKey(type, name), org)',
        replace: 'ledger.lastPublished(flowKey(type, name))',
      },
    ],
    tests: ['test/deploy/unchanged-rule.test.ts'],
  },
  {
    row: '15',
    promise: 'an audit log that cannot be written stops the deployment before its next publish',
    edits: [
      {
        file: 'src/deploy/step-runner.ts',
        search: '  events.throwIfFailed();\n  sending.begun = true;',
        replace: '  sending.begun = true;',
      },
    ],
    tests: ['test/deploy/audit-stops-publish.test.ts'],
  },
  {
    row: '16',
    promise: "the Bonferroni correction across the gate's looks",
    edits: [
      {
        file: 'src/deploy/health-gate.ts',
        search: 'const rule: GateRule = { ...DEFAULT_RULE, ...gate.rule, looks };',
        replace: 'const rule: GateRule = { ...DEFAULT_RULE, ...gate.rule, looks: 1 };',
      },
    ],
    tests: ['test/adoption/verdict-oracle.test.ts', 'test/deploy/health-gate.test.ts'],
  },
  {
    row: '16b',
    promise: 'the correction counts every signal at every look',
    edits: [
      {
        file: 'src/adoption/signals.ts',
        search: 'const tests = Math.max(1, applied) * Math.max(1, rule.looks);',
        replace: 'const tests = Math.max(1, applied);',
      },
    ],
    tests: ['test/adoption/verdict-oracle.test.ts'],
  },
  {
    row: '17',
    promise: 'steps already published stay in the flow-lock scope',
    edits: [
      {
        file: 'src/deploy/step-states.ts',
        search: "new Set<StepState>([...NOT_STARTED, ...IN_DOUBT, 'published'])",
        replace: 'new Set<StepState>([...NOT_STARTED, ...IN_DOUBT])',
      },
    ],
    tests: ['test/deploy/rollback-promises.test.ts'],
  },
];
