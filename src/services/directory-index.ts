import { subDays } from 'date-fns';
import { localDate } from '../domain/dates';
import type { MatchCandidate, MatchContext, Rating } from '../domain/matching';
import { type ContactUsage, NO_USAGE, type ProgramRules } from '../domain/program-rules';
import {
  type Activity,
  activityBit,
  activityMask,
  type ContactStatus,
  type Seniority,
} from '../domain/vocabulary';
import type { Db } from '../store/database';
import type { DirectorySnapshotStore, SnapshotContactRow } from '../store/directory-snapshot-store';
import type { RevisionStore, Revisions } from '../store/revision-store';

/** A candidate with its lowercased "name account" for the typeahead. */
export interface IndexedContact extends MatchCandidate {
  search: string;
}

/** Re-read rows changed this long before the last sync too: clocks of replicas and the CLI differ a little. */
const OVERLAP_MS = 5_000;
const PAGE = 10_000;

type ActivityRow = { contact_id: number; activity: string };
type ProductRow = { account_id: number; product: string };

function groupBy<T, V>(rows: readonly T[], key: (row: T) => number, value: (row: T) => V): Map<number, V[]> {
  const map = new Map<number, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(value(row));
    else map.set(k, [value(row)]);
  }
  return map;
}

/**
 * The directory and its recent usage in memory, so ranking 100,000 contacts takes
 * milliseconds. The database stays the truth: before each use the index compares the
 * revision counters and reloads only what changed (whole on the first use).
 */
export class DirectoryIndex {
  private readonly contacts = new Map<number, IndexedContact>();
  private list: IndexedContact[] = [];
  private listDirty = false;
  private readonly byActivity = new Map<Activity, IndexedContact[]>();
  /** Approval times (ms) per contact, within the rules' window. */
  private readonly askTimes = new Map<number, number[]>();
  private readonly askAccount = new Map<number, number>();
  private openAsks = new Map<number, number>();
  private openAsksDay = '';
  private ratings = new Map<number, Rating>();
  private lastAskId = 0;
  private seen: Revisions = { directory: -1, usage: -1, ratings: -1 };
  private directorySyncedAt: string | null = null;
  private refreshing: Promise<void> | null = null;
  /** One string object per distinct value: equal strings compare by pointer in the matcher's loop. */
  private readonly strings = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly snapshots: DirectorySnapshotStore,
    private readonly revisions: RevisionStore,
    private readonly rules: ProgramRules,
    private readonly now: () => Date,
  ) {}

  /** Brings the index up to date with the database; concurrent callers share one reload. */
  refresh(): Promise<void> {
    this.refreshing ??= this.reload().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  get size(): number {
    return this.contacts.size;
  }

  candidates(): readonly IndexedContact[] {
    if (this.listDirty) {
      this.list = [...this.contacts.values()];
      this.byActivity.clear();
      this.listDirty = false;
    }
    return this.list;
  }

  /** The contacts (not retired) who agreed to an activity, built once per directory change. */
  withActivity(activity: Activity): readonly IndexedContact[] {
    const all = this.candidates();
    let list = this.byActivity.get(activity);
    if (!list) {
      const bit = activityBit(activity);
      list = all.filter((c) => c.status !== 'retired' && (c.activityMask & bit) !== 0);
      this.byActivity.set(activity, list);
    }
    return list;
  }

  get(contactId: number): IndexedContact | undefined {
    return this.contacts.get(contactId);
  }

  /** The matcher's view at `now`: usage within the rules' window, open asks, ratings. */
  context(now: Date, spokeWithProspect: ReadonlySet<number>): MatchContext {
    const windowStart = subDays(now, this.rules.windowDays).getTime();
    const accountAsks = this.rules.maxAsksPerAccount === null ? null : this.accountAsksSince(windowStart);
    const usage = (c: MatchCandidate): ContactUsage => {
      const times = this.askTimes.get(c.id);
      const open = this.openAsks.get(c.id) ?? 0;
      const account = accountAsks?.get(c.accountId) ?? 0;
      if (!times && open === 0 && account === 0) return NO_USAGE;
      let inWindow = 0;
      let last = 0;
      for (const t of times ?? []) {
        if (t >= windowStart) inWindow++;
        if (t > last) last = t;
      }
      return {
        asksInWindow: inWindow,
        lastAskedAt: last > 0 ? new Date(last).toISOString() : null,
        openAsks: open,
        accountAsksInWindow: account,
      };
    };
    return {
      candidates: this.candidates(),
      withActivity: (activity) => this.withActivity(activity),
      usage,
      rating: (id) => this.ratings.get(id) ?? null,
      spokeWithProspect,
      rules: this.rules,
      now,
    };
  }

  private accountAsksSince(windowStart: number): Map<number, number> {
    const counts = new Map<number, number>();
    for (const [contactId, times] of this.askTimes) {
      const n = times.filter((t) => t >= windowStart).length;
      if (n === 0) continue;
      const account = this.askAccount.get(contactId)!;
      counts.set(account, (counts.get(account) ?? 0) + n);
    }
    return counts;
  }

  private async reload(): Promise<void> {
    const revisions = await this.revisions.read(this.db);
    if (revisions.directory !== this.seen.directory) await this.reloadDirectory();
    // Open asks also end with their needed-by date: recompute them once a day even without a change.
    const today = localDate(this.now(), 'UTC');
    if (revisions.usage !== this.seen.usage || today !== this.openAsksDay) await this.reloadUsage();
    if (revisions.ratings !== this.seen.ratings) this.ratings = await this.snapshots.ratings(this.db);
    this.seen = revisions;
  }

  private async reloadDirectory(): Promise<void> {
    const since = this.directorySyncedAt;
    let newest = since ?? '';
    const take = (rows: SnapshotContactRow[], activities: ActivityRow[], products: ProductRow[]) => {
      const activitiesOf = groupBy(
        activities,
        (a) => a.contact_id,
        (a) => a.activity as Activity,
      );
      // One shared array per account: 100,000 contacts but only as many product lists as accounts.
      const productsOf = groupBy(
        products,
        (p) => p.account_id,
        (p) => this.intern(p.product),
      );
      for (const row of rows) {
        const activityList = activitiesOf.get(row.id) ?? [];
        this.contacts.set(row.id, this.toCandidate(row, activityList, productsOf.get(row.account_id) ?? []));
        if (row.contact_updated_at > newest) newest = row.contact_updated_at;
        if (row.account_updated_at > newest) newest = row.account_updated_at;
      }
    };
    if (since === null) {
      // Whole directory, a page at a time; products for all accounts once.
      const productsOf = await this.snapshots.products(this.db, null);
      for (let after = 0; ; ) {
        const rows = await this.snapshots.contactPage(this.db, after, PAGE);
        if (rows.length === 0) break;
        const last = rows[rows.length - 1]!.id;
        take(rows, await this.snapshots.activitiesBetween(this.db, after + 1, last), productsOf);
        after = last;
      }
    } else {
      const rows = await this.snapshots.changedContacts(this.db, since);
      const [activities, products] = await Promise.all([
        this.snapshots.activities(
          this.db,
          rows.map((r) => r.id),
        ),
        this.snapshots.products(this.db, [...new Set(rows.map((r) => r.account_id))]),
      ]);
      take(rows, activities, products);
    }
    this.listDirty = true;
    // The next reload reads from the newest change seen (by the writers' clocks), minus a margin.
    if (newest) this.directorySyncedAt = new Date(Date.parse(newest) - OVERLAP_MS).toISOString();
  }

  private async reloadUsage(): Promise<void> {
    const now = this.now();
    const windowStart = subDays(now, this.rules.windowDays + 1);
    const asks = await this.snapshots.asks(this.db, this.lastAskId, windowStart.toISOString());
    for (const ask of asks) {
      const t = Date.parse(ask.approved_at);
      const times = this.askTimes.get(ask.contact_id);
      if (times) times.push(t);
      else this.askTimes.set(ask.contact_id, [t]);
      this.askAccount.set(ask.contact_id, ask.account_id);
      this.lastAskId = Math.max(this.lastAskId, ask.id);
    }
    this.pruneOlderThan(windowStart.getTime());
    this.openAsksDay = localDate(now, 'UTC');
    this.openAsks = await this.snapshots.openAsks(this.db, this.openAsksDay);
  }

  private pruneOlderThan(cutoff: number): void {
    for (const [contactId, times] of this.askTimes) {
      const kept = times.filter((t) => t >= cutoff);
      if (kept.length === 0) this.askTimes.delete(contactId);
      else if (kept.length !== times.length) this.askTimes.set(contactId, kept);
    }
  }

  /** The same criteria with strings interned, so matches compare by pointer. */
  intern<T extends string | null>(value: T): T {
    if (value === null) return value;
    let shared = this.strings.get(value);
    if (shared === undefined) {
      shared = value;
      this.strings.set(value, value);
    }
    return shared as T;
  }

  private toCandidate(row: SnapshotContactRow, activities: Activity[], products: string[]): IndexedContact {
    return {
      id: row.id,
      name: row.name,
      title: this.intern(row.title),
      accountId: row.account_id,
      accountName: this.intern(row.account_name),
      industry: this.intern(row.industry),
      region: this.intern(row.region),
      companySize: this.intern(row.company_size),
      products,
      seniority: this.intern(row.seniority) as Seniority | null,
      customerSince: this.intern(row.customer_since),
      activities,
      activityMask: activityMask(activities),
      status: this.intern(row.status) as ContactStatus,
      pausedUntil: row.paused_until,
      pauseReason: row.pause_reason,
      ownerId: this.intern(row.owner_id),
      search: `${row.name ?? ''} ${row.account_name}`.toLowerCase(),
    };
  }
}
