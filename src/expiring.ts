/**
 * A value worth reading again only after `ttlMs`: every caller until then shares `load`'s promise, and a
 * failed load is forgotten at once, so the next caller tries again.
 */
export class Expiring<T> {
  private cached: { at: number; value: Promise<T> } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(): Promise<T> {
    const at = this.now().getTime();
    if (this.cached && at - this.cached.at <= this.ttlMs) return this.cached.value;
    const entry = { at, value: this.load() };
    this.cached = entry;
    entry.value.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return entry.value;
  }
}
