/**
 * Issue 20 §5: the plan's diff names what callers notice: a menu choice's DTMF key, a prompt's
 * TTS, a choice's queue, each by the element's name, not lumped by action type.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFlowValue } from '../../src/deploy/content.js';
import { describeDiff, semanticDiff, type SemanticDiff } from '../../src/deploy/diff.js';
import { loadFlowText } from '../../src/flow/load.js';

const REAL = readFileSync(
  'examples/flows/public/simple-ivr-deploy-with-cx-as-code-blueprint__SimpleFinancialIvr_v2-0.yaml',
  'utf8',
);
const values = { division: 'Home', default_language: 'en-us' };

function diffOf(before: string, after: string): SemanticDiff {
  const load = (t: string) => loadFlowText(t, 'ivr.yaml', { substitutions: values });
  const a = load(before);
  const b = load(after);
  return semanticDiff(a.graph!, b.graph!, {
    before: parseFlowValue(a.substituted!),
    after: parseFlowValue(b.substituted!),
  });
}

function diffLines(before: string, after: string): string[] {
  return describeDiff(diffOf(before, after));
}

describe('the diff of what callers hear and where they go', () => {
  it('names a changed DTMF key, TTS and queue by menu and choice', () => {
    const after = REAL.replace('dtmf: digit_9', 'dtmf: digit_0')
      .replace('press 9 to disconnect', 'press 0 to disconnect')
      .replace('name: Simple Financial 401K queue', 'name: Retirement queue');
    const lines = diffLines(REAL, after);
    expect(lines).toContain(
      "~ inboundCall › menu 'Main Menu' › menuDisconnect 'Disconnect': dtmf 'digit_9' → 'digit_0'",
    );
    expect(lines).toContain(
      "~ inboundCall › menu 'Main Menu': audio.tts 'You are at the Main Menu, press 9 to disconnect' → 'You are at the Main Menu, press 0 to disconnect'",
    );
    expect(lines).toContain(
      "~ inboundCall › menu 'Main Menu' › menuTransferToAcd 'SimpleFinancial401K': targetQueue.lit.name 'Simple Financial 401K queue' → 'Retirement queue'",
    );
    // The queue is named once, by its choice, not lumped again by action type.
    expect(lines.filter((l) => l.includes('Retirement queue'))).toHaveLength(1);
  });

  it('a change of quoting, order or layout only gives no line', () => {
    const after = REAL.replace('dtmf: digit_9', "dtmf: 'digit_9'").replace(/\n/g, '\n\n');
    expect(diffLines(REAL, after)).toEqual([]);
  });
});

describe("a literal's type is part of its value", () => {
  it('lit: 50 → lit: "50" is a changed setting, said with the types (the text, and what Architect publishes, changed)', () => {
    const after = REAL.replace('minConfidenceLevel:\n      lit: 50', 'minConfidenceLevel:\n      lit: "50"');
    expect(after).not.toBe(REAL);
    expect(diffLines(REAL, after)).toEqual([
      "~ inboundCall: settingsSpeechRec.minConfidenceLevel.lit 50 → '50' (its type: number → string)",
    ]);
    // And back, and a boolean written as a string.
    expect(diffLines(after, REAL)).toEqual([
      "~ inboundCall: settingsSpeechRec.minConfidenceLevel.lit '50' → 50 (its type: string → number)",
    ]);
    const quoted = REAL.replace(
      'listenForExtensionDialing:\n      lit: true',
      "listenForExtensionDialing:\n      lit: 'true'",
    );
    expect(diffLines(REAL, quoted)).toEqual([
      "~ inboundCall: settingsMenu.listenForExtensionDialing.lit true → 'true' (its type: boolean → string)",
    ]);
  });
});

describe("the flow's own settings are said once", () => {
  // A flow with a `division:` of its own (the IVR above has none).
  const HOLIDAY = readFileSync(
    'examples/flows/public/terraform-provider-genesyscloud__holiday_flow.yaml',
    'utf8',
  );

  it('a changed division is one line, by the flow setting, not again as a field of the flow element', () => {
    const after = HOLIDAY.replace('\n  division: Home\n', '\n  division: Sales\n');
    expect(after).not.toBe(HOLIDAY);
    expect(diffLines(HOLIDAY, after)).toEqual(["~ division: 'Home' → 'Sales'"]);
    // The plan's JSON holds it once too: as the flow's setting, not also as a changed field.
    const d = diffOf(HOLIDAY, after);
    expect(d.settings).toEqual([{ key: 'division', from: 'Home', to: 'Sales' }]);
    expect(d.fieldsChanged).toEqual([]);
  });

  it('a changed name is one line too', () => {
    const after = HOLIDAY.replace('\n  name: Holiday_Flow\n', '\n  name: Holidays\n');
    expect(after).not.toBe(HOLIDAY);
    expect(diffLines(HOLIDAY, after)).toEqual(["~ name: 'Holiday_Flow' → 'Holidays'"]);
  });

  it("the flow element's other settings are still said (its description)", () => {
    const after = HOLIDAY.replace(
      '\n  division: Home\n',
      '\n  division: Sales\n  description: Closed days\n',
    );
    expect(diffLines(HOLIDAY, after)).toEqual([
      "~ division: 'Home' → 'Sales'",
      "~ inboundCall: description (none) → 'Closed days'",
    ]);
  });
});
