import { subDays } from 'date-fns';
import { localDate } from '../domain/dates.ts';
import type { MatchCandidate, MatchContext, Rating } from '../domain/matching.ts';
import { type ContactUsage, NO_USAGE, type ProgramRules } from '../domain/program-rules.ts';
import {
  ACTIVITY_KEYS,
  type Activity,
  activityBit,
  activityMask,
  CONTACT_STATUSES,
  SENIORITY_KEYS,
} from '../domain/vocabulary.ts';
import type { Db } from '../store/database.ts';
import type { DirectorySnapshotStore, SnapshotContactRow } from '../store/directory-snapshot-store.ts';
import type { RevisionStore, Revisions } from '../store/revision-store.ts';

/** A candidate with its lowercased "name account" for the typeahead. */
export interface IndexedContact extends MatchCandidate {
  search: string;
}

const PAGE = 10_000;

/**
 * The vocabulary's own string for a stored value: the matcher compares statuses and seniorities
 * 100,000 times a ranking, and the engine compares two such constants by pointer alone.
 */
function literal<T extends string>(values: readonly T[], value: string | null): T | null {
  return value === null ? null : (values.find((v) => v === value) ?? null);
}

/** Usage for windows starting after `after` and at or before `upTo`. */
interface UsageSnapshot {
  after: number;
  upTo: number;
  byContact: Map<number, ContactUsage>;
  byAccount: Map<number, number>;
}

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
  private sortedByName: IndexedContact[] | null = null;
  private listDirty = false;
  private readonly byActivity = new Map<Activity, IndexedContact[]>();
  /** Approval times (ms) per contact, within the rules' window. */
  private readonly askTimes = new Map<number, number[]>();
  private readonly askAccount = new Map<number, number>();
  private openAsks = new Map<number, number>();
  private openAsksDay = '';
  private usageSnapshot: UsageSnapshot | null = null;
  private ratings = new Map<number, Rating>();
  /** The revisions this index reflects; null before the first load (or after `forget`). */
  private seen: Revisions | null = null;
  private refreshing: Promise<void> | null = null;
  /** One string object per distinct value: equal strings compare by pointer in the matcher's loop. */
  private readonly strings = new Map<string, string>();
  private readonly activityLists = new Map<number, readonly Activity[]>();

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
      this.sortedByName = null;
      this.listDirty = false;
    }
    return this.list;
  }

  /** Every contact by lowercased name, then id: a search walks it and stops when it has enough. */
  byName(): readonly IndexedContact[] {
    const all = this.candidates();
    if (!this.sortedByName) {
      const collator = new Intl.Collator();
      const keyed = all.map((c) => ({ c, key: (c.name ?? '').toLowerCase() }));
      keyed.sort((a, b) => collator.compare(a.key, b.key) || a.c.id - b.c.id);
      this.sortedByName = keyed.map((k) => k.c);
    }
    return this.sortedByName;
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
    const snapshot = this.usageAt(subDays(now, this.rules.windowDays).getTime());
    const accountCap = this.rules.maxAsksPerAccount !== null;
    const usage = (c: MatchCandidate): ContactUsage => {
      const own = snapshot.byContact.get(c.id) ?? NO_USAGE;
      const account = accountCap ? (snapshot.byAccount.get(c.accountId) ?? 0) : 0;
      return account === 0 ? own : { ...own, accountAsksInWindow: account };
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

  /**
   * Usage per contact and account for a window starting at `windowStart`. The same asks stay in the
   * window while its start moves between the newest ask before it and the oldest ask in it, so one
   * snapshot serves every ranking in that span (until the asks change).
   */
  private usageAt(windowStart: number): UsageSnapshot {
    const cached = this.usageSnapshot;
    if (cached && windowStart > cached.after && windowStart <= cached.upTo) return cached;
    const snapshot: UsageSnapshot = {
      after: -Infinity,
      upTo: Infinity,
      byContact: new Map(),
      byAccount: new Map(),
    };
    for (const [contactId, times] of this.askTimes) {
      let inWindow = 0;
      let last = 0;
      for (const t of times) {
        if (t >= windowStart) {
          inWindow++;
          snapshot.upTo = Math.min(snapshot.upTo, t);
        } else snapshot.after = Math.max(snapshot.after, t);
        last = Math.max(last, t);
      }
      snapshot.byContact.set(
        contactId,
        Object.freeze({
          asksInWindow: inWindow,
          lastAskedAt: new Date(last).toISOString(),
          openAsks: this.openAsks.get(contactId) ?? 0,
          accountAsksInWindow: 0,
        }),
      );
      if (inWindow > 0) {
        const account = this.askAccount.get(contactId)!;
        snapshot.byAccount.set(account, (snapshot.byAccount.get(account) ?? 0) + inWindow);
      }
    }
    for (const [contactId, open] of this.openAsks) {
      if (!snapshot.byContact.has(contactId))
        snapshot.byContact.set(contactId, Object.freeze({ ...NO_USAGE, openAsks: open }));
    }
    this.usageSnapshot = snapshot;
    return snapshot;
  }

  /** Reloads everything on the next use, e.g. after the database was out of reach for a while. */
  forget(): void {
    this.seen = null;
  }

  /**
   * The counters are read before the rows: a writer bumps its counter in its own transaction, and
   * writers of one counter commit in counter order, so every row stamped up to what was read is there.
   */
  private async reload(): Promise<void> {
    const revisions = await this.revisions.read(this.db);
    const seen = this.seen;
    if (revisions.directory !== seen?.directory) await this.reloadDirectory(seen?.directory ?? null);
    // Open asks also end with their needed-by date: recompute them once a day even without a change.
    const today = localDate(this.now(), 'UTC');
    if (revisions.usage !== seen?.usage || today !== this.openAsksDay) await this.reloadUsage();
    if (revisions.ratings !== seen?.ratings) this.ratings = await this.snapshots.ratings(this.db);
    this.seen = revisions;
  }

  /** The whole directory, or (after `afterRevision`) the contacts and accounts written since. */
  private async reloadDirectory(afterRevision: number | null): Promise<void> {
    // One shared array per account: 100,000 contacts but only as many product lists as accounts.
    const groupProducts = (products: ProductRow[]) =>
      groupBy(
        products,
        (p) => p.account_id,
        (p) => this.intern(p.product),
      );
    const take = (
      rows: SnapshotContactRow[],
      activities: ActivityRow[],
      productsOf: Map<number, string[]>,
    ) => {
      const activitiesOf = groupBy(
        activities,
        (a) => a.contact_id,
        (a) => a.activity as Activity,
      );
      for (const row of rows) {
        const activityList = activitiesOf.get(row.id) ?? [];
        this.contacts.set(row.id, this.toCandidate(row, activityList, productsOf.get(row.account_id) ?? []));
      }
    };
    if (afterRevision === null) {
      this.contacts.clear();
      // Whole directory, a page at a time; products for all accounts once.
      const productsOf = groupProducts(await this.snapshots.products(this.db, null));
      for (let after = 0; ; ) {
        const rows = await this.snapshots.contactPage(this.db, after, PAGE);
        if (rows.length === 0) break;
        const last = rows[rows.length - 1]!.id;
        take(rows, await this.snapshots.activitiesBetween(this.db, after + 1, last), productsOf);
        after = last;
      }
    } else {
      const rows = await this.snapshots.changedContacts(this.db, afterRevision);
      const [activities, products] = await Promise.all([
        this.snapshots.activities(
          this.db,
          rows.map((r) => r.id),
        ),
        this.snapshots.products(this.db, [...new Set(rows.map((r) => r.account_id))]),
      ]);
      take(rows, activities, groupProducts(products));
    }
    this.listDirty = true;
  }

  /**
   * Every ask of the window, read again on each change: reading only asks above the last id seen
   * missed asks whose transaction committed after a later one's (ids are taken before commit).
   */
  private async reloadUsage(): Promise<void> {
    const now = this.now();
    const windowStart = subDays(now, this.rules.windowDays + 1);
    const asks = await this.snapshots.asks(this.db, windowStart.toISOString());
    this.askTimes.clear();
    this.askAccount.clear();
    for (const ask of asks) {
      const t = Date.parse(ask.approved_at);
      const times = this.askTimes.get(ask.contact_id);
      if (times) times.push(t);
      else this.askTimes.set(ask.contact_id, [t]);
      this.askAccount.set(ask.contact_id, ask.account_id);
    }
    this.openAsksDay = localDate(now, 'UTC');
    this.openAsks = await this.snapshots.openAsks(this.db, this.openAsksDay);
    this.usageSnapshot = null;
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

  /** One frozen list per set of activities: there are few sets and 100,000 contacts. */
  private sharedActivities(activities: Activity[]): { list: readonly Activity[]; mask: number } {
    const mask = activityMask(activities);
    let list = this.activityLists.get(mask);
    if (!list) {
      list = Object.freeze(ACTIVITY_KEYS.filter((a) => (mask & activityBit(a)) !== 0));
      this.activityLists.set(mask, list);
    }
    return { list, mask };
  }

  private toCandidate(row: SnapshotContactRow, agreed: Activity[], products: string[]): IndexedContact {
    const activities = this.sharedActivities(agreed);
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
      seniority: literal(SENIORITY_KEYS, row.seniority),
      customerSince: this.intern(row.customer_since),
      activities: activities.list,
      activityMask: activities.mask,
      status: literal(CONTACT_STATUSES, row.status) ?? 'retired',
      pausedUntil: row.paused_until,
      pauseReason: row.pause_reason,
      ownerId: this.intern(row.owner_id),
      search: `${row.name ?? ''} ${row.account_name}`.toLowerCase(),
    };
  }
}
