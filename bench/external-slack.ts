import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The made-up Web API method bench/fake-slack-process.ts answers with a `FakeReport`. */
export const REPORT_METHOD = 'bench.report';

export interface FakeReport {
  /** When each views.open reached the fake since the last report, by trigger_id, in `monotonicMs()`. */
  arrivals: Record<string, number>;
  /** The view of the last views.open since the last report. */
  lastView: object | null;
  /** CPU the fake's process has used so far. */
  cpuMs: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const ENTRY = fileURLToPath(new URL('./fake-slack-process.ts', import.meta.url));

export interface SlackStats {
  calls: Record<string, number>;
  responses: number;
}

/** A FakeSlack in a process of its own (bench/fake-slack-process.ts), driven over HTTP. */
export class ExternalSlack {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(startupMs = 20_000): Promise<ExternalSlack> {
    // stdin stays a pipe so the fake exits on its own if this process dies without stopping it.
    const child = spawn(TSX, [ENTRY], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => child.kill(), startupMs);
    try {
      const [first] = (await Promise.race([
        once(lines, 'line'),
        once(child, 'exit').then(([code]) => {
          throw new Error(`fake Slack process exited with ${code} before printing its port`);
        }),
      ])) as [string];
      const port = Number(first);
      if (!Number.isInteger(port) || port <= 0) throw new Error(`fake Slack process printed ${first}`);
      return new ExternalSlack(child, port);
    } catch (error) {
      child.kill();
      throw error;
    } finally {
      clearTimeout(timer);
      lines.close();
    }
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string | number): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async stats(): Promise<SlackStats> {
    const res = await fetch(`http://127.0.0.1:${this.port}/stats`);
    return (await res.json()) as SlackStats;
  }

  /** The views.open arrivals and last view since the last report (which it then forgets), and the fake's CPU so far. */
  async takeReport(): Promise<FakeReport> {
    const res = await fetch(`${this.apiUrl}${REPORT_METHOD}`, { method: 'POST' });
    return (await res.json()) as FakeReport;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Every Web API call and response_url post the fake has seen. */
export const totalCalls = (stats: SlackStats): number =>
  Object.values(stats.calls).reduce((n, c) => n + c, 0) + stats.responses;
