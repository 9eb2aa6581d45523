import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack.ts';
import { FakeSocketMode } from '../support/fake-socket-mode.ts';
import { SIGNING_SECRET, SignedClient } from '../support/signed-client.ts';
import { cleanEnv, ROOT, runCommand, runScript, startScript } from './run-process.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('running the bot (npm start)', () => {
  const slack = new FakeSlack();
  const dir = mkdtempSync(join(tmpdir(), 'refdesk-start-'));
  beforeAll(() => slack.start());
  afterAll(async () => {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const baseEnv = () => ({
    SLACK_BOT_TOKEN: 'xoxb-start-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    REFERENCE_MANAGERS_CHANNEL: 'C0RMQUEUE',
    DATABASE_URL: `sqlite:${join(dir, 'start.sqlite')}`,
  });

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
    const { code, stderr } = await runScript('src/main.ts', [], { ...baseEnv(), ...override });
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
    const { code, stderr } = await runScript('src/main.ts', [], {
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
    const child = startScript('src/main.ts', { ...baseEnv(), PORT: String(port) });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    try {
      const deadline = Date.now() + 15_000;
      let health: Response | null = null;
      while (Date.now() < deadline) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        if (health) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.status, output).toBe(200);
      const client = new SignedClient(`http://127.0.0.1:${port}/slack/events`);
      const res = await client.command({ user_id: 'U0REP1', text: 'help' });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
      expect((await client.command({ user_id: 'U0REP1', text: 'help' }, { secret: 'wrong' })).status).toBe(
        401,
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
    }
  });

  it('runs in Socket Mode with no signing secret: /healthz on PORT, commands over the socket', async () => {
    const socket = new FakeSocketMode(slack);
    await socket.start();
    const port = await freePort();
    const { SLACK_SIGNING_SECRET: _unused, ...env } = baseEnv();
    const child = startScript('src/main.ts', {
      ...env,
      SLACK_APP_TOKEN: socket.appToken,
      PORT: String(port),
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    try {
      await socket.connected(1, 15_000);
      const health = await slack.waitFor(() =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status === 200 && r,
          () => null,
        ),
      );
      expect(await health.text(), output).toBe('ok');
      const res = await socket.command({ user_id: 'U0REP1', text: 'help' });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
      expect(output).toContain(`Socket Mode, /healthz on port ${port}`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
      await socket.stop();
    }
  });

  it('runs compiled, as npm start does, on a database the TypeScript sources migrated', async () => {
    // Built beside node_modules so the packages resolve, without touching the project's own dist/.
    const out = mkdtempSync(join(ROOT, 'node_modules/.cache-refdesk-build-'));
    try {
      const built = await runCommand(join(ROOT, 'node_modules/.bin/tsc'), [
        '-p',
        'tsconfig.build.json',
        '--outDir',
        out,
      ]);
      expect(built.code, built.stdout + built.stderr).toBe(0);
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: { start: string };
      };
      const args = pkg.scripts.start
        .split(/\s+/)
        .slice(1)
        .map((a) => a.replace(/^dist\//, `${out}/`));
      const port = await freePort();
      // The database of the tests above was migrated from the .ts migrations: the build must agree.
      const child = spawn(process.execPath, args, {
        cwd: ROOT,
        env: cleanEnv({ ...baseEnv(), PORT: String(port) }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (d) => (output += d));
      child.stderr?.on('data', (d) => (output += d));
      try {
        let health: Response | null = null;
        for (const deadline = Date.now() + 15_000; !health && Date.now() < deadline; ) {
          health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
          if (!health) await new Promise((r) => setTimeout(r, 100));
        }
        expect(health?.status, output).toBe(200);
        const res = await new SignedClient(`http://127.0.0.1:${port}/slack/events`).command({
          user_id: 'U0REP1',
          text: 'help',
        });
        expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('close', r));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
