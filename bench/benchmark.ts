/** One benchmark `npm run bench` can run; `npm run bench -- <name>` runs only that one. */
export interface Benchmark {
  name: string;
  description: string;
  /** The command-line flags it understands (e.g. `--postgres`), each with what it does. */
  flags?: Readonly<Record<string, string>>;
  /** Prints its own report; resolves once everything it started has stopped. */
  run(flags: ReadonlySet<string>): Promise<void>;
}
