/**
 * Starting the emulator: `startEmulator(options) → { url, control, stop() }`, on 127.0.0.1 only.
 */
import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ConfigError, FlowgateError } from '../errors.js';
import { applySubstitutions } from '../flow/index.js';
import { createEmulatorApp, type EmulatorAppOptions, type RouteSpec } from './app.js';
import type { EmulatorControl } from './control.js';
import { DEFAULT_CLIENT_ID, SeedSchema, stateFromSeed, type Seed } from './seed.js';
import type { EmulatorState } from './types.js';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** A seed object, or the path of a seed file; default: the bundled example org. */
  seed?: Seed | string;
  /** Load the state from this JSON file when it exists, and save to it on stop. */
  statePath?: string;
  /** The default client's id. @default env FLOWGATE_EMULATOR_CLIENT_ID, else `flowgate-demo-client` */
  clientId?: string;
  /** The default client's secret. @default env FLOWGATE_EMULATOR_CLIENT_SECRET, else generated */
  clientSecret?: string;
  /** Overrides of the seed's settings (short token lifetimes and delays in tests). */
  settings?: Partial<EmulatorState['settings']>;
  env?: NodeJS.ProcessEnv;
  /** Called with every `/api/v2` response (for contract checks in tests). */
  onResponse?: EmulatorAppOptions['onResponse'];
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL serving `/oauth/token` and `/api/v2/...`, e.g. `http://127.0.0.1:43121`. */
  url: string;
  port: number;
  control: EmulatorControl;
  /** The default client (every permission). */
  credentials: { clientId: string; clientSecret: string; secretGenerated: boolean };
  routes: RouteSpec[];
  stop(): Promise<void>;
}

/** The bundled example org. */
export const DEFAULT_SEED_PATH = new URL('../../examples/emulator/seed-org.yaml', import.meta.url);

/** Reads a seed file (YAML or JSON). */
export function readSeed(path: string | URL): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(
      'EMULATOR_SEED',
      `cannot read the seed file ${String(path)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      { hint: 'Check the --seed path.' },
    );
  }
  const parsed = SeedSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(
      'EMULATOR_SEED',
      `invalid seed ${String(path)}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      { hint: 'Fix the seed file.' },
    );
  }
  // Versions may take their configuration from an Archy file beside the seed.
  const base = path instanceof URL ? fileURLToPath(new URL('.', path)) : dirname(path);
  for (const [fi, f] of (parsed.data.flows ?? []).entries()) {
    for (const [vi, v] of (f.versions ?? []).entries()) {
      if (v.configurationFile === undefined) continue;
      try {
        const text = readFileSync(resolve(base, v.configurationFile), 'utf8');
        v.configuration = v.substitutions ? applySubstitutions(text, v.substitutions).text : text;
      } catch (e) {
        throw new ConfigError(
          'EMULATOR_SEED',
          `invalid seed ${String(path)}: flows.${fi}.versions.${vi}.configurationFile: cannot read ${v.configurationFile} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
          {
            hint: 'Paths are relative to the seed file.',
          },
        );
      }
    }
  }
  return parsed.data;
}

/** Starts the emulator on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const env = options.env ?? process.env;
  const clientId = options.clientId ?? env.FLOWGATE_EMULATOR_CLIENT_ID ?? DEFAULT_CLIENT_ID;
  const given = options.clientSecret ?? env.FLOWGATE_EMULATOR_CLIENT_SECRET;
  const clientSecret = given ?? randomBytes(24).toString('base64url');
  let state: EmulatorState;
  let faults: Seed['faults'] = [];
  if (options.statePath && existsSync(options.statePath)) {
    try {
      state = JSON.parse(readFileSync(options.statePath, 'utf8')) as EmulatorState;
    } catch {
      throw new ConfigError('EMULATOR_STATE', `the state file ${options.statePath} is not valid JSON`, {
        hint: 'Delete it to start from the seed.',
      });
    }
    const def = state.clients.find((c) => c.id === clientId);
    if (def) def.secret = clientSecret;
    else
      state.clients.unshift({
        id: clientId,
        name: 'flowgate deployer',
        secret: clientSecret,
        permissions: ['*'],
        scopes: ['architect', 'analytics:readonly', 'audits:readonly'],
      });
  } else {
    const seed =
      typeof options.seed === 'string'
        ? readSeed(options.seed)
        : (options.seed ?? readSeed(DEFAULT_SEED_PATH));
    state = stateFromSeed(seed, { id: clientId, secret: clientSecret });
    faults = seed.faults ?? [];
  }
  Object.assign(state.settings, options.settings);
  const { app, control, routes } = createEmulatorApp(
    state,
    options.onResponse ? { onResponse: options.onResponse } : {},
  );
  for (const rule of faults ?? []) control.addFault(rule);
  const server = await new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server: s, port: info.port }),
    );
    s.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new FlowgateError(
          'EMULATOR_LISTEN',
          `cannot listen on 127.0.0.1:${options.port ?? 0}: ${e.code ?? e.message}`,
          {
            hint:
              e.code === 'EADDRINUSE'
                ? 'The port is taken: pick another with --port, or 0 for any free port.'
                : 'Check the port.',
          },
        ),
      ),
    );
  });
  const url = `http://127.0.0.1:${server.port}`;
  let stopped = false;
  return {
    url,
    port: server.port,
    control,
    routes,
    credentials: { clientId, clientSecret, secretGenerated: given === undefined },
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        const http = server.server as import('node:http').Server;
        http.close(() => resolve());
        http.closeAllConnections?.();
      });
      if (options.statePath) {
        const tmp = `${options.statePath}.tmp`;
        // The default client's secret is never written to disk: it comes back from the
        // environment (or is generated) at the next start.
        const saved = structuredClone(control.state());
        for (const c of saved.clients) if (c.id === clientId) c.secret = '';
        // 0600: other clients' secrets are in it.
        writeFileSync(tmp, JSON.stringify(saved, null, 2), { mode: 0o600 });
        renameSync(tmp, options.statePath);
      }
    },
  };
}
