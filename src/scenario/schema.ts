/**
 * The scenario file (`*.test.yaml`, docs/scenarios.md): which flow, substitution values, and the
 * cases, each a caller's path (time, schedules, caller, inputs, mocked data actions and tables,
 * assumed outputs) with what it must hear, where it must end and what it must leave set.
 * Validated once with zod; `loadScenarioFile` reports problems at file:line:column.
 */
import { z } from 'zod';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** `/pattern/flags` in a string is a regular expression; anything else is a text to find. */
export const REGEX_TEXT = /^\/(.*)\/([dgimsuvy]*)$/s;

const Heard = z.string().refine(
  (s) => {
    const m = REGEX_TEXT.exec(s);
    if (!m) return true;
    try {
      new RegExp(m[1]!, m[2]);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression (/pattern/flags)' },
);

const Dtmf = z.union([z.string().regex(/^[0-9*#]+$/, 'digits, * or #'), z.number().int().min(0)]);

const InputItem = z.union([
  z.object({ dtmf: Dtmf }).strict(),
  z
    .object({
      say: z.string(),
      /** The intent a bot recognises in the utterance (no NLU runs offline). */
      intent: z.string().optional(),
      /** Slot values the bot fills from it. */
      slots: z.record(z.string(), Scalar).optional(),
    })
    .strict(),
  z.object({ noInput: z.literal(true) }).strict(),
]);

/** A data action's answer: its output, with the output values. */
const DataActionMock = z.union([
  z.enum(['success', 'failure', 'timeout']),
  z.object({ success: z.record(z.string(), z.unknown()).nullable() }).strict(),
  z.object({ failure: z.record(z.string(), z.unknown()).nullable() }).strict(),
]);

/** A data table: its rows by key, or a failed lookup. */
const DataTableMock = z.union([z.literal('failure'), z.record(z.string(), z.record(z.string(), Scalar))]);

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const At = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString() : v))
  .refine((v) => ISO_WITH_OFFSET.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'must be an ISO-8601 time with a UTC offset, such as 2026-12-02T10:00:00-05:00',
  });

/** Weekly hours: `Mon-Fri 08:00-18:00` (several separated by `;`), in a time zone. */
export const HOURS =
  /^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?\s+([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d\s*$/;
const ScheduleDefinition = z
  .object({
    open: z.string().refine((s) => s.split(';').every((p) => HOURS.test(p)), {
      message: "weekly hours such as 'Mon-Fri 08:00-18:00' (several separated by ';')",
    }),
    timeZone: z.string().refine(validTimeZone, { message: 'an IANA time zone such as America/New_York' }),
  })
  .strict();

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const Ends = z.union([z.string(), z.record(z.string(), z.record(z.string(), Scalar).nullable())]);

const Expect = z
  .object({
    /** Prompts and TTS heard, in order, as a subsequence: a text found in one, or /regex/. */
    hears: z.array(Heard).optional(),
    /** The end: `disconnect`, or `{transferToAcd: {queue: Loans}}`. */
    ends: Ends.optional(),
    /** Variables' values at the end. */
    variables: z.record(z.string(), Scalar.nullable()).optional(),
    /** Participant data set (setParticipantData, setConversationData). */
    participantData: z.record(z.string(), Scalar.nullable()).optional(),
    /** Steps of the path, in order, as a subsequence (a text found in a step, or /regex/). */
    path: z.array(Heard).optional(),
  })
  .strict();

const Case = z
  .object({
    name: z.string().min(1),
    at: At.optional(),
    schedules: z.record(z.string(), z.union([z.enum(['open', 'closed']), ScheduleDefinition])).optional(),
    scheduleGroups: z.record(z.string(), z.enum(['open', 'closed', 'holiday', 'emergency'])).optional(),
    caller: z
      .object({
        ani: z.string().optional(),
        dnis: z.string().optional(),
        language: z.string().optional(),
        name: z.string().optional(),
      })
      .strict()
      .optional(),
    /** Values the flow starts with (`Flow.ani` of a workflow, `Call.EstimatedWaitTime`). */
    variables: z.record(z.string(), z.unknown()).optional(),
    participantData: z.record(z.string(), Scalar).optional(),
    input: z.array(InputItem).optional(),
    dataActions: z.record(z.string(), DataActionMock).optional(),
    dataTables: z.record(z.string(), DataTableMock).optional(),
    /** An action's output fixed by name (`'Decision 1': yes`, `'Transfer to ACD': failure`). */
    assume: z.record(z.string(), z.union([z.string(), z.boolean()])).optional(),
    expect: Expect,
  })
  .strict();

/** The scenario file's schema. */
export const ScenarioSchema = z
  .object({
    /** The flow: a path (relative to this file, else to the manifest), or a flow's name in the manifest. */
    flow: z.string().min(1).optional(),
    substitutions: z.record(z.string(), Scalar).optional(),
    cases: z.array(Case).min(1),
  })
  .strict();

/** A scenario file as validated. */
export type ScenarioFile = z.infer<typeof ScenarioSchema>;
/** One case. */
export type ScenarioCase = z.infer<typeof Case>;
/** One input of a case. */
export type ScenarioInput = z.infer<typeof InputItem>;
/** A data action mock. */
export type DataActionAnswer = z.infer<typeof DataActionMock>;
