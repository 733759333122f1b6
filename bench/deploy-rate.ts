/**
 * Deployment makespan against the rate-limit bound: N generated flows deployed to the emulator,
 * whose per-token limit is R requests per minute (docs/platform-api.md#rate-limits), by the library with the client's
 * limiter set to R. The bound is (requests the deployment made) / R: no schedule can be faster.
 * Prints one JSON line. Usage: tsx bench/deploy-rate.ts N R CONCURRENCY
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDeployment, loadDeploymentFlows } from '../src/config/deployment.js';
import { recordCallsIn } from '../src/deploy/call-context.js';
import { createDeployment, runDeployment } from '../src/deploy/executor.js';
import { planDeployment } from '../src/deploy/plan.js';
import { startEmulator } from '../src/emulator/server.js';
import { openSqliteLedger } from '../src/ledger/sqlite.js';
import type { Ledger } from '../src/ledger/types.js';
import { createPlatformClient } from '../src/platform/client.js';
import { resolveBaseUrl } from '../src/platform/regions.js';

const [n = 100, perMinute = 1200, concurrency = 8] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'flowgate-bench-deploy-'));
mkdirSync(join(dir, 'flows'));
const flows: string[] = [];
for (let i = 0; i < n; i++) {
  const name = `Bench Flow ${String(i).padStart(3, '0')}`;
  // Every fifth flow transfers to the next: dependency order matters.
  const transfer =
    i % 5 === 0 && i + 1 < n
      ? `          - transferToFlow:\n              name: Next\n              targetFlow:\n                name: Bench Flow ${String(i + 1).padStart(3, '0')}\n`
      : '';
  writeFileSync(
    join(dir, 'flows', `f${i}.yaml`),
    `inboundCall:\n  name: ${name}\n  defaultLanguage: en-us\n  startUpRef: ./tasks/task[t]\n  tasks:\n    - task:\n        name: T\n        refId: t\n        actions:\n          - playAudio:\n              name: Hi\n              audio:\n                tts: Hello ${i}\n${transfer}          - disconnect:\n              name: Bye\n`,
  );
  flows.push(`  - file: flows/f${i}.yaml`);
}
writeFileSync(
  join(dir, 'flowgate.yaml'),
  `version: 1\npolicy:\n  maxFlows: ${n + 100}\nflows:\n${flows.join('\n')}\n`,
);

const emu = await startEmulator({ env: {}, settings: { operationDelayMs: 200, jobDelayMs: 200 } });
emu.control.setLimit('platform.api', 'client.credentials.token.rate.per.minute', perMinute);
const holder: { ledger?: Ledger } = {};
const client = createPlatformClient({
  credentials: { clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret },
  endpoints: resolveBaseUrl(emu.url),
  // The client paces itself at the org's limit; a burst of 1 keeps every fixed minute within it.
  requestsPerMinute: perMinute,
  burst: 1,
  onCall: recordCallsIn(() => holder.ledger),
});
const ledger = openSqliteLedger(join(dir, 'ledger.db'));
holder.ledger = ledger;

emu.control.clearRequests();
const started = performance.now();
const deployment = await loadDeployment(join(dir, 'flowgate.yaml'));
const loaded = await loadDeploymentFlows(deployment);
const plan = await planDeployment(deployment, { client, ledger, loaded });
const id = await createDeployment(plan, ledger, { atomic: true });
const outcome = await runDeployment(id, { client, ledger, concurrency });
const makespanMs = performance.now() - started;
const api = emu.control.requests().filter((r) => r.path.startsWith('/api/v2/'));
const rateLimited = api.filter((r) => r.status === 429).length;
const boundMs = (api.length / perMinute) * 60_000;
process.stdout.write(
  `${JSON.stringify({
    flows: n,
    perMinute,
    concurrency,
    status: outcome.status,
    failedSteps: outcome.steps.filter((s) => s.state !== 'published').length,
    requests: api.length,
    rateLimited,
    makespanMs,
    boundMs,
    ratio: makespanMs / boundMs,
  })}\n`,
);
await ledger.close();
await emu.stop();
