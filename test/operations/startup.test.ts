import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/store/database.ts';
import { FakeSlack } from '../support/fake-slack.ts';
import { FakeSocketMode } from '../support/fake-socket-mode.ts';
import { cleanEnv, ROOT, runCommand } from '../support/run-process.ts';
import { SIGNING_SECRET, SignedClient } from '../support/signed-client.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** `npm start`'s node arguments, with its dist/ replaced by `out`. */
function startArgs(out: string): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start
    .split(/\s+/)
    .slice(1)
    .map((a) => a.replace(/^dist\//, `${out}/`));
}

/** The bot as `npm start` runs it: compiled (once, for every test here), with the start script's node flags. */
describe('running the bot (npm start)', () => {
  const slack = new FakeSlack();
  const dir = mkdtempSync(join(tmpdir(), 'refdesk-start-'));
  // Built beside node_modules so the packages resolve, without touching the project's own dist/.
  const out = mkdtempSync(join(ROOT, 'node_modules/.cache-refdesk-build-'));
  const databaseUrl = `sqlite:${join(dir, 'start.sqlite')}`;

  beforeAll(async () => {
    await slack.start();
    // What `npm run build` emits; type errors are `npm run typecheck`'s to find, so tsc skips checking here.
    const built = await runCommand(join(ROOT, 'node_modules/.bin/tsc'), [
      '-p',
      'tsconfig.build.json',
      '--outDir',
      out,
      '--noCheck',
    ]);
    expect(built.code, built.stdout + built.stderr).toBe(0);
    // The database is migrated from the .ts migrations, as `npm run refdesk -- migrate` does: the build must agree.
    const db = openDatabase(databaseUrl);
    await migrate(db);
    await db.destroy();
  }, 120_000);
  afterAll(async () => {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  const baseEnv = () => ({
    SLACK_BOT_TOKEN: 'xoxb-start-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    REFERENCE_MANAGERS_CHANNEL: 'C0RMQUEUE',
    DATABASE_URL: databaseUrl,
  });

  /** Runs the bot with `env` until `use` is done, then stops it with SIGTERM; `output` is what it printed so far. */
  async function whileRunning(env: Record<string, string>, use: (output: () => string) => Promise<void>) {
    const child = spawn(process.execPath, startArgs(out), { cwd: ROOT, env: cleanEnv(env) });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      await use(() => output);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'close');
    }
  }

  /** Resolves once /healthz on `port` answers 200. */
  const healthy = (port: number) =>
    slack.waitFor(
      () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status === 200 && r,
          () => null,
        ),
      15_000,
    );

  it.each([
    ['SLACK_BOT_TOKEN', { SLACK_BOT_TOKEN: '' }, /^refdesk: SLACK_BOT_TOKEN is missing: set it to .*xoxb-/],
    [
      'REFERENCE_MANAGERS_CHANNEL',
      { REFERENCE_MANAGERS_CHANNEL: 'general' },
      /^refdesk: REFERENCE_MANAGERS_CHANNEL is invalid: set it to the channel id/,
    ],
    ['PORT', { PORT: 'eighty' }, /^refdesk: PORT is invalid: set it to the HTTP port/],
    ['SLACK_SIGNING_SECRET', { SLACK_SIGNING_SECRET: '' }, /^refdesk: SLACK_SIGNING_SECRET is missing/],
  ])('exits non-zero with one line when %s is wrong', async (_name, override, expected) => {
    const { code, stderr } = await runCommand(process.execPath, startArgs(out), {
      ...baseEnv(),
      ...override,
    });
    expect(code).not.toBe(0);
    const lines = stderr
      .trim()
      .split('\n')
      .filter((l) => !l.includes('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });

  it('exits non-zero with one line when Slack refuses the token', async () => {
    const stop = slack.intercept((call) =>
      call.method === 'auth.test' ? { body: { ok: false, error: 'invalid_auth' } } : undefined,
    );
    const { code, stderr } = await runCommand(process.execPath, startArgs(out), {
      ...baseEnv(),
      PORT: String(await freePort()),
    });
    stop();
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe(
      'refdesk: could not start: Slack did not accept SLACK_BOT_TOKEN (auth.test: invalid_auth)',
    );
  });

  it('serves /healthz once migrated and answers signed Slack requests on /slack/events', async () => {
    const port = await freePort();
    await whileRunning({ ...baseEnv(), PORT: String(port) }, async (output) => {
      const health = await healthy(port).catch(() => null);
      expect(health?.status, output()).toBe(200);
      const client = new SignedClient(`http://127.0.0.1:${port}/slack/events`);
      const res = await client.command({ user_id: 'U0REP1', text: 'help' });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
      expect((await client.command({ user_id: 'U0REP1', text: 'help' }, { secret: 'wrong' })).status).toBe(
        401,
      );
    });
  });

  it('runs in Socket Mode with no signing secret: /healthz on PORT, commands over the socket', async () => {
    const socket = new FakeSocketMode(slack);
    await socket.start();
    const port = await freePort();
    const { SLACK_SIGNING_SECRET: _unused, ...env } = baseEnv();
    try {
      await whileRunning({ ...env, SLACK_APP_TOKEN: socket.appToken, PORT: String(port) }, async (output) => {
        await socket.connected(1, 15_000);
        const health = await healthy(port);
        expect(await health.text(), output()).toBe('ok');
        const res = await socket.command({ user_id: 'U0REP1', text: 'help' });
        expect(res.status).toBe(200);
        expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
        expect(output()).toContain(`Socket Mode, /healthz on port ${port}`);
      });
    } finally {
      await socket.stop();
    }
  });

  it('runs compiled, as npm start does, on a database the TypeScript sources migrated', async () => {
    const port = await freePort();
    await whileRunning({ ...baseEnv(), PORT: String(port) }, async (output) => {
      const health = await healthy(port).catch(() => null);
      expect(health?.status, output()).toBe(200);
    });
    // The compiled bot took the .ts migrations for its own: none applied twice, none under a .js name.
    const db = openDatabase(databaseUrl);
    try {
      const applied = (await db('knex_migrations').pluck('name')) as string[];
      const sources = readdirSync(join(ROOT, 'migrations')).filter((name) => /^\d{14}_.*\.ts$/.test(name));
      expect(applied.sort()).toEqual(sources.sort());
    } finally {
      await db.destroy();
    }
  });
});
