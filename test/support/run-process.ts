import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The environment a child process gets: PATH and HOME only, so a developer's shell cannot leak in. */
export const cleanEnv = (vars: Record<string, string>) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  ...vars,
});

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry point with tsx's loader, as `npm run refdesk` does (the tsx command adds a
 * second process around the same loader, which only costs time here).
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<Finished> {
  return runCommand(process.execPath, ['--import', 'tsx', script, ...args], env, cwd);
}

/** Runs a command to its end, with only `env` (and PATH, HOME) in its environment. */
export function runCommand(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
