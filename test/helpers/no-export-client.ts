/** An OAuth client of the emulator's seed with every permission a deployment needs but export jobs. */
import type { Seed } from '../../src/emulator/seed.js';

/** Its credentials. */
export const NO_EXPORT = { clientId: 'no-export-client', clientSecret: 'no-export-client-demo-secret' };

/** A seed with that client (besides the default one, which holds every permission). */
export const noExportSeed: Seed = {
  clients: [
    {
      id: NO_EXPORT.clientId,
      secret: NO_EXPORT.clientSecret,
      // Everything the plan and deploy call, but `architect:jobExport:*`.
      permissions: [
        'architect:flow:*',
        'architect:job:*',
        'architect:datatable:*',
        'architect:userPrompt:*',
        'architect:systemPrompt:*',
        'architect:dependencyTracking:*',
        'routing:*:*',
        'integrations:*:*',
        'audits:*:*',
        'analytics:*:*',
      ],
      scopes: ['architect', 'analytics:readonly', 'audits:readonly', 'routing:readonly'],
    },
  ],
};
