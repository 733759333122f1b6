/**
 * The adoption report as one self-contained HTML file: inline SVG charts (the share of executions
 * on the new version over time; failure rates per version with their intervals), inline CSS, no
 * script and no external asset, so it reads the same offline, in a mail or in an archive.
 */
import type { AdoptionReport } from './report.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);

/** The share-over-time line chart of one flow. */
function shareChart(r: AdoptionReport): string {
  const w = 640;
  const h = 180;
  const pad = 32;
  const pts = r.share.filter((s) => s.share !== null);
  const t0 = pts.length ? Date.parse(pts[0]!.start) : 0;
  const t1 = pts.length ? Date.parse(pts[pts.length - 1]!.start) : 1;
  const x = (t: number) => pad + ((w - 2 * pad) * (t - t0)) / Math.max(1, t1 - t0);
  const y = (v: number) => h - pad - (h - 2 * pad) * v;
  const path = pts
    .map((p, i) => `${i ? 'L' : 'M'}${x(Date.parse(p.start)).toFixed(1)},${y(p.share!).toFixed(1)}`)
    .join(' ');
  const dots = pts
    .map(
      (p) =>
        `<circle class="point" cx="${x(Date.parse(p.start)).toFixed(1)}" cy="${y(p.share!).toFixed(1)}" r="2.5"><title>${esc(p.start)}: ${pct(p.share)} of ${p.total}</title></circle>`,
    )
    .join('');
  return `<svg class="chart share" role="img" aria-label="Share of executions on version ${esc(r.newVersion)} over time" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" data-series="1" data-points="${pts.length}">
<line x1="${pad}" y1="${y(0)}" x2="${w - pad}" y2="${y(0)}" class="axis"/><line x1="${pad}" y1="${y(1)}" x2="${w - pad}" y2="${y(1)}" class="grid"/>
<text x="4" y="${y(1) + 4}">100%</text><text x="4" y="${y(0) + 4}">0%</text>
<path class="series" d="${path}"/>${dots}</svg>`;
}

/** Failure rates per version with their intervals (bars with whiskers). */
function failureChart(r: AdoptionReport): string {
  const w = 640;
  const rowH = 36;
  const h = 24 + rowH * r.versions.length;
  const left = 120;
  const max = Math.max(0.01, ...r.versions.map((v) => v.failureRate.high ?? 0)) * 1.15;
  // Room on the right for the label after the whisker.
  const x = (v: number) => left + ((w - left - 190) * v) / max;
  const rows = r.versions
    .map((v, i) => {
      const yy = 16 + i * rowH;
      const fr = v.failureRate;
      if (fr.rate === null) return `<text x="4" y="${yy + 14}">v${esc(v.version)}: no outcomes</text>`;
      return `<g class="series" data-version="${esc(v.version)}"><text x="4" y="${yy + 14}">version ${esc(v.version)}</text>
<rect class="bar" x="${left}" y="${yy}" width="${(x(fr.rate) - left).toFixed(1)}" height="18"><title>${pct(fr.rate)} (${fr.successes} of ${fr.trials})</title></rect>
<line class="ci" x1="${x(fr.low!).toFixed(1)}" y1="${yy + 9}" x2="${x(fr.high!).toFixed(1)}" y2="${yy + 9}"/>
<line class="ci" x1="${x(fr.low!).toFixed(1)}" y1="${yy + 3}" x2="${x(fr.low!).toFixed(1)}" y2="${yy + 15}"/>
<line class="ci" x1="${x(fr.high!).toFixed(1)}" y1="${yy + 3}" x2="${x(fr.high!).toFixed(1)}" y2="${yy + 15}"/>
<text x="${(x(fr.high!) + 6).toFixed(1)}" y="${yy + 14}">${pct(fr.rate)} [${pct(fr.low)}, ${pct(fr.high)}]</text></g>`;
    })
    .join('\n');
  return `<svg class="chart failures" role="img" aria-label="Outcome failure rate per version with 95% intervals" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" data-series="${r.versions.length}">${rows}</svg>`;
}

/** The whole report. */
export function adoptionHtml(reports: readonly AdoptionReport[], title = 'flowgate adoption'): string {
  const sections = reports
    .map(
      (r) => `<section>
<h2>${esc(r.flowName)} <small>version ${esc(r.newVersion)}${r.previousVersion ? ` (before: ${esc(r.previousVersion)})` : ''}</small></h2>
<p>Published ${esc(r.publishedAt)}; until ${esc(r.until)}; ${esc(r.granularity)} intervals. <strong>${pct(r.overallShare.rate)}</strong> of ${r.overallShare.trials} executions on the new version [${pct(r.overallShare.low)}, ${pct(r.overallShare.high)}]. Volume ${r.volumes.after} after against ${r.volumes.before} in the same length of time before.</p>
<p class="verdict ${r.verdict.verdict}">Health: ${esc(r.verdict.verdict)}: ${esc(r.verdict.reason)}</p>
<h3>Share on the new version</h3>${shareChart(r)}
<h3>Outcome failure rate (95 % Wilson intervals)</h3>${failureChart(r)}
<table><tr><th>version</th><th>executions</th><th>failure rate</th><th>95 % interval</th><th>mean time in flow</th></tr>
${r.versions.map((v) => `<tr><td>${esc(v.version)}</td><td>${v.executions}</td><td>${pct(v.failureRate.rate)}</td><td>${pct(v.failureRate.low)} – ${pct(v.failureRate.high)}</td><td>${v.meanTimeInFlowMs.mean === null ? '—' : `${(v.meanTimeInFlowMs.mean / 1000).toFixed(1)} s`}</td></tr>`).join('\n')}
</table></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2433;max-width:60rem}
h2 small{font-weight:normal;color:#5b6475}
.chart{display:block;margin:.5rem 0 1rem;background:#fafbfc;border:1px solid #e3e6eb}
.chart text{font-size:11px;fill:#5b6475}
.axis{stroke:#9aa3b2}.grid{stroke:#e3e6eb;stroke-dasharray:3 3}
path.series{fill:none;stroke:#2f6fd6;stroke-width:2}.point{fill:#2f6fd6}
.bar{fill:#8fb3ee}.ci{stroke:#1d2433;stroke-width:1.5}
.verdict.degraded{color:#b42318;font-weight:bold}.verdict.healthy{color:#067647}
table{border-collapse:collapse}td,th{border-bottom:1px solid #e3e6eb;padding:.25rem .75rem;text-align:left}
</style></head>
<body><h1>${esc(title)}</h1>
${sections}
<p><small>Failure rate = nFlowOutcomeFailed / nFlowOutcome per version, from the flow aggregates grouped by flowVersion. Generated by flowgate.</small></p>
</body></html>
`;
}

/** A one-line terminal chart of the share over time (▁▂▃▄▅▆▇█). */
export function sparkline(r: AdoptionReport, width = 48): string {
  const bars = '▁▂▃▄▅▆▇█';
  const values = r.share.map((s) => s.share ?? 0);
  const step = Math.max(1, Math.ceil(values.length / width));
  let out = '';
  for (let i = 0; i < values.length; i += step) {
    const slice = values.slice(i, i + step);
    const v = slice.reduce((a, b) => a + b, 0) / slice.length;
    out += bars[Math.min(bars.length - 1, Math.floor(v * bars.length))];
  }
  return out;
}
