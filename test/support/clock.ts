/** A clock tests move by hand: refdesk's domain and jobs read the time only through `now`. */
export class TestClock {
  private t: number;

  constructor(iso: string) {
    this.t = Date.parse(iso);
  }

  readonly now = (): Date => new Date(this.t);

  set(iso: string): void {
    this.t = Date.parse(iso);
  }

  advance(ms: number): void {
    this.t += ms;
  }
}

/** Real time, which a test moves forward (`offsetMs`) instead of waiting for it to pass. */
export class RunningClock {
  offsetMs = 0;

  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
}
