/**
 * A generated org of `count` flows that reference one another the way real ones do: common
 * modules, inbound flows that call a module, transfer to a queue and (every third one) to an
 * earlier inbound flow, so an export has tokens to find and a dependency order to keep. Every flow
 * validates with no error; each is published once (version 1.0).
 */
import type { Seed } from '../../src/emulator/seed.js';

/** A common module. */
export function moduleYaml(name: string): string {
  return `commonModule:
  name: ${name}
  supportedLanguages:
    en-us:
      none: true
  startUpRef: ./tasks/task[main]
  tasks:
    - task:
        name: Main
        refId: main
        actions:
          - endTask:
              name: End
`;
}

/** An inbound call flow calling `module`, transferring to `queue`, and to `transferTo` when given. */
export function ivrYaml(
  name: string,
  module: string,
  queue: string,
  transferTo?: string,
  say = 'Welcome',
): string {
  return `inboundCall:
  name: ${name}
  defaultLanguage: en-us
  division: Home
  startUpRef: ./tasks/task[main]
  tasks:
    - task:
        name: Main
        refId: main
        actions:
          - playAudio:
              name: Greeting
              audio:
                tts: ${say}
          - callCommonModule:
              name: Check
              commonModule:
                ${module}:
                  ver_latestPublished: {}
${
  transferTo
    ? `          - transferToFlow:
              name: Onwards
              targetFlow:
                name: ${transferTo}
`
    : ''
}          - transferToAcd:
              name: To queue
              targetQueue:
                lit:
                  name: ${queue}
          - disconnect:
              name: Bye
`;
}

/** The flows of a generated org: name, type and YAML, dependencies before the flows that use them. */
export function generatedFlows(count: number): Array<{ name: string; type: string; yaml: string }> {
  const modules = Math.max(1, Math.round(count / 10));
  const out: Array<{ name: string; type: string; yaml: string }> = [];
  for (let m = 0; m < modules; m++) {
    const name = `Module ${String(m).padStart(3, '0')}`;
    out.push({ name, type: 'COMMONMODULE', yaml: moduleYaml(name) });
  }
  for (let i = 0; out.length < count; i++) {
    const name = `IVR ${String(i).padStart(3, '0')}`;
    const transferTo = i % 3 === 2 ? `IVR ${String(i - 1).padStart(3, '0')}` : undefined;
    out.push({
      name,
      type: 'INBOUNDCALL',
      yaml: ivrYaml(name, `Module ${String(i % modules).padStart(3, '0')}`, `Queue ${i % 7}`, transferTo),
    });
  }
  return out;
}

/** A seed of a generated org. */
export function generatedSeed(count: number, randomSeed = 300): Seed {
  return {
    org: { name: `Generated org of ${count} flows` },
    randomSeed,
    // The queues the flows transfer to: the org has them (main's plan checks org objects).
    objects: { queues: Array.from({ length: 7 }, (_, i) => ({ name: `Queue ${i}`, division: 'Home' })) },
    flows: generatedFlows(count).map((f) => ({
      name: f.name,
      type: f.type,
      division: 'Home',
      versions: [{ publishedHoursAgo: 1, configuration: f.yaml }],
    })),
  };
}
