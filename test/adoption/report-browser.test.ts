/// <reference lib="dom" />
/**
 * The HTML adoption report as a person sees it: opened in headless Chromium (found by
 * `findChromium()`: Debian's `chromium` in CI, where `.ci/run` installs it; driven by
 * playwright-core with `executablePath`), with no console error,
 * and the charts drawn with the right number of series and points.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { adoptionReport } from '../../src/adoption/report.js';
import { adoptionHtml } from '../../src/adoption/html.js';
import { findChromium } from '../helpers/chromium.js';
import { clientFor, flowId, useEmulator } from '../helpers/emulator.js';

const CHROMIUM = findChromium();

describe.skipIf(CHROMIUM === undefined)('the HTML report in headless Chromium', () => {
  const e = useEmulator();

  it('opens without console errors; the share chart has one series with a point per interval, the failure chart a bar per version', async () => {
    const emu = e.get();
    emu.control.setClock({ speed: 0 });
    const { client } = clientFor(emu, { now: () => emu.control.org.now() });
    const reports = [];
    for (const [name, version] of [
      ['Main IVR', '2.0'],
      ['Authenticate Caller', '1.0'],
    ] as const) {
      const id = flowId(emu, name);
      emu.control.setTraffic({ flowId: id, arrivalsPerMinute: 30 });
      const poll = {
        intervalMs: 20,
        sleep: (ms: number) => (emu.control.setClock({ advanceMs: ms }), Promise.resolve()),
      };
      await client.flows.followOperation(id, await client.flows.publish(id, version), poll);
    }
    emu.control.setClock({ advanceMs: 45 * 60_000 });
    for (const name of ['Main IVR', 'Authenticate Caller'])
      reports.push(
        await adoptionReport(client, flowId(emu, name), {
          granularity: 'PT5M',
          now: () => emu.control.org.now(),
        }),
      );
    const file = join(mkdtempSync(join(tmpdir(), 'flowgate-html-')), 'adoption.html');
    writeFileSync(file, adoptionHtml(reports));

    const browser = await chromium.launch({
      executablePath: CHROMIUM!,
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
      const drawn = await page.evaluate(() =>
        [...document.querySelectorAll('section')].map((s) => ({
          title: s.querySelector('h2')?.textContent ?? '',
          shareSeries: s.querySelectorAll('svg.share path.series').length,
          sharePoints: s.querySelectorAll('svg.share circle.point').length,
          pathPoints: (s.querySelector('svg.share path.series')?.getAttribute('d')?.match(/[ML]/g) ?? [])
            .length,
          failureSeries: s.querySelectorAll('svg.failures g.series').length,
          bars: [...s.querySelectorAll('svg.failures rect.bar')].map((r) => Number(r.getAttribute('width'))),
          chartWidth: s.querySelector('svg.share')?.getBoundingClientRect().width ?? 0,
        })),
      );
      expect(problems).toEqual([]);
      expect(drawn).toHaveLength(2);
      for (const [i, d] of drawn.entries()) {
        const r = reports[i]!;
        expect(d.title).toContain(r.flowName);
        expect(d.shareSeries).toBe(1);
        expect(d.sharePoints).toBe(r.share.filter((x) => x.share !== null).length);
        expect(d.pathPoints).toBe(d.sharePoints);
        expect(d.sharePoints).toBeGreaterThanOrEqual(9); // 45 minutes in 5-minute intervals
        expect(d.failureSeries).toBe(r.versions.length);
        expect(d.bars.every((w) => w > 0)).toBe(true);
        expect(d.chartWidth).toBeGreaterThan(300); // laid out, not collapsed
      }
      const png = await page.screenshot({ fullPage: true });
      expect(png.length).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
