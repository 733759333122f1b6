/**
 * The SVG charts of the adoption report. Time charts share one frame: local time on the x axis
 * with the zone in its title, the window from edge to edge, the publish marked, y ticks on the
 * left outside the plot (no point ever covers a label). Failure rates use one scale across every
 * flow of the report, so 3.1 % is drawn longer than 2.7 % wherever they appear.
 */
import type { AdoptionReport } from './report.js';
import { rateTicks, timeTicks, type ZoneClock } from './time-axis.js';

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** A rate as text; an interval with no data says so (never a dash). */
export const pct = (x: number | null, digits = 1) =>
  x === null ? 'no data' : `${Number((100 * x).toFixed(digits))} %`;

const W = 640;
const H = 230;
const LEFT = 56;
const RIGHT = 24;
const TOP = 30;
const BOTTOM = 48;

/** Colours per version: the new one, the previous one, then any other. */
const COLOURS = ['#2f6fd6', '#d9822b', '#5b8c5a', '#8e5ea2', '#7a7a7a'];

/** The version → colour of a report (new first, previous second). */
export function versionColours(r: AdoptionReport): Map<string, string> {
  const order = [r.newVersion, ...(r.previousVersion ? [r.previousVersion] : [])];
  for (const v of r.versions) if (!order.includes(v.version)) order.push(v.version);
  return new Map(order.map((v, i) => [v, COLOURS[Math.min(i, COLOURS.length - 1)]!]));
}

/** The x and y scales of a time chart over the report's window. */
function frame(r: AdoptionReport, clock: ZoneClock, yTicks: number[], yLabel: (v: number) => string) {
  const from = Date.parse(r.window.from);
  const until = Date.parse(r.window.until);
  const top = yTicks[yTicks.length - 1]!;
  const x = (t: number) => LEFT + ((W - LEFT - RIGHT) * (t - from)) / Math.max(1, until - from);
  const y = (v: number) => H - BOTTOM - ((H - TOP - BOTTOM) * v) / top;
  const grid = yTicks
    .map(
      (v) =>
        `<line class="${v === 0 ? 'axis' : 'grid'}" x1="${LEFT}" y1="${y(v).toFixed(1)}" x2="${W - RIGHT}" y2="${y(v).toFixed(1)}"/><text class="tick y" x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(yLabel(v))}</text>`,
    )
    .join('');
  const xTicks = timeTicks(from, until, clock)
    .map(({ t, label }) => {
      const half = label.length * 3.4;
      const at = x(t);
      const anchor = at - half < 2 ? 'start' : at + half > W - 2 ? 'end' : 'middle';
      return `<line class="axis" x1="${at.toFixed(1)}" y1="${H - BOTTOM}" x2="${at.toFixed(1)}" y2="${H - BOTTOM + 5}"/><text class="tick x" x="${at.toFixed(1)}" y="${H - BOTTOM + 18}" text-anchor="${anchor}">${esc(label)}</text>`;
    })
    .join('');
  const published = Date.parse(r.publishedAt);
  let marker = '';
  if (published >= from && published <= until) {
    const at = x(published);
    const label = `published ${clock.time(published, true)}`;
    const flip = at + label.length * 6.2 > W - 4;
    marker = `<line class="publish" x1="${at.toFixed(1)}" y1="${TOP}" x2="${at.toFixed(1)}" y2="${H - BOTTOM}"/><text class="publish-label" x="${(flip ? at - 4 : at + 4).toFixed(1)}" y="${TOP - 10}" text-anchor="${flip ? 'end' : 'start'}">${esc(label)}</text>`;
  }
  const title = `<text class="axis-title" x="${(LEFT + (W - LEFT - RIGHT) / 2).toFixed(1)}" y="${H - 8}" text-anchor="middle">local time, ${esc(clock.zoneLabel(from))}</text>`;
  const plot = `<rect class="plot" x="${LEFT}" y="${TOP}" width="${W - LEFT - RIGHT}" height="${H - TOP - BOTTOM}"/>`;
  return { x, y, from, until, chrome: plot + grid + xTicks + marker + title };
}

/** The middle of an interval, inside the window. */
function middle(start: string, r: AdoptionReport, stepMs: number): number {
  const s = Date.parse(start);
  return (s + Math.min(s + stepMs, Date.parse(r.window.until))) / 2;
}

/** Path data of a series with gaps where there is no value: a new `M` after each gap. */
function path(points: Array<[number, number] | null>): string {
  let out = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    out += `${pen ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)} `;
    pen = true;
  }
  return out.trim();
}

/** A "no data" line across an empty plot. */
const empty = (what: string) =>
  `<text class="no-data" x="${(LEFT + (W - LEFT - RIGHT) / 2).toFixed(1)}" y="${((TOP + H - BOTTOM) / 2).toFixed(1)}" text-anchor="middle">no data: ${esc(what)}</text>`;

/** The share of executions on the new version per interval, over local time. */
export function shareChart(r: AdoptionReport, clock: ZoneClock, stepMs: number): string {
  const f = frame(r, clock, [0, 0.25, 0.5, 0.75, 1], (v) => `${v * 100} %`);
  const pts = r.share.map((s) =>
    s.share === null ? null : ([f.x(middle(s.start, r, stepMs)), f.y(s.share)] as [number, number]),
  );
  const dots = r.share
    .map((s, i) =>
      pts[i]
        ? `<circle class="point" cx="${pts[i][0].toFixed(1)}" cy="${pts[i][1].toFixed(1)}" r="2.5"><title>${esc(clock.time(Date.parse(s.start)))}: ${pct(s.share)} of ${s.total}</title></circle>`
        : '',
    )
    .join('');
  const n = pts.filter(Boolean).length;
  return `<svg class="chart share" role="img" aria-label="Share of executions on version ${esc(r.newVersion)} over time" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" data-series="1" data-points="${n}">
${f.chrome}${n ? `<path class="series" style="stroke:${versionColours(r).get(r.newVersion)}" d="${path(pts)}"/>${dots}` : empty('no executions in the window')}</svg>`;
}

/** The outcome failure rate of each version per interval, over local time, on a shared scale. */
export function failureOverTimeChart(
  r: AdoptionReport,
  clock: ZoneClock,
  stepMs: number,
  scale: number[],
): string {
  const f = frame(r, clock, scale, (v) => pct(v, 2));
  const colours = versionColours(r);
  let points = 0;
  const series = [...colours.keys()]
    .map((version) => {
      const pts = r.intervals.map((i) => {
        const c = i.versions[version];
        return c && c.outcomes > 0
          ? ([f.x(middle(i.start, r, stepMs)), f.y(c.failed / c.outcomes), c] as const)
          : null;
      });
      const drawn = pts.filter((p) => p !== null);
      if (drawn.length === 0) return '';
      points += drawn.length;
      const dots = drawn
        .map(
          ([cx, cy, c]) =>
            `<circle class="point" cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="2.5" style="fill:${colours.get(version)}"><title>version ${esc(version)}: ${pct(c.failed / c.outcomes)} (${c.failed} of ${c.outcomes})</title></circle>`,
        )
        .join('');
      return `<g class="series" data-version="${esc(version)}"><path class="series" style="stroke:${colours.get(version)}" d="${path(pts.map((p) => (p ? [p[0], p[1]] : null)))}"/>${dots}</g>`;
    })
    .join('');
  return `<svg class="chart failures-over-time" role="img" aria-label="Outcome failure rate per version over time" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" data-points="${points}">
${f.chrome}${points ? series : empty('no outcomes in the window')}</svg>`;
}

/** Failure rates per version with their 95 % intervals (bars and whiskers) on a shared scale. */
export function failureChart(r: AdoptionReport, scale: number[]): string {
  const rows = [
    ...r.versions.map((v) => ({ label: `version ${v.version}`, figures: v, baseline: false })),
    ...(r.baseline
      ? [
          {
            label: `version ${r.baseline.figures.version} before`,
            figures: r.baseline.figures,
            baseline: true,
          },
        ]
      : []),
  ];
  const rowH = 30;
  const left = 150;
  const right = 200;
  const top = 8;
  const axisY = top + rowH * rows.length + 4;
  const h = axisY + 40;
  const max = scale[scale.length - 1]!;
  const x = (v: number) => left + ((W - left - right) * v) / max;
  const colours = versionColours(r);
  const bars = rows
    .map(({ label, figures: v, baseline }, i) => {
      const yy = top + i * rowH;
      const fr = v.failureRate;
      const name = `<text class="label" x="4" y="${yy + 14}">${esc(label)}</text>`;
      if (fr.rate === null)
        return `<g class="row" data-version="${esc(v.version)}">${name}<text class="value" x="${left}" y="${yy + 14}">no data (no outcomes)</text></g>`;
      return `<g class="series row${baseline ? ' baseline' : ''}" data-version="${esc(v.version)}">${name}
<rect class="bar" x="${left}" y="${yy + 2}" width="${Math.max(0.5, x(fr.rate) - left).toFixed(1)}" height="16" style="fill:${colours.get(v.version)}"><title>${pct(fr.rate, 2)} (${fr.successes} of ${fr.trials})</title></rect>
<line class="ci" x1="${x(fr.low!).toFixed(1)}" y1="${yy + 10}" x2="${x(fr.high!).toFixed(1)}" y2="${yy + 10}"/>
<line class="ci" x1="${x(fr.low!).toFixed(1)}" y1="${yy + 4}" x2="${x(fr.low!).toFixed(1)}" y2="${yy + 16}"/>
<line class="ci" x1="${x(fr.high!).toFixed(1)}" y1="${yy + 4}" x2="${x(fr.high!).toFixed(1)}" y2="${yy + 16}"/>
<text class="value" x="${(x(fr.high!) + 6).toFixed(1)}" y="${yy + 14}">${pct(fr.rate)} [${pct(fr.low)}, ${pct(fr.high)}]</text></g>`;
    })
    .join('\n');
  const ticks = scale
    .map(
      (v) =>
        `<line class="${v === 0 ? 'axis' : 'grid'}" x1="${x(v).toFixed(1)}" y1="${top}" x2="${x(v).toFixed(1)}" y2="${axisY + 4}"/><text class="tick x" x="${x(v).toFixed(1)}" y="${axisY + 18}" text-anchor="middle">${esc(pct(v, 2))}</text>`,
    )
    .join('');
  return `<svg class="chart failures" role="img" aria-label="Outcome failure rate per version with 95% intervals" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" data-series="${r.versions.length}">
<line class="axis" x1="${left}" y1="${axisY}" x2="${x(max).toFixed(1)}" y2="${axisY}"/>${ticks}
<text class="axis-title" x="${(left + (x(max) - left) / 2).toFixed(1)}" y="${axisY + 34}" text-anchor="middle">outcome failure rate (one scale for every flow of this report)</text>
${bars}</svg>`;
}

/** The shared scales of a report's flows: totals with their intervals, and per-interval rates. */
export function sharedScales(reports: readonly AdoptionReport[]): { totals: number[]; intervals: number[] } {
  let totals = 0.01;
  let intervals = 0.01;
  for (const r of reports) {
    for (const v of [...r.versions, ...(r.baseline ? [r.baseline.figures] : [])])
      totals = Math.max(totals, v.failureRate.high ?? 0);
    for (const i of r.intervals)
      for (const c of Object.values(i.versions))
        if (c.outcomes > 0) intervals = Math.max(intervals, c.failed / c.outcomes);
  }
  return { totals: rateTicks(totals), intervals: rateTicks(intervals) };
}
