/// <reference lib="dom" />
/**
 * The HTML adoption report as a person sees it: opened in headless Chromium (found by `findChromium()`:
 * Debian's `chromium` in CI; driven by playwright-core with `executablePath`; `.ci/run` installs it), with no console error
 * and no request out; times on the x axis in local time with the zone; the publish marked; one
 * failure-rate scale with ticks across flows; every point inside its axes; no two labels
 * overlapping; the window named; "no data" where there is none; one label style for versions.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { adoptionReport, type AdoptionReport } from '../../src/adoption/report.js';
import { adoptionHtml } from '../../src/adoption/html.js';
import { clientFor, flowId, useEmulator } from '../helpers/emulator.js';
import { chromiumDecision } from '../helpers/chromium.js';
import { DEFAULT_SEED_PATH, readSeed } from '../../src/emulator/server.js';
import type { Seed } from '../../src/emulator/seed.js';

const chromiumFound = chromiumDecision();
const executablePath = chromiumFound.kind === 'run' ? chromiumFound.path : '';

// Under CI=true a missing browser fails the run, saying why, instead of skipping in silence.
if (chromiumFound.kind === 'fail')
  describe('the HTML report in headless Chromium', () => {
    it('needs Chromium', () => {
      throw new Error(chromiumFound.reason);
    });
  });

const ZONE = 'Europe/Paris';
const MINUTE = 60_000;

/**
 * The example org, with Main IVR's and Authenticate Caller's versions setting outcomes (the
 * emulator records outcomes only for configurations with an outcome action): the failure charts
 * need some.
 */
function seedWithOutcomes(): Seed {
  const seed = readSeed(DEFAULT_SEED_PATH);
  for (const f of seed.flows ?? [])
    if (f.name === 'Main IVR' || f.name === 'Authenticate Caller')
      for (const v of f.versions ?? [])
        v.configuration = { name: f.name, setFlowOutcome: { flowOutcome: { lit: { name: 'Served' } } } };
  return seed;
}

/** What the page shows of one flow's section. */
interface Drawn {
  title: string;
  text: string;
  shareSeries: number;
  sharePoints: number;
  pathPoints: number;
  failureSeries: number;
  bars: Array<{ width: number; title: string }>;
  failureTicks: string[];
  charts: Array<{
    kind: string;
    plot: { left: number; right: number; top: number; bottom: number } | null;
    points: Array<{ x: number; y: number }>;
    xTicks: Array<{ label: string; x: number }>;
    yTicks: string[];
    axisTitle: string;
    publish: { x: number; label: string } | null;
    overlaps: string[];
  }>;
}

describe.skipIf(chromiumFound.kind !== 'run')('the HTML report in headless Chromium', () => {
  const e = useEmulator({ seed: seedWithOutcomes() });

  it('local time on the x axis with the zone, the publish marked, one failure scale with ticks, points inside the axes, no overlapping labels, the window and "no data" said', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const { client } = clientFor(emu, { now: () => emu.control.org.now() });
    const flows = [
      ['Main IVR', '2.0', 0.03, 0.06],
      ['Authenticate Caller', '1.0', 0.02, 0.02],
    ] as const;
    for (const [name, version, before, after] of flows) {
      const id = flowId(emu, name);
      emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 30, failureProbability: before });
      emu.control.setTraffic({ flowId: id, version, failureProbability: after });
      const poll = {
        intervalMs: 20,
        sleep: (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve()),
      };
      await client.flows.followOperation(id, await client.flows.publish(id, version), poll);
    }
    emu.control.setClock({ advanceMs: 45 * MINUTE });
    const now = () => emu.control.org.now();
    const reports: AdoptionReport[] = [];
    for (const [name] of flows)
      reports.push(await adoptionReport(client, flowId(emu, name), { granularity: 'PT5M', now }));
    // Main IVR again, from 15 minutes before its publish: the publish falls inside the window.
    const mainPublished = Date.parse(reports[0]!.publishedAt);
    reports.push(
      await adoptionReport(client, flowId(emu, 'Main IVR'), {
        granularity: 'PT5M',
        since: mainPublished - 15 * MINUTE,
        now,
      }),
    );
    // A window a month before anything ran: no data anywhere.
    reports.push(
      await adoptionReport(client, flowId(emu, 'Authenticate Caller'), {
        granularity: 'PT5M',
        since: now() - 30 * 86_400_000,
        until: now() - 30 * 86_400_000 + 30 * MINUTE,
        now,
      }),
    );
    const file = join(mkdtempSync(join(tmpdir(), 'flowgate-html-')), 'adoption.html');
    writeFileSync(file, adoptionHtml(reports, { timeZone: ZONE }));

    const browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) problems.push(`external request ${r.url()}`);
      });
      await page.goto(pathToFileURL(file).href);
      const body = await page.evaluate(() => document.body.innerText);
      const drawn = await page.evaluate((): Drawn[] => {
        const box = (el: Element) => el.getBoundingClientRect();
        const overlapping = (svg: Element) => {
          // Every label against every other label and every point (a point must not cover "100 %").
          const texts = [...svg.querySelectorAll('text')].map((t) => ({ t: t.textContent ?? '', r: box(t) }));
          const dots = [...svg.querySelectorAll('circle')].map((c) => ({ t: 'a point', r: box(c) }));
          const hit = (a: DOMRect, b: DOMRect) =>
            a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          const out: string[] = [];
          for (let i = 0; i < texts.length; i++) {
            for (let j = i + 1; j < texts.length; j++)
              if (hit(texts[i]!.r, texts[j]!.r)) out.push(`${texts[i]!.t} / ${texts[j]!.t}`);
            for (const d of dots) if (hit(texts[i]!.r, d.r)) out.push(`${texts[i]!.t} / ${d.t}`);
          }
          return out;
        };
        return [...document.querySelectorAll('section')].map((s) => ({
          title: s.querySelector('h2')?.textContent ?? '',
          text: s.innerText,
          shareSeries: s.querySelectorAll('svg.share path.series').length,
          sharePoints: s.querySelectorAll('svg.share circle.point').length,
          pathPoints: (s.querySelector('svg.share path.series')?.getAttribute('d')?.match(/[ML]/g) ?? [])
            .length,
          failureSeries: s.querySelectorAll('svg.failures g.series').length,
          bars: [...s.querySelectorAll('svg.failures rect.bar')].map((r) => ({
            width: box(r).width,
            title: r.querySelector('title')?.textContent ?? '',
          })),
          failureTicks: [...s.querySelectorAll('svg.failures text.tick')].map((t) => t.textContent ?? ''),
          charts: [...s.querySelectorAll('svg.chart')].map((svg) => {
            const plot = svg.querySelector('rect.plot');
            const p = plot ? box(plot) : null;
            const publish = svg.querySelector('line.publish');
            return {
              kind: svg.getAttribute('class') ?? '',
              plot: p ? { left: p.left, right: p.right, top: p.top, bottom: p.bottom } : null,
              points: [...svg.querySelectorAll('circle.point')].map((c) => {
                const r = box(c);
                return { x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2 };
              }),
              xTicks: [...svg.querySelectorAll('text.tick.x')].map((t) => {
                const r = box(t);
                const anchor = t.getAttribute('text-anchor');
                return {
                  label: t.textContent ?? '',
                  x: anchor === 'start' ? r.left : anchor === 'end' ? r.right : (r.left + r.right) / 2,
                };
              }),
              yTicks: [...svg.querySelectorAll('text.tick.y')].map((t) => t.textContent ?? ''),
              axisTitle: svg.querySelector('text.axis-title')?.textContent ?? '',
              publish: publish
                ? {
                    x: box(publish).left + box(publish).width / 2,
                    label: svg.querySelector('text.publish-label')?.textContent ?? '',
                  }
                : null,
              overlaps: overlapping(svg),
            };
          }),
        }));
      });
      expect(problems).toEqual([]);
      expect(drawn).toHaveLength(reports.length);
      const local = (t: number, seconds = false) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: ZONE,
          hour: '2-digit',
          minute: '2-digit',
          ...(seconds ? { second: '2-digit' } : {}),
          hour12: false,
        }).format(t);
      for (const [i, d] of drawn.entries()) {
        const r = reports[i]!;
        const from = Date.parse(r.window.from);
        const until = Date.parse(r.window.until);
        expect(d.title).toContain(r.flowName);
        // The window the section covers, in words, and the zone of its times.
        expect(d.text).toMatch(/Window: .+ to .+ every figure and chart of this section covers it/);
        expect(d.text).toContain('GMT+1');
        // No dash for a missing value: "no data"; one label style for versions.
        expect(d.text).not.toMatch(/—|–/);
        expect(d.text).not.toMatch(/\bv\d+\.\d/);
        expect(d.shareSeries).toBe(r.share.some((x) => x.share !== null) ? 1 : 0);
        expect(d.sharePoints).toBe(r.share.filter((x) => x.share !== null).length);
        expect(d.pathPoints).toBe(d.sharePoints);
        for (const c of d.charts) {
          expect(c.overlaps, `${r.flowName} ${c.kind}`).toEqual([]);
          if (!c.plot) continue; // the failure bars: no time axis
          // Points inside the axes.
          for (const p of c.points) {
            expect(p.x).toBeGreaterThanOrEqual(c.plot.left - 0.5);
            expect(p.x).toBeLessThanOrEqual(c.plot.right + 0.5);
            expect(p.y).toBeGreaterThanOrEqual(c.plot.top - 0.5);
            expect(p.y).toBeLessThanOrEqual(c.plot.bottom + 0.5);
          }
          // Local time on the x axis: each tick label is the local time where it stands.
          expect(c.axisTitle).toBe(`local time, ${ZONE} (GMT+1)`);
          expect(c.xTicks.length).toBeGreaterThanOrEqual(2);
          for (const t of c.xTicks) {
            const at = from + ((t.x - c.plot.left) / (c.plot.right - c.plot.left)) * (until - from);
            const tick = Math.round(at / MINUTE) * MINUTE;
            expect(t.label, `${t.label} at ${new Date(at).toISOString()}`).toBe(local(tick));
          }
          expect(c.yTicks.length).toBeGreaterThanOrEqual(3);
          // The publish moment, where it falls inside the window.
          const published = Date.parse(r.publishedAt);
          if (published >= from && published <= until) {
            expect(c.publish?.label).toBe(`published ${local(published, true)}`);
            const expected =
              c.plot.left + ((published - from) / (until - from)) * (c.plot.right - c.plot.left);
            expect(Math.abs(c.publish!.x - expected)).toBeLessThan(1.5);
          } else expect(c.publish).toBeNull();
        }
        expect(d.charts.find((c) => c.kind.includes('share'))!.yTicks).toEqual([
          '0 %',
          '25 %',
          '50 %',
          '75 %',
          '100 %',
        ]);
      }
      // The share climbs after the publish: the first interval is below the rest.
      expect(reports[0]!.share[0]!.share!).toBeLessThan(reports[0]!.share[2]!.share!);
      // Failure rates: one scale with the same ticks in every flow, so a bar's length is its rate.
      const ticks = drawn.map((d) => d.failureTicks);
      expect(ticks[0]!.length).toBeGreaterThanOrEqual(3);
      for (const t of ticks) expect(t).toEqual(ticks[0]);
      const perPoint = drawn
        .flatMap((d, i) =>
          d.bars.map((b, j) => {
            const rows = [
              ...reports[i]!.versions,
              ...(reports[i]!.baseline ? [reports[i]!.baseline.figures] : []),
            ];
            const rate = rows.filter((v) => v.failureRate.rate !== null)[j]!.failureRate.rate!;
            return rate > 0.005 ? b.width / rate : null;
          }),
        )
        .filter((x): x is number => x !== null);
      expect(perPoint.length).toBeGreaterThanOrEqual(4);
      for (const k of perPoint) expect(Math.abs(k - perPoint[0]!)).toBeLessThan(0.02 * perPoint[0]!);
      // The failure rate of each version over time, in both flows with traffic.
      expect(
        drawn[0]!.charts.find((c) => c.kind.includes('failures-over-time'))!.points.length,
      ).toBeGreaterThan(5);
      // The window with nothing in it says so, in its charts and its table.
      expect(drawn[3]!.text).toContain('no data: no executions of Authenticate Caller');
      expect(drawn[3]!.text).toMatch(/version 1\.0\s+window\s+0\s+no data\s+no data\s+no data/);
      expect(body).not.toContain('— – —');
      const png = await page.screenshot({ fullPage: true });
      expect(png.length).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
