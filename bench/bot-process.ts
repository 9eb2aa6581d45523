import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BOT_SIGNING_SECRET = 'bench-signing-secret-0123456789';
/** A reference manager by configuration (REFERENCE_MANAGERS), so no membership lookup is involved. */
export const BOT_MANAGER = 'U0RM1';
export const BOT_MANAGERS_CHANNEL = 'C0RMQUEUE';

export const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
};

/** `npm start`'s node arguments (flags and script), read from package.json so the bench cannot drift. */
function startArguments(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = pkg.scripts.start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`npm start runs ${command}, not node: update the directory bench`);
  return args;
}

/** Builds the bot as `npm start` does (its prestart step). */
async function build(): Promise<void> {
  const child = spawn('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`npm run build exited with ${code}`);
}

/**
 * Once per bench process: the build empties dist/ first, so building again for a second replica would
 * pull the compiled code from under the first one.
 */
let built: Promise<void> | undefined;
const buildOnce = (): Promise<void> => {
  built ??= build().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
};

/** The bot's own process, started as `npm start` starts it (without npm around it, so its memory is its own). */
export async function startBot(
  databaseUrl: string,
  slackApiUrl: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  await buildOnce();
  const port = await freePort();
  const child = spawn(process.execPath, startArguments(), {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: BOT_SIGNING_SECRET,
      SLACK_API_URL: slackApiUrl,
      DATABASE_URL: databaseUrl,
      REFERENCE_MANAGERS_CHANNEL: BOT_MANAGERS_CHANNEL,
      REFERENCE_MANAGERS: BOT_MANAGER,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the bot exited with ${child.exitCode} before it was healthy`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, url: `${url}/slack/events` };
    if (Date.now() > deadline) {
      child.kill();
      throw new Error('the bot did not answer /healthz within 2 minutes');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `npm start`'s node flags without its script, for other processes that should run like the bot. */
export const botNodeFlags = (): string[] => startArguments().filter((a) => a.startsWith('--'));

export async function stopBot(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Resident memory of a process now, and its peak, in MB (Linux /proc). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
