import { LogLevel } from '@slack/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VIEWS } from '../../src/slack/ids.ts';
import { Harness } from '../support/harness.ts';
import { clickCard, createRequest, MANAGER, modalOpenedBy } from '../support/journey.ts';
import { RecordingLogger } from '../support/recording-logger.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { onPostgres } from '../support/test-database.ts';

const health = async (h: Harness) => {
  const res = await fetch(`${h.url}/healthz`);
  return { status: res.status, text: await res.text() };
};

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// PostgreSQL only: its connection can be cut and restored (SQLite is a file in the process).
describe.runIf(onPostgres)('when PostgreSQL goes away and comes back', () => {
  let h: Harness;
  let proxy: TcpProxy;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    proxy = new TcpProxy('127.0.0.1', Number(new URL(process.env.TEST_DATABASE_URL!).port || 5432));
    await proxy.start();
    h = await Harness.start({
      logger,
      connectVia: (url) => {
        const via = new URL(url);
        via.host = `127.0.0.1:${proxy.port}`;
        return via.toString();
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
    await proxy.stop();
  });

  it('says not ready on /healthz while the database is unreachable, and ready again by itself', async () => {
    expect(await health(h)).toEqual({ status: 200, text: 'ok' });
    const printed = vi.spyOn(console, 'log');
    await proxy.cut();
    expect(await health(h)).toEqual({ status: 503, text: 'database unreachable' });
    // The database driver's own complaints go to refdesk's logger (and its LOG_LEVEL), not straight to stdout.
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
    expect(logger.lines.some((l) => l.level === LogLevel.WARN && /connection/i.test(l.text))).toBe(true);
    await proxy.restore();
    expect(
      await eventually(
        () => health(h),
        (r) => r.status === 200,
      ),
    ).toEqual({ status: 200, text: 'ok' });
  });

  it('serves requests again once it is back, with the managers read anew', async () => {
    const requestId = await createRequest(h);
    const memberLookups = () => h.slack.callsTo('conversations.members').length;
    const before = memberLookups();
    await proxy.cut();
    await h.refdesk.sync.poll();
    await proxy.restore();
    await h.refdesk.sync.poll();
    const click = await clickCard(h, 'approve', requestId, MANAGER);
    expect(click.res.status).toBe(200);
    const modal = await modalOpenedBy(h, click);
    expect(modal.callback_id).toBe(VIEWS.approve);
    // What changed in Slack while the database was away is unknown: the managers were looked up again.
    expect(memberLookups()).toBeGreaterThan(before);
  });
});
