/**
 * Options several commands share, declared once with their typed values: the ledger, `--json`,
 * the lock options, the manifest's deployment inputs, and the exit-code help.
 */
import type { Command } from 'commander';
import { flag, text, texts } from './command-spec.js';

/** A repeatable option's accumulator. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--ledger`. */
export interface LedgerFlags {
  ledger?: string | undefined;
}

const LEDGER_HELP = 'the ledger (default: FLOWGATE_LEDGER_URL, else .flowgate/ledger.db)';

/** Declares `--ledger` (`help`: how this command's default reads). */
export function ledgerOption(cmd: Command, help = LEDGER_HELP, placeholder = '<file|url>'): Command {
  return cmd.option(`--ledger ${placeholder}`, help);
}

/** The typed `--ledger`. */
export function ledgerFlags(raw: Record<string, unknown>): LedgerFlags {
  return { ledger: text(raw.ledger) };
}

/** Declares `--json`. */
export function jsonOption(cmd: Command, help = 'machine-readable output'): Command {
  return cmd.option('--json', help);
}

/** `--lock-timeout` and `--no-wait`. */
export interface LockFlags {
  /** False with `--no-wait`: fail at once when another deployment holds a flow. */
  wait: boolean;
  /** ISO-8601, checked when used (`lock-wait.ts`). */
  lockTimeout?: string | undefined;
}

/** Declares the lock options. */
export function lockOptions(cmd: Command): Command {
  return cmd
    .option(
      '--lock-timeout <duration>',
      'how long to wait for flows another deployment is deploying, ISO-8601 (default PT15M)',
    )
    .option('--no-wait', 'fail at once, naming the holder, when another deployment holds a flow');
}

/** The typed lock options. */
export function lockFlags(raw: Record<string, unknown>): LockFlags {
  return { wait: raw.wait !== false, lockTimeout: text(raw.lockTimeout) };
}

/** What a manifest's deployment takes from the command line (`plan`, `deploy`). */
export interface DeployInputFlags extends LedgerFlags {
  manifest?: string | undefined;
  env?: string | undefined;
  set: string[];
  substitutions?: string | undefined;
  policy?: string | undefined;
  forceUnlock: boolean;
  /** `--overwrite-drift`: publish over flows changed in Architect since flowgate deployed them. */
  overwriteDrift: boolean;
}

/** Declares the deployment inputs. */
export function deployInputOptions(cmd: Command): Command {
  return ledgerOption(
    cmd
      .option('-m, --manifest <file>', 'the deployment manifest (default: ./flowgate.yaml)')
      .option('-e, --env <name>', 'an environment of the manifest: its org and substitution values')
      .option('--set <key=value>', 'a substitution value for {{ key }} (repeatable)', collect)
      .option('--substitutions <file>', 'a YAML or JSON file of substitution values')
      .option('--policy <file>', "an organisation policy file (replaces the manifest's)")
      .option('--force-unlock', 'take over flows locked in Architect by someone else (says who held them)')
      .option(
        '--overwrite-drift',
        'publish over flows changed in Architect since flowgate last deployed them (the plan shows the change)',
      ),
    "the ledger: a SQLite file or a postgres:// URL without its password (default: FLOWGATE_LEDGER_URL, the manifest's ledger, else .flowgate/ledger.db)",
  );
}

/** The typed deployment inputs. */
export function deployInputFlags(raw: Record<string, unknown>): DeployInputFlags {
  return {
    ...ledgerFlags(raw),
    manifest: text(raw.manifest),
    env: text(raw.env),
    set: texts(raw.set),
    substitutions: text(raw.substitutions),
    policy: text(raw.policy),
    forceUnlock: flag(raw.forceUnlock),
    overwriteDrift: flag(raw.overwriteDrift),
  };
}

/** Adds the exit codes a command returns to its help (`flowgate exit-codes` lists them all). */
export function exitCodesHelp(cmd: Command, codes: string, before = ''): Command {
  return cmd.addHelpText('after', `\n${before}Exit codes: ${codes}`);
}
