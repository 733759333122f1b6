/**
 * The adoption report as one self-contained HTML file: inline SVG charts (the share of executions
 * on the new version over local time, the failure rate of each version over time, failure rates
 * with their intervals on one scale for every flow), inline CSS, no script and no external asset,
 * so it reads the same offline, in a mail or in an archive. Every time is local, with its zone.
 */
import { durationMs } from './query.js';
import type { AdoptionReport } from './report.js';
import {
  esc,
  failureChart,
  failureOverTimeChart,
  pct,
  sharedScales,
  shareChart,
  versionColours,
} from './html-charts.js';
import { zoneClock, type ZoneClock } from './time-axis.js';

/** Options of {@link adoptionHtml}. */
export interface HtmlOptions {
  title?: string;
  /** The zone of every time shown (default: this machine's). */
  timeZone?: string;
}

/** The window and what the verdict compared, in words. */
function windowText(r: AdoptionReport, clock: ZoneClock): string {
  const from = Date.parse(r.window.from);
  const until = Date.parse(r.window.until);
  const whose = {
    platform: "now on the platform's clock",
    given: 'the given end',
    local: "now on this machine's clock",
  };
  const base = r.baseline
    ? ` The health verdict compares version ${esc(r.newVersion)} there with version ${esc(r.baseline.figures.version)} from ${esc(clock.dateTime(Date.parse(r.baseline.from)))} to ${esc(clock.dateTime(Date.parse(r.baseline.until)))} (as long, just before the publish: ${r.baseline.figures.executions} executions).`
    : '';
  return `<p class="window">Window: <strong>${esc(clock.dateTime(from))}</strong> to <strong>${esc(clock.dateTime(until))}</strong> (${whose[r.window.clock]}), ${esc(r.granularity)} intervals; every figure and chart of this section covers it. Published ${esc(clock.dateTime(Date.parse(r.publishedAt)))}.${base}</p>`;
}

/** The figures table: one row per version, "no data" where there is none. */
function table(r: AdoptionReport): string {
  const rows = [
    ...r.versions.map((v) => ({ v, label: `version ${v.version}`, where: 'window' })),
    ...(r.baseline
      ? [
          {
            v: r.baseline.figures,
            label: `version ${r.baseline.figures.version}`,
            where: 'before the publish',
          },
        ]
      : []),
  ];
  const cell = (v: AdoptionReport['versions'][number]) =>
    v.failureRate.rate === null
      ? '<td>no data</td><td>no data</td>'
      : `<td>${pct(v.failureRate.rate)}</td><td>${pct(v.failureRate.low)} to ${pct(v.failureRate.high)}</td>`;
  const disconnects = (v: AdoptionReport['versions'][number]) =>
    v.disconnectRate.rate === null
      ? '<td>no data</td>'
      : `<td>${pct(v.disconnectRate.rate)} (${pct(v.disconnectRate.low)} to ${pct(v.disconnectRate.high)})</td>`;
  return `<table><tr><th>version</th><th>over</th><th>executions</th><th>disconnects (95 %)</th><th>failure rate</th><th>95 % interval</th><th>mean time in flow</th></tr>
${rows.map(({ v, label, where }) => `<tr><td>${esc(label)}</td><td>${where}</td><td>${v.executions}</td>${disconnects(v)}${cell(v)}<td>${v.meanTimeInFlowMs.mean === null ? 'no data' : `${(v.meanTimeInFlowMs.mean / 1000).toFixed(1)} s`}</td></tr>`).join('\n')}
</table>`;
}

/** The verdict, and each signal's when there are signals. */
function verdictHtml(r: AdoptionReport): string {
  const v = r.verdict;
  if (v.signals.length === 0)
    return `<p class="verdict ${v.verdict}">Health: ${esc(v.verdict)}: ${esc(v.reason)}</p>`;
  const items = [
    ...v.signals.map(
      (s) => `<li class="verdict ${s.verdict}">${esc(s.signal)}: ${esc(s.verdict)}: ${esc(s.reason)}</li>`,
    ),
    ...v.skipped.map((s) => `<li>${esc(s)}</li>`),
  ];
  return `<p class="verdict ${v.verdict}">Health: ${esc(v.verdict)} (${v.tests} tests share the confidence)</p><ul class="signals">${items.join('')}</ul>`;
}

/** The colour key of the per-version chart. */
function legend(r: AdoptionReport): string {
  return `<ul class="legend">${[...versionColours(r)]
    .map(
      ([v, colour]) => `<li><span class="swatch" style="background:${colour}"></span>version ${esc(v)}</li>`,
    )
    .join('')}</ul>`;
}

/** One flow's section. */
function section(r: AdoptionReport, clock: ZoneClock, scales: ReturnType<typeof sharedScales>): string {
  const step = durationMs(r.granularity);
  const s = r.overallShare;
  const share =
    s.rate === null
      ? 'No executions in the window: no data.'
      : `<strong>${pct(s.rate)}</strong> of ${s.trials} executions on version ${esc(r.newVersion)} [${pct(s.low)}, ${pct(s.high)}].`;
  return `<section>
<h2>${esc(r.flowName)} <small>version ${esc(r.newVersion)}${r.previousVersion ? ` (before: version ${esc(r.previousVersion)})` : ''}</small></h2>
${windowText(r, clock)}
<p>${share} Volume ${r.volumes.after} after the publish against ${r.volumes.before} in the same length of time before.</p>
${verdictHtml(r)}
${r.notes.length ? `<ul class="notes">${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<h3>Share on version ${esc(r.newVersion)}</h3>${shareChart(r, clock, step)}
<h3>Outcome failure rate per version over time</h3>${failureOverTimeChart(r, clock, step, scales.intervals)}${legend(r)}
<h3>Outcome failure rate (95 % Wilson intervals)</h3>${failureChart(r, scales.totals)}
${table(r)}</section>`;
}

/** The whole report. */
export function adoptionHtml(reports: readonly AdoptionReport[], options: HtmlOptions | string = {}): string {
  const o = typeof options === 'string' ? { title: options } : options;
  const title = o.title ?? 'flowgate adoption';
  const clock = zoneClock(o.timeZone);
  const scales = sharedScales(reports);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2433;max-width:60rem}
h2 small{font-weight:normal;color:#5b6475}
.chart{display:block;margin:.5rem 0 1rem;background:#fafbfc;border:1px solid #e3e6eb}
.chart text{font-size:11px;fill:#5b6475}.chart .axis-title{fill:#1d2433}
.plot{fill:#fff}.axis{stroke:#9aa3b2}.grid{stroke:#e3e6eb;stroke-dasharray:3 3}
.publish{stroke:#b42318;stroke-dasharray:4 3}.chart .publish-label{fill:#b42318}
path.series{fill:none;stroke-width:2}.point{fill:#2f6fd6}
.bar{opacity:.75}.ci{stroke:#1d2433;stroke-width:1.5}
.legend{list-style:none;padding:0;margin:-.5rem 0 1rem;display:flex;gap:1.5rem}.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.35rem;vertical-align:-1px}
.verdict.degraded{color:#b42318;font-weight:bold}.verdict.healthy{color:#067647}.notes{color:#8a5a00}
table{border-collapse:collapse}td,th{border-bottom:1px solid #e3e6eb;padding:.25rem .75rem;text-align:left}
</style></head>
<body><h1>${esc(title)}</h1>
<p>Times are local: ${esc(clock.zoneLabel(Date.parse(reports[0]?.window.from ?? new Date(0).toISOString())))}.</p>
${reports.map((r) => section(r, clock, scales)).join('\n')}
<p><small>Disconnects = tFlowDisconnect's count / nFlow; failure rate = nFlowOutcomeFailed / nFlowOutcome (only flows that set outcomes have them); per version, from the flow aggregates grouped by flowVersion and exitReason; an execution counts in the interval it ends in. Generated by flowgate.</small></p>
</body></html>
`;
}

/** A one-line terminal chart of the share over time (▁▂▃▄▅▆▇█; a blank where there is no data). */
export function sparkline(r: AdoptionReport, width = 48): string {
  const bars = '▁▂▃▄▅▆▇█';
  const step = Math.max(1, Math.ceil(r.share.length / width));
  let out = '';
  for (let i = 0; i < r.share.length; i += step) {
    const slice = r.share.slice(i, i + step).filter((s) => s.share !== null);
    if (slice.length === 0) {
      out += ' ';
      continue;
    }
    const v = slice.reduce((a, s) => a + s.share!, 0) / slice.length;
    out += bars[Math.min(bars.length - 1, Math.floor(v * bars.length))];
  }
  return out;
}
