/**
 * Time on a chart's x axis, in a time zone (the report's reader's: the machine that writes it, or
 * the one given), with the zone said once: tick positions on whole local minutes, hours or days,
 * and short labels that fit between them.
 */

/** Formats instants in one time zone. */
export interface ZoneClock {
  timeZone: string;
  /** `Europe/Paris (GMT+1)`. */
  zoneLabel(t: number): string;
  /** The zone's offset from UTC at `t`, in ms. */
  offsetMs(t: number): number;
  /** `14:05` or `14:05:09`. */
  time(t: number, seconds?: boolean): string;
  /** `1 Dec 2026, 14:05:09 GMT+1`. */
  dateTime(t: number): string;
  /** `1 Dec` or `1 Dec 14:00`. */
  day(t: number, withTime: boolean): string;
}

/** A clock in `timeZone` (default: this machine's zone). */
export function zoneClock(timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone): ZoneClock {
  const fmt = (o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, hour12: false, ...o });
  const offsetName = fmt({ timeZoneName: 'shortOffset' });
  const hm = fmt({ hour: '2-digit', minute: '2-digit' });
  const hms = fmt({ hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dm = fmt({ day: 'numeric', month: 'short' });
  const full = fmt({
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'shortOffset',
  });
  const offset = (t: number) =>
    offsetName.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return {
    timeZone,
    zoneLabel: (t) => `${timeZone} (${offset(t)})`,
    offsetMs(t) {
      const m = /GMT([+-])(\d{1,2})(?::(\d\d))?/.exec(offset(t));
      return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000 : 0;
    },
    time: (t, seconds = false) => (seconds ? hms : hm).format(t),
    dateTime: (t) => full.format(t),
    day: (t, withTime) => (withTime ? `${dm.format(t)} ${hm.format(t)}` : dm.format(t)),
  };
}

const MINUTE = 60_000;
/** Tick spacings a reader counts in: minutes, hours, days, a week. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10_080].map((m) => m * MINUTE);

/** Ticks in [from, until] on whole local units, at most `max`, each with its label. */
export function timeTicks(
  from: number,
  until: number,
  clock: ZoneClock,
  max = 6,
): Array<{ t: number; label: string }> {
  const span = until - from;
  const step = STEPS.find((s) => span / s <= max) ?? Math.ceil(span / max / (1440 * MINUTE)) * 1440 * MINUTE;
  const offset = clock.offsetMs(from);
  const ticks: number[] = [];
  for (let t = Math.ceil((from + offset) / step) * step - offset; t <= until; t += step) ticks.push(t);
  const days = span >= 20 * 60 * MINUTE;
  return ticks.map((t) => ({
    t,
    label: days ? clock.day(t, step < 1440 * MINUTE) : clock.time(t),
  }));
}

/** Round tick values for a rate axis from 0 to at least `max`: 4 to 6 steps of 1, 2, 2.5 or 5 × 10ⁿ. */
export function rateTicks(max: number): number[] {
  const top = Math.max(max, 0.001);
  const raw = top / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => top / s <= 5)!;
  const ticks: number[] = [];
  for (let i = 0; i * step < top + step * 1e-9 || ticks.length < 2; i++) ticks.push(i * step);
  if (ticks[ticks.length - 1]! < top) ticks.push(ticks.length * step);
  return ticks.map((v) => Number(v.toPrecision(12)));
}
