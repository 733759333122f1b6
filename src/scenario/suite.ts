/**
 * Running scenario files: each names its flow (a path next to it or in the manifest's folder, a
 * flow's `name:` in the manifest, or by default the flow file of the same name without `.test`);
 * the flow is read with the manifest's values for it and the scenario's `substitutions:` over
 * them. Flows of the manifest are there to be followed by transfers and common modules.
 * `findScenarioFiles` finds the `*.test.yaml` next to the manifest's flows.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { loadConfigFile } from '../config/config-file.js';
import { positionsInFile } from '../config/manifest-position.js';
import type { LoadedManifest } from '../config/manifest.js';
import { ConfigError } from '../errors.js';
import { coverageOf, type FlowCoverage } from './coverage.js';
import { flowSourceFromText, type FlowSource } from './flow-source.js';
import { runCase, type CaseResult } from './run-case.js';
import type { FlowLookup } from './run-state.js';
import { ScenarioSchema, type ScenarioFile } from './schema.js';

/** A case's result with where the case is written. */
export interface CaseReport extends CaseResult {
  /** file:line:column of the case in the scenario file. */
  at: string;
}

/** The results of one scenario file. */
export interface ScenarioFileReport {
  file: string;
  flowFile: string;
  cases: CaseReport[];
}

/** The results of a run. */
export interface TestReport {
  files: ScenarioFileReport[];
  coverage: FlowCoverage[];
  passed: number;
  failed: number;
  errors: number;
}

/** The flows a run reads: the manifest's (by file, with their values) and any others, each parsed once. */
class FlowSet {
  private readonly byFile = new Map<string, FlowSource>();
  private named: FlowSource[] | undefined;

  constructor(private readonly manifest: LoadedManifest | undefined) {}

  async get(file: string, extra: Record<string, string>): Promise<FlowSource> {
    const abs = resolve(file);
    const key = `${abs}\u0000${JSON.stringify(extra)}`;
    let s = this.byFile.get(key);
    if (!s) {
      const entry = this.manifest?.flows.find((f) => f.file === abs);
      const text = await readFile(abs, 'utf8').catch(() => {
        throw new ConfigError('SCENARIO_FLOW', `the flow file ${relative('.', abs) || abs} cannot be read`, {
          hint: 'Check the scenario file’s flow: path.',
        });
      });
      s = flowSourceFromText(text, relative('.', abs) || abs, { ...(entry?.substitutions ?? {}), ...extra });
      this.byFile.set(key, s);
    }
    return s;
  }

  /** The manifest's Archy flows, parsed (for lookups by name). */
  async all(): Promise<FlowSource[]> {
    if (!this.named) {
      this.named = [];
      for (const f of this.manifest?.flows ?? []) {
        if (!f.file) continue;
        // A flow that does not read here is reported by the scenario that names it, or by validate.
        try {
          this.named.push(await this.get(f.file, {}));
        } catch {
          continue;
        }
      }
    }
    return this.named;
  }

  lookup(all: FlowSource[]): FlowLookup {
    return (name, kind) => {
      const lower = name.toLowerCase();
      return all.find(
        (s) =>
          s.name?.toLowerCase() === lower && (kind === 'commonModule') === (s.rootKey === 'commonModule'),
      );
    };
  }
}

/** Runs scenario files; `manifest` gives the flows' values and the flows to follow. */
export async function runScenarioFiles(
  files: readonly string[],
  manifest?: LoadedManifest,
): Promise<TestReport> {
  const flows = new FlowSet(manifest);
  const all = await flows.all();
  const lookup = flows.lookup(all);
  const report: TestReport = { files: [], coverage: [], passed: 0, failed: 0, errors: 0 };
  // By file: one flow read with other values (a scenario's substitutions, the manifest's for a
  // flow a transfer reaches) is still one flow to cover.
  const hits = new Map<string, { reads: FlowSource[]; keys: Set<string> }>();
  for (const file of files) {
    const scenario = await loadConfigFile(file, ScenarioSchema, 'scenario');
    const [flowAt, ...caseAt] = positionsInFile(file, [
      ['flow'],
      ...scenario.cases.map((_, i) => ['cases', i]),
    ]);
    const flowFile = resolveFlow(file, scenario, manifest, all, flowAt);
    const source = await flows.get(flowFile, stringValues(scenario.substitutions));
    const out: ScenarioFileReport = { file, flowFile: source.file, cases: [] };
    scenario.cases.forEach((kase, i) => {
      const r = runCase(source, kase, lookup);
      const p = caseAt[i];
      out.cases.push({ ...r, at: p ? `${file}:${p.line}:${p.column}` : file });
      if (r.status === 'pass') report.passed++;
      else if (r.status === 'fail') report.failed++;
      else report.errors++;
      for (const [s, keys] of r.hits) {
        let of = hits.get(s.file);
        if (!of) hits.set(s.file, (of = { reads: [], keys: new Set() }));
        if (!of.reads.includes(s)) of.reads.push(s);
        for (const k of keys) of.keys.add(k);
      }
    });
    report.files.push(out);
  }
  for (const { reads, keys } of hits.values()) report.coverage.push(coverageOf(reads, keys));
  return report;
}

function stringValues(v: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(v ?? {}).map(([k, x]) => [k, String(x)]));
}

function resolveFlow(
  file: string,
  scenario: ScenarioFile,
  manifest: LoadedManifest | undefined,
  all: FlowSource[],
  at: { line: number; column: number } | undefined,
): string {
  const here = dirname(file);
  const named = scenario.flow;
  if (named === undefined) {
    const stem = basename(file).replace(/\.test\.ya?ml$/i, '');
    for (const ext of ['.yaml', '.yml'])
      if (existsSync(join(here, stem + ext))) return join(here, stem + ext);
    throw new ConfigError('SCENARIO_FLOW', `${file}:1:1: no flow: given, and no ${stem}.yaml next to it`, {
      hint: "Name the flow: 'flow: flows/main.yaml' or a flow's name in the manifest.",
    });
  }
  for (const base of [here, ...(manifest ? [dirname(manifest.path)] : [])])
    if (existsSync(join(base, named))) return join(base, named);
  const lower = named.toLowerCase();
  const byName = all.find((s) => s.name?.toLowerCase() === lower);
  if (byName) return byName.file;
  const where = at ? `${file}:${at.line}:${at.column}` : file;
  throw new ConfigError(
    'SCENARIO_FLOW',
    `${where}: flow '${named}' is no file next to the scenario${manifest ? ', in the manifest’s folder, or flow name of the manifest' : ''}`,
    {
      hint: manifest
        ? `Flows of the manifest: ${all.map((s) => s.name ?? s.file).join(', ')}.`
        : 'Give the path relative to the scenario file, or a manifest, to name flows by their name.',
      ...(manifest ? {} : { details: { missing: 'manifest' } }),
    },
  );
}

/** The `*.test.yaml` files in the folders of the manifest's flows, sorted. */
export function findScenarioFiles(manifest: LoadedManifest): string[] {
  const dirs = new Set(manifest.flows.flatMap((f) => (f.file ? [dirname(f.file)] : [])));
  const out: string[] = [];
  for (const d of [...dirs].sort()) {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names.sort())
      if (/\.test\.ya?ml$/i.test(n)) out.push(relative('.', join(d, n)) || join(d, n));
  }
  return out;
}
