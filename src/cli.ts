import { readFileSync } from 'node:fs';
import { ConfigError, loadDatabaseConfig, loadDotEnv } from './config';
import { isEntryPoint } from './entry-point';
import { DirectoryImport, type ImportIssue } from './services/directory-import';
import { migrate, openDatabase } from './store/database';
import { DirectoryStore } from './store/directory-store';

const USAGE = `usage: npm run refdesk -- <command>

commands:
  migrate               apply pending database migrations
  import <file.csv>     load accounts and reference contacts from a CSV file
  help                  this text`;

const formatIssue = (i: ImportIssue) =>
  `  line ${i.line}${i.column ? `, column ${i.column}` : ''}: ${i.reason}`;

/** Runs one CLI command; returns the process exit code. Output goes to the given writers. */
export async function runCli(
  args: string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  let databaseUrl: string;
  try {
    databaseUrl = loadDatabaseConfig().databaseUrl;
  } catch (error) {
    if (error instanceof ConfigError) {
      err(`refdesk: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const db = openDatabase(databaseUrl);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrate(db);
        out(applied.length ? `applied ${applied.join(', ')}` : 'the database is up to date');
        return 0;
      }
      case 'import': {
        const [file] = rest;
        if (!file) {
          err('refdesk: import needs a file: npm run refdesk -- import contacts.csv');
          return 2;
        }
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          err(`refdesk: cannot read ${file}: ${(error as Error).message}`);
          return 2;
        }
        await migrate(db);
        const result = await new DirectoryImport(db, new DirectoryStore()).importCsv(text, new Date());
        if (!result.ok) {
          err(`refdesk: ${file} was not imported; nothing was written. Fix these rows and try again:`);
          for (const issue of result.issues) err(formatIssue(issue));
          return 1;
        }
        const { rows, accounts: a, contacts: c } = result.summary;
        out(
          `imported ${rows} rows: accounts ${a.created} new, ${a.updated} updated, ${a.unchanged} unchanged; ` +
            `contacts ${c.created} new, ${c.updated} updated, ${c.unchanged} unchanged`,
        );
        return 0;
      }
      default:
        err(`refdesk: unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } finally {
    await db.destroy();
  }
}

if (isEntryPoint(import.meta.url)) {
  loadDotEnv();
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`refdesk: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
