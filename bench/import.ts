import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDirectoryCsv } from './directory-data.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');

const CONTACTS = 100_000;
const ACCOUNTS = 20_000;
const SEED = 20261122;
/** The first import of the whole file must finish within this, on a 2-core machine. */
const TARGET_SECONDS = 30;

interface Timed {
  seconds: number;
  stdout: string;
}

/** Runs the real command line, as an operator would, and times it from spawn to exit. */
function runCli(args: string[], databaseUrl: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(TSX, ['src/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve({ seconds, stdout: stdout.trim() });
      else reject(new Error(`refdesk ${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}

const secs = (s: number) => `${s.toFixed(1)} s`;

/**
 * Imports a generated directory of 100,000 contacts in 20,000 accounts into a fresh SQLite
 * database through `refdesk import`, then times a second import of the same file (a no-op)
 * and `refdesk export contacts`.
 */
export async function importBenchmark(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'refdesk-bench-import-'));
  try {
    const generatedAt = performance.now();
    const csv = generateDirectoryCsv({ contacts: CONTACTS, accounts: ACCOUNTS, seed: SEED });
    const file = join(dir, 'directory.csv');
    writeFileSync(file, csv);
    const megabytes = statSync(file).size / 1e6;
    console.log(
      `Generated ${CONTACTS.toLocaleString('en')} contacts in ${ACCOUNTS.toLocaleString('en')} accounts ` +
        `(${megabytes.toFixed(1)} MB, seed ${SEED}) in ${secs((performance.now() - generatedAt) / 1000)}.`,
    );
    const databaseUrl = `sqlite:${join(dir, 'refdesk.sqlite')}`;
    // Migrations first, so the import's figure is the import alone.
    await runCli(['migrate'], databaseUrl);

    const first = await runCli(['import', file], databaseUrl);
    const again = await runCli(['import', file], databaseUrl);
    const exported = join(dir, 'exported.csv');
    const exporting = await runCli(['export', 'contacts', exported], databaseUrl);

    const rate = (s: number) => `${Math.round(CONTACTS / s).toLocaleString('en')} rows/s`;
    console.log('');
    console.log('step                           rows     wall time   rate');
    console.log(
      `import into an empty database  ${CONTACTS}   ${secs(first.seconds).padEnd(10)}  ${rate(first.seconds)}`,
    );
    console.log(
      `import the same file again     ${CONTACTS}   ${secs(again.seconds).padEnd(10)}  ${rate(again.seconds)}`,
    );
    console.log(
      `export contacts                ${CONTACTS}   ${secs(exporting.seconds).padEnd(10)}  ${rate(exporting.seconds)}`,
    );
    console.log('');
    console.log(`  first import: ${first.stdout}`);
    console.log(`  second import: ${again.stdout}`);
    console.log(`  export: ${exporting.stdout}`);
    console.log('');
    console.log('(wall times include starting the CLI under tsx, reading and validating the whole file)');
    const noOp = /accounts 0 new, 0 updated, \d+ unchanged; contacts 0 new, 0 updated/.test(again.stdout);
    if (!noOp) console.log('the second import changed rows: it should have been a no-op');
    const verdict = first.seconds <= TARGET_SECONDS && noOp ? 'PASS' : 'FAIL';
    console.log(`${verdict}: first import took ${secs(first.seconds)}; target ≤ ${TARGET_SECONDS} s`);
    if (verdict === 'FAIL') process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
