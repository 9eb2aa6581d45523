/** One benchmark `npm run bench` can run; `npm run bench -- <name>` runs only that one. */
export interface Benchmark {
  name: string;
  description: string;
  /** Prints its own report; resolves once everything it started has stopped. */
  run(): Promise<void>;
}
