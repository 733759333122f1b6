/**
 * Schedules and schedule groups, from the case: `schedules: {Business Hours: open}` states it, or
 * a definition (`{open: 'Mon-Fri 08:00-18:00', timeZone: America/New_York}`) is evaluated at the
 * case's `at:`. Schedule groups take their state (`open`, `closed`, `holiday`, `emergency`: the
 * outputs of SDK ArchActionEvaluateScheduleGroup) from `scheduleGroups:`.
 */
import { HOURS, type ScenarioCase } from './schema.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Whether a schedule is active at `at`, or undefined when the case does not say. */
export function scheduleActive(kase: ScenarioCase, name: string, at: Date): boolean | undefined {
  const s = lookup(kase.schedules, name);
  if (s === undefined) return undefined;
  if (typeof s === 'string') return s === 'open';
  const local = localTime(at, s.timeZone);
  return s.open.split(';').some((part) => inHours(part, local));
}

/** A schedule group's state, or undefined when the case does not say. */
export function scheduleGroupState(kase: ScenarioCase, name: string): string | undefined {
  return lookup(kase.scheduleGroups, name);
}

function lookup<T>(map: Record<string, T> | undefined, name: string): T | undefined {
  if (!map) return undefined;
  if (Object.hasOwn(map, name)) return map[name];
  const lower = name.toLowerCase();
  const k = Object.keys(map).find((x) => x.toLowerCase() === lower);
  return k === undefined ? undefined : map[k];
}

function localTime(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: DAYS.indexOf(get('weekday')), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

function inHours(part: string, t: { day: number; minutes: number }): boolean {
  const m = HOURS.exec(part)!;
  const from = DAYS.indexOf(m[1]!);
  const to = m[3] ? DAYS.indexOf(m[3]) : from;
  const days = from <= to ? t.day >= from && t.day <= to : t.day >= from || t.day <= to;
  const [start, end] = part
    .trim()
    .split(/\s+/)[1]!
    .split('-')
    .map((hm) => {
      const [h, mi] = hm.split(':').map(Number);
      return h! * 60 + mi!;
    });
  return days && t.minutes >= start! && t.minutes < end!;
}
