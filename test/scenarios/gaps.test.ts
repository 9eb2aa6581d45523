import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VIEWS } from '../../src/slack/ids.ts';
import { Harness } from '../support/harness.ts';
import {
  MANAGER,
  mrkdwnOf,
  openByCommand,
  openHomeTab,
  REP,
  responsesAt,
  textOf,
} from '../support/journey.ts';
import { runCliInProcess } from '../support/run-cli.ts';
import { nextTrigger } from '../support/signed-client.ts';
import { type ShownView, updatedView } from '../support/views.ts';

const text = (view: ShownView) => mrkdwnOf({ blocks: view.blocks });

describe('coverage gaps', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  /**
   * Open deals, imported as a CRM report through the command line: three in Healthcare (Analytics, EMEA) where
   * the directory has Acme Health, two in Retail where it has nobody.
   */
  async function pipeline(driver: Harness = h): Promise<void> {
    const today = new Date().toISOString().slice(0, 10);
    const deal = (id: string, amount: number, industry: string, region: string, product: string) =>
      `${id},Deal ${id},Prospect ${id},${amount},open,${today},${industry},${product},${region},1000-4999`;
    const csv = [
      'opportunity_id,name,account,amount,status,created,industry,products,region,company_size',
      deal('OPP-1', 1_000_000, 'Healthcare', 'EMEA', 'Analytics'),
      deal('OPP-2', 2_000_000, 'Healthcare', 'EMEA', 'Analytics'),
      deal('OPP-3', 1_200_000, 'Healthcare', 'EMEA', 'Analytics'),
      deal('OPP-4', 3_000_000, 'Retail <&>', 'APAC', 'Payroll'),
      deal('OPP-5', 1_500_000, 'Retail <&>', 'APAC', 'Payroll'),
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'refdesk-gaps-'));
    try {
      writeFileSync(join(dir, 'pipeline.csv'), csv);
      const imported = await runCliInProcess(['import', 'pipeline', join(dir, 'pipeline.csv')], {
        DATABASE_URL: driver.databaseUrl,
      });
      expect(imported.stdout + imported.stderr).toMatch(/imported 5 rows: opportunities 5 new/);
      expect(imported.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async function openGaps(user = MANAGER): Promise<ShownView> {
    const opened = await openByCommand(h, user, 'gaps');
    expect(opened.callback_id).toBe(VIEWS.gaps);
    return h.slack.waitFor(() => {
      const view = updatedView(h.slack, opened);
      return text(view).includes('Open pipeline') && view;
    });
  }

  it('shows a manager the segments most short of references, one line each', async () => {
    await pipeline();
    const gaps = text(await openGaps());
    expect(gaps).toContain('*Open pipeline:* USD 8.7M in 5 deals');
    // Retail has nobody in the directory: it leads, escaped, named by the narrowest segment that holds all of
    // its deals (Retail, Payroll, APAC and their pairs echo it and are left out).
    const retail = gaps.indexOf('Retail &lt;&amp;&gt;');
    expect(retail).toBeGreaterThan(-1);
    expect(gaps).not.toContain('Retail <&>');
    expect(gaps).toMatch(
      /\*1\.\* Retail &lt;&amp;&gt; · Payroll · APAC: USD 4\.5M open in 2 deals, 0 asks in 90 days, 0 unmet; no active contact; no C-level or VP · :chart_with_upwards_trend: up-and-coming/,
    );
    // Acme Health's two contacts serve Healthcare: it ranks below the segments nobody serves.
    const healthcare =
      'Healthcare · Analytics · EMEA: USD 4.2M open in 3 deals, 0 asks in 90 days, 0 unmet; 2 contacts able to take 6 more asks; a C-level or VP among them';
    expect(gaps).toContain(healthcare);
    expect(retail).toBeLessThan(gaps.indexOf(healthcare));
    expect(gaps).toContain('*4 segments* carry real pipeline');
  });

  it('tells a manager to import a pipeline when there is none', async () => {
    const opened = await openByCommand(h, MANAGER, 'gaps');
    const view = await h.slack.waitFor(() => {
      const v = updatedView(h.slack, opened);
      return text(v).includes('No pipeline is loaded') && v;
    });
    expect(text(view)).toContain('import pipeline');
  });

  it('tells anyone else privately that gaps are for managers', async () => {
    const responseUrl = h.nextResponseUrl();
    await h.client.command({
      user_id: REP,
      text: 'gaps',
      response_url: responseUrl,
      trigger_id: nextTrigger(),
    });
    const [reply] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(reply?.response_type).toBe('ephemeral');
    expect(textOf(reply)).toMatch(/Coverage gaps are for reference managers/);
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });

  it("shows the top five on a manager's Home", async () => {
    // Its own harness: the Home keeps the gaps it worked out for ten minutes.
    await Harness.run({}, async (other) => {
      await pipeline(other);
      const home = await openHomeTab(other, MANAGER);
      expect(home).toContain('*Coverage gaps* (top 5 of');
      expect(home).toContain('Retail &lt;&amp;&gt;');
      expect(await openHomeTab(other, REP)).not.toContain('Coverage gaps');
    });
  });
});
