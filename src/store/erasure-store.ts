import { homeKey } from '../domain/notifications.ts';
import { type Db, likePattern } from './database.ts';
import { chunks } from './directory-store.ts';

const CONTACTS = 'contacts';
const REQUESTS = 'reference_requests';
const ASKS = 'reference_asks';
const OUTCOMES = 'reference_outcomes';
const HISTORY = 'request_history';
const NOMINATIONS = 'nominations';
const OUTBOX = 'outbox';
const USERS = 'slack_users';
const HOMES = 'home_views';
const ERASURES = 'erasures';

/** What an erased contact is called from then on. */
export const ERASED_NAME = 'Erased contact';
/** What erased free text reads (where the column may not be empty). */
export const ERASED_TEXT = '(erased)';

export type ErasureKind = 'contact' | 'slack_user' | 'retention';

export interface ErasureRecord {
  id: number;
  kind: ErasureKind;
  subjectHash: string | null;
  erasedBy: string;
  erasedAt: string;
  rowsChanged: number;
}

interface ErasureRow {
  id: number;
  kind: string;
  subject_hash: string | null;
  erased_by: string;
  erased_at: string;
  rows_changed: number | string;
}

const mapErasure = (r: ErasureRow): ErasureRecord => ({
  id: r.id,
  kind: r.kind as ErasureKind,
  subjectHash: r.subject_hash,
  erasedBy: r.erased_by,
  erasedAt: r.erased_at,
  rowsChanged: Number(r.rows_changed),
});

/** A contact as erasure needs them: who, to find their mentions. */
export interface ErasableContact {
  id: number;
  email: string;
  name: string | null;
}

/** Text to find (case-insensitive, as a whole word) and what to put instead. */
export interface Mention {
  text: string;
  replacement: string;
}

/**
 * The free text people type, where a contact's name or email may turn up: the rep's context, the
 * managers' notes and reasons, the outcome, nominations, other contacts' notes, and messages.
 */
const FREE_TEXT: readonly { table: string; key: string; columns: readonly string[] }[] = [
  { table: REQUESTS, key: 'id', columns: ['context', 'opportunity', 'close_reason'] },
  { table: HISTORY, key: 'id', columns: ['reason'] },
  { table: ASKS, key: 'id', columns: ['note', 'override_reason'] },
  { table: OUTCOMES, key: 'request_id', columns: ['helped', 'why_not'] },
  { table: NOMINATIONS, key: 'id', columns: ['entry', 'why', 'decision_reason'] },
  { table: CONTACTS, key: 'id', columns: ['notes', 'pause_reason'] },
  { table: OUTBOX, key: 'id', columns: ['notification', 'last_error'] },
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `text` with every mention replaced; a mention counts only as a whole word ("Ann" is not in "Annual"). */
export function replaceMentions(text: string, mentions: readonly Mention[]): string {
  let out = text;
  for (const m of mentions) {
    const word = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(m.text)}(?![\\p{L}\\p{N}])`, 'giu');
    out = out.replace(word, m.replacement);
  }
  return out;
}

/**
 * Rows whose column may contain a mention. SQLite's lower() folds ASCII only, so the text as given
 * is looked for too; the exact match is then made in JavaScript.
 */
function mayMention(db: Db, table: string, columns: readonly string[], mentions: readonly Mention[]) {
  return db(table).where((w) => {
    for (const column of columns) {
      for (const m of mentions) {
        w.orWhereRaw("lower(??) like ? escape '\\'", [column, likePattern(m.text.toLowerCase())]);
        w.orWhereRaw("?? like ? escape '\\'", [column, likePattern(m.text)]);
      }
    }
  });
}

/** All SQL of erasing personal data: contacts on request, deleted Slack users, and old finished requests. */
export class ErasureStore {
  /** The contact with this (lowercased) email, its row locked for the rest of the transaction. */
  async contactByEmail(db: Db, email: string): Promise<ErasableContact | null> {
    const row = (await db(CONTACTS).where({ email }).forUpdate().first('id', 'email', 'name')) as
      | ErasableContact
      | undefined;
    return row ?? null;
  }

  /** The managers' note and override reason on the contact's asks are about the contact: cleared. */
  async eraseAskTextsOf(db: Db, contactId: number): Promise<number> {
    return db(ASKS)
      .where({ contact_id: contactId })
      .where((w) => w.whereNotNull('note').orWhereNotNull('override_reason'))
      .update({ note: null, override_reason: null });
  }

  /** What the rep wrote about the reference the contact gave; the rating and deal stay. */
  async eraseOutcomeTextsOf(db: Db, contactId: number): Promise<number> {
    return db(OUTCOMES)
      .where({ contact_id: contactId })
      .where((w) => w.whereNotNull('helped').orWhereNotNull('why_not'))
      .update({ helped: null, why_not: null });
  }

  /**
   * Nominations of this person (by contact, when they are one, or by email): the entry keeps its account facts
   * only, and one still pending is closed as declined by `closed.by` (nobody can accept a person who asked to be
   * forgotten). Returns the ids changed, and the names they were nominated under (for mentions elsewhere).
   */
  async eraseNominationsOf(
    db: Db,
    person: { contactId: number | null; email: string },
    placeholderEmail: string,
    closed: { by: string; at: string },
  ): Promise<{ ids: number[]; names: string[] }> {
    const query = db(NOMINATIONS).whereRaw("lower(entry) like ? escape '\\'", [likePattern(person.email)]);
    if (person.contactId !== null) query.orWhere({ contact_id: person.contactId });
    const rows = (await query.select('id', 'entry', 'contact_id', 'status', 'decision_reason')) as {
      id: number;
      entry: string;
      contact_id: number | null;
      status: string;
      decision_reason: string | null;
    }[];
    const ids: number[] = [];
    const names: string[] = [];
    for (const row of rows) {
      const entry = JSON.parse(row.entry) as Record<string, unknown>;
      const email = String(entry.contactEmail ?? '').toLowerCase();
      const theirs =
        (person.contactId !== null && row.contact_id === person.contactId) || email === person.email;
      if (!theirs) continue;
      if (typeof entry.contactName === 'string') names.push(entry.contactName);
      const erased = {
        ...entry,
        contactName: ERASED_NAME,
        contactEmail: placeholderEmail,
        title: null,
        notes: null,
        pauseReason: null,
      };
      const pending = row.status === 'pending';
      await db(NOMINATIONS)
        .where({ id: row.id })
        .update({
          entry: JSON.stringify(erased),
          why: ERASED_TEXT,
          decision_reason: pending || row.decision_reason !== null ? ERASED_TEXT : null,
          ...(pending ? { status: 'declined', decided_by: closed.by, decided_at: closed.at } : {}),
        });
      ids.push(row.id);
    }
    return { ids, names };
  }

  /** Messages not sent yet whose stored text mentions any of these: dropped, never sent. */
  async dropPendingMentioning(db: Db, mentions: readonly Mention[]): Promise<number> {
    if (mentions.length === 0) return 0;
    const ids = (await mayMention(db, OUTBOX, ['notification', 'last_error'], mentions)
      .andWhere({ status: 'pending' })
      .select('id', 'notification', 'last_error')) as {
      id: number;
      notification: string;
      last_error: string | null;
    }[];
    const mentioning = ids
      .filter((r) => [r.notification, r.last_error ?? ''].some((t) => replaceMentions(t, mentions) !== t))
      .map((r) => r.id);
    let dropped = 0;
    for (const part of chunks(mentioning)) dropped += await db(OUTBOX).whereIn('id', part).delete();
    return dropped;
  }

  /** Replaces the mentions in every free-text column; returns how many rows changed. */
  async replaceMentions(db: Db, mentions: readonly Mention[]): Promise<number> {
    if (mentions.length === 0) return 0;
    let changed = 0;
    for (const { table, key, columns } of FREE_TEXT) {
      const rows = (await mayMention(db, table, columns, mentions).select(key, ...columns)) as Record<
        string,
        unknown
      >[];
      for (const row of rows) {
        const patch: Record<string, string> = {};
        for (const column of columns) {
          const value = row[column];
          if (typeof value !== 'string') continue;
          const replaced = replaceMentions(value, mentions);
          if (replaced !== value) patch[column] = replaced;
        }
        if (Object.keys(patch).length === 0) continue;
        await db(table)
          .where({ [key]: row[key] })
          .update(patch);
        changed += 1;
      }
    }
    return changed;
  }

  /** Requests that are not finished and asked this contact: their cards still show them. */
  async openRequestsAsking(db: Db, contactId: number, finished: readonly string[]): Promise<number[]> {
    return (await db(`${ASKS} as k`)
      .join(`${REQUESTS} as r`, 'r.id', 'k.request_id')
      .where('k.contact_id', contactId)
      .whereNotIn('r.status', [...finished])
      .distinct('r.id')
      .orderBy('r.id')
      .pluck('r.id')) as number[];
  }

  /** The reps and owners of the contact's asks: their Homes list the contact. */
  async peopleOfAsks(db: Db, contactId: number): Promise<string[]> {
    const rows = (await db(`${ASKS} as k`)
      .join(`${REQUESTS} as r`, 'r.id', 'k.request_id')
      .where('k.contact_id', contactId)
      .distinct('r.requester_id', 'k.owner_id')) as { requester_id: string; owner_id: string }[];
    return [...new Set(rows.flatMap((r) => [r.requester_id, r.owner_id]))];
  }

  // --- Slack users deleted from the workspace ---

  /**
   * What refdesk keeps about a person beyond their id: their time zone, when they last opened their
   * Home, and Home refreshes waiting for them. Returns how many rows went.
   */
  async forgetSlackUser(db: Db, userId: string): Promise<number> {
    const zones = await db(USERS).where({ id: userId }).delete();
    const homes = await db(HOMES).where({ user_id: userId }).delete();
    const refreshes = await db(OUTBOX)
      .where({ status: 'pending', conversation: homeKey(userId) })
      .delete();
    return zones + homes + refreshes;
  }

  async accountsOwnedBy(db: Db, userId: string): Promise<number> {
    const row = (await db('accounts').where({ owner_id: userId }).count({ n: '*' }).first()) as
      | { n: number | string }
      | undefined;
    return Number(row?.n ?? 0);
  }

  // --- retention ---

  /**
   * Up to `limit` finished requests (in `finished` statuses) whose free text is still there and whose
   * last change, the outcome and deal result included, was before `before`: oldest first.
   */
  async expiredRequests(
    db: Db,
    finished: readonly string[],
    before: string,
    limit: number,
  ): Promise<number[]> {
    return (await db(`${REQUESTS} as r`)
      .whereNull('r.personal_data_erased_at')
      .where('r.updated_at', '<', before)
      .whereIn('r.status', [...finished])
      .whereNotExists((q) =>
        q
          .select(db.raw('1'))
          .from(`${OUTCOMES} as o`)
          .whereRaw('o.request_id = r.id')
          .where((w) => w.where('o.recorded_at', '>=', before).orWhere('o.deal_recorded_at', '>=', before)),
      )
      .orderBy('r.updated_at')
      .orderBy('r.id')
      .limit(limit)
      .pluck('r.id')) as number[];
  }

  /**
   * Erases the free text of these requests, their history (but `keepReasonsOf`'s, refdesk's own
   * words), asks and outcomes; statuses, dates, ratings and deals stay. Returns how many requests
   * were erased (not erased before, by another process) and how many rows changed in all.
   */
  async eraseRequestTexts(
    db: Db,
    ids: readonly number[],
    at: string,
    keepReasonsOf: string,
  ): Promise<{ requests: number; rows: number }> {
    let requests = 0;
    let rows = 0;
    for (const part of chunks(ids)) {
      const erased = await db(REQUESTS)
        .whereIn('id', part)
        .whereNull('personal_data_erased_at')
        .update({ context: ERASED_TEXT, close_reason: null, personal_data_erased_at: at });
      requests += erased;
      rows += erased;
      rows += await db(HISTORY)
        .whereIn('request_id', part)
        .whereNotNull('reason')
        .whereNot('actor_id', keepReasonsOf)
        .update({ reason: null });
      rows += await db(ASKS)
        .whereIn('request_id', part)
        .where((w) => w.whereNotNull('note').orWhereNotNull('override_reason'))
        .update({ note: null, override_reason: null });
      rows += await db(OUTCOMES)
        .whereIn('request_id', part)
        .where((w) => w.whereNotNull('helped').orWhereNotNull('why_not'))
        .update({ helped: null, why_not: null });
    }
    return { requests, rows };
  }

  // --- the log ---

  async record(db: Db, e: Omit<ErasureRecord, 'id'>): Promise<ErasureRecord> {
    const [row] = (await db(ERASURES)
      .insert({
        kind: e.kind,
        subject_hash: e.subjectHash,
        erased_by: e.erasedBy,
        erased_at: e.erasedAt,
        rows_changed: e.rowsChanged,
      })
      .returning('*')) as ErasureRow[];
    return mapErasure(row!);
  }

  /** The latest erasure of this subject, to recognise a repeated request. */
  async latest(db: Db, kind: ErasureKind, subjectHash: string): Promise<ErasureRecord | null> {
    const row = (await db(ERASURES)
      .where({ kind, subject_hash: subjectHash })
      .orderBy('id', 'desc')
      .first()) as ErasureRow | undefined;
    return row ? mapErasure(row) : null;
  }
}
