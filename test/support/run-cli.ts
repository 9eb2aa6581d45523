import { Writable } from 'node:stream';
import { runCli } from '../../src/cli.ts';
import type { Finished } from './run-process.ts';

/**
 * Runs `refdesk <args>` in this process, as the entry point would but without a process of its own (each
 * costs seconds). It sees only `env`: neither the developer's shell nor vitest's environment leaks in.
 */
export async function runCliInProcess(args: string[], env: Record<string, string>): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  // Lines and streamed CSV go into one string, in the order they are written, as they would on a pipe.
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stdout += chunk;
      done();
    },
  });
  try {
    const code = await runCli(args, {
      out: (line) => (stdout += `${line}\n`),
      err: (line) => (stderr += `${line}\n`),
      stdout: stream,
      env,
    });
    return { code, stdout, stderr };
  } catch (error) {
    return { code: 1, stdout, stderr: `${stderr}refdesk: ${(error as Error).message}\n` };
  }
}
