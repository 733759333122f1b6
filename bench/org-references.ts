/**
 * Issue 25: checking the org objects of 300 flows against the emulator over loopback, through the
 * platform client at the platform's default pace (300 requests per minute per token, burst 5).
 * Prints JSON: references, kinds, requests, pages, wall time, and the time the rate limit alone
 * imposes on that many requests; against one request per reference.
 * Run: `node --import tsx bench/org-references.ts`
 */
import { checkOrgReferences, OrgObjectCache } from '../src/deploy/org-references.js';
import { startEmulator } from '../src/emulator/server.js';
import { loadFlowText } from '../src/flow/index.js';
import { createPlatformClient } from '../src/platform/client.js';
import { resolveBaseUrl } from '../src/platform/regions.js';
import type { CallRecord } from '../src/platform/request.js';

const FLOWS = 300;
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);
// An org of some size: several pages for the big kinds (100 per page).
const org = {
  queues: names('Queue', 1200),
  dataActions: names('Action', 300).map((name) => ({ name, integration: 'Web Services' })),
  dataTables: names('Table', 150),
  prompts: names('Prompt', 400).map((name) => ({ name: name.replace(' ', '_'), languages: ['en-us'] })),
  scheduleGroups: names('Hours', 80),
  skills: names('Skill', 250),
  wrapupCodes: names('Code', 120),
};

function flow(i: number): string {
  const q = (k: number) => `Queue ${(i * 7 + k) % 1300}`; // a few beyond the org's: missing
  return `inboundCall:
  name: Flow ${i}
  defaultLanguage: en-us
  startUpRef: ./tasks/task[main]
  tasks:
    - task:
        name: Main
        refId: main
        actions:
${[1, 2, 3]
  .map(
    (k) => `          - transferToAcd:
              name: To ${k}
              targetQueue:
                lit:
                  name: ${q(k)}
              skills:
                - lit:
                    name: Skill ${(i + k) % 250}
`,
  )
  .join('')}          - callData:
              name: Lookup
              category:
                Web Services:
                  dataAction:
                    Action ${i % 300}: {}
          - dataTableLookup:
              name: Table
              lookupValue:
                lit: x
              dataTable:
                Table ${i % 150}: {}
          - evaluateScheduleGroup:
              name: Open
              scheduleGroup:
                lit:
                  name: Hours ${i % 80}
          - setWrapupCode:
              name: Wrap
              wrapupCode:
                lit:
                  name: Code ${i % 120}
          - playAudio:
              name: Hi
              audio:
                exp: Append(ToAudio(Prompt.Prompt_${i % 400}), ToAudio(Prompt.Prompt_${(i + 1) % 400}))
          - disconnect:
              name: Bye
`;
}

const emu = await startEmulator({ seed: { org: { name: 'Bench Org' }, objects: org } });
const calls: CallRecord[] = [];
const client = createPlatformClient({
  credentials: emu.credentials,
  endpoints: resolveBaseUrl(emu.url),
  onCall: (r) => calls.push(r),
});
const loaded = Array.from({ length: FLOWS }, (_, i) => loadFlowText(flow(i), `flow-${i}.yaml`));
const started = performance.now();
const report = await checkOrgReferences(loaded, {
  org: 'Bench Org',
  cache: new OrgObjectCache(client.objects),
});
const ms = performance.now() - started;
await emu.stop();
const references = report.flows.reduce((n, f) => n + f.objects.length, 0);
// GCRA at 300/min with a burst of 5: n requests need (n - 5) / 5 seconds at least.
const bound = (n: number) => Math.max(0, n - 5) / 5;
process.stdout.write(
  `${JSON.stringify(
    {
      flows: FLOWS,
      references,
      kinds: report.kinds.length,
      requests: calls.length,
      missing: report.diagnostics.filter((d) => d.code === 'missing-object').length,
      wallSeconds: Number((ms / 1000).toFixed(2)),
      rateLimitBoundSeconds: bound(calls.length),
      onePerReference: { requests: references, rateLimitBoundSeconds: bound(references) },
    },
    null,
    2,
  )}\n`,
);
