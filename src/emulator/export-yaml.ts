/**
 * The Archy YAML of a version, as an export job gives it. A version imported from Archy YAML holds
 * that text and is exported as it is. A seeded version holds an opaque configuration (Architect's
 * own JSON on the platform, FLOWS.md §3), which Architect converts on export; the emulator has no
 * converter, so it writes the smallest flow of the type that validates (its start, one action and
 * the type's ending, docs/ARCHY-BRANCHING.md), carrying the version id where the flow type can say
 * it, so two versions of a seeded flow differ in content.
 */
import { ARCHY_ROOT_KEYS } from '../flow/index.js';
import type { EmFlow, EmVersion } from './types.js';

/** The Archy text a configuration carries (a string, or the `{yaml}` of an imported version). */
export function archyTextOf(configuration: unknown): string | undefined {
  if (typeof configuration === 'string') return configuration;
  const yaml = (configuration as { yaml?: unknown } | null | undefined)?.yaml;
  return typeof yaml === 'string' ? yaml : undefined;
}

/** The exported YAML of one version of a flow. */
export function exportedYaml(flow: EmFlow, version: EmVersion): string {
  return archyTextOf(version.configuration) ?? synthesizedYaml(flow, version.id);
}

const CALL_TYPES = new Set(['inboundcall', 'outboundcall', 'securecall', 'voicemail']);

/** A JSON string is a valid YAML double-quoted scalar: names are written safely whatever they hold. */
const q = (s: string) => JSON.stringify(s);

/** The ending action of a type without a terminal rule (workflow, bot, the messaging flows). */
function endingOf(type: string): string {
  if (type === 'workflow') return 'endWorkflow';
  if (type === 'bot' || type === 'digitalbot') return 'exitBotFlow';
  if (type === 'commonmodule') return 'endTask';
  return 'disconnect';
}

function synthesizedYaml(flow: EmFlow, versionId: string): string {
  const type = flow.type.toLowerCase();
  const root = Object.keys(ARCHY_ROOT_KEYS).find((k) => ARCHY_ROOT_KEYS[k] === type) ?? type;
  // The start and ending of each type, as docs/ARCHY-BRANCHING.md lists them: call flows end in a
  // disconnect; in-queue calls repeat start-up actions; common modules name no language.
  const rules = {
    needsTerminal: CALL_TYPES.has(type),
    needsDefaultLanguage: type !== 'surveyinvite',
    start: type === 'inqueuecall' ? 'taskActions' : 'ref',
  };
  const head = [`${root}:`, `  name: ${q(flow.name)}`];
  if (type === 'commonmodule') head.push('  supportedLanguages:', '    en-us:', '      none: true');
  else if (rules.needsDefaultLanguage) head.push('  defaultLanguage: en-us');
  const say = ['playAudio:', '  name: Version', '  audio:', `    tts: ${q(`version ${versionId}`)}`];
  if (rules.start === 'taskActions')
    return [
      ...head,
      '  startUpTaskActions:',
      ...say.map((l, i) => `${i === 0 ? '    - ' : '      '}${l}`),
      '',
    ].join('\n');
  const calls = rules.needsTerminal;
  const container = calls || type === 'commonmodule' ? 'task' : 'state';
  const actions = calls
    ? [
        ...say.map((l, i) => `${i === 0 ? '          - ' : '            '}${l}`),
        '          - disconnect:',
        '              name: Disconnect',
      ]
    : [`          - ${endingOf(type)}:`, '              name: End'];
  return [
    ...head,
    `  startUpRef: ./${container}s/${container}[main]`,
    `  ${container}s:`,
    `    - ${container}:`,
    '        name: Main',
    '        refId: main',
    '        actions:',
    ...actions,
    '',
  ].join('\n');
}
