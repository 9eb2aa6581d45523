import { createHash } from 'node:crypto';
import { subDays } from 'date-fns';
import { z } from 'zod';
import { isFinished, REQUEST_STATUS_KEYS } from '../domain/request-lifecycle.ts';
import type { Db } from '../store/database.ts';
import type { ContactFields, DirectoryStore } from '../store/directory-store.ts';
import {
  ERASED_NAME,
  type ErasableContact,
  type ErasureRecord,
  type ErasureStore,
  type Mention,
} from '../store/erasure-store.ts';
import type { RequestStore } from '../store/request-store.ts';
import { parseInput, SYSTEM_ACTOR } from './requests/request-use-case.ts';
import type { Notify, RefreshCards, RefreshHomes, UnitOfWork } from './unit-of-work.ts';

export interface ErasureDeps {
  db: Db;
  work: UnitOfWork;
  erasures: ErasureStore;
  directory: DirectoryStore;
  requests: RequestStore;
  /** DATA_RETENTION_DAYS: finished requests' free text is erased this long after their last change. */
  retentionDays: number | null;
  now: () => Date;
  /** Requests per retention transaction, so a long-running database is never locked for long. */
  retentionBatch?: number;
}

/** What erasing a contact changed, by kind of row. */
export interface ContactErasureCounts {
  contact: number;
  asks: number;
  outcomes: number;
  nominations: number;
  mentions: number;
  droppedMessages: number;
}

export type ContactErasure =
  /** `contactId` null: the person was only ever nominated, never in the directory. */
  | { outcome: 'erased'; contactId: number | null; counts: ContactErasureCounts; erasure: ErasureRecord }
  | { outcome: 'already_erased'; previous: ErasureRecord }
  | { outcome: 'unknown' };

export interface SlackUserErasure {
  /** Rows removed (time zone, Home view, waiting Home refreshes); 0 when refdesk kept nothing. */
  rows: number;
  /** Accounts the user still owns: the managers should give them a new owner. */
  ownedAccounts: number;
}

const contactInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('is not an email address')),
  by: z.string().trim().min(1, 'say who erases').max(100, 'longer than 100 characters'),
});
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'is not a Slack user id');

const FINISHED = REQUEST_STATUS_KEYS.filter(isFinished);
const RETENTION_BATCH = 500;
/** Shorter names would be found inside too much unrelated text. */
const MIN_NAME_LENGTH = 3;

/** How an erased subject is recognised later without keeping it. */
export const subjectHash = (subject: string): string =>
  createHash('sha256').update(subject.trim().toLowerCase()).digest('hex');

const ERASED_DOMAIN = '@erased.invalid';

/** The email an erased contact keeps: the column is unique and required. */
const placeholderEmail = (contactId: number) => `erased-${contactId}${ERASED_DOMAIN}`;
/** The email an erased nomination of someone never in the directory keeps. */
const NOMINEE_PLACEHOLDER = `erased-nominee${ERASED_DOMAIN}`;

/** Whether a contact's personal data was erased (their email is the placeholder). */
export const isErasedEmail = (email: string): boolean => email.endsWith(ERASED_DOMAIN);

/** The contact keeps its id, account and the facts reports use; who they are goes, and they are retired. */
const erasedContact = (email: string): Partial<ContactFields> => ({
  name: ERASED_NAME,
  email,
  title: null,
  notes: null,
  status: 'retired',
  paused_until: null,
  pause_reason: null,
});

/** A person's email and each of the names they went by (the directory's, a nomination's), once each. */
function mentionsOf(email: string, names: readonly (string | null)[]): Mention[] {
  const mentions: Mention[] = [{ text: email, replacement: '[erased email]' }];
  for (const name of new Set(names.map((n) => n?.trim() ?? ''))) {
    if (name.length >= MIN_NAME_LENGTH) mentions.push({ text: name, replacement: ERASED_NAME });
  }
  return mentions;
}

/**
 * Erasure of personal data: a reference contact on request (their right to erasure), a Slack user
 * deleted from the workspace, and the retention period of finished requests. Each erasure is one
 * transaction and leaves a row in the erasures log; counts, ratings and statuses stay, so reports
 * stay right.
 */
export class ErasureService {
  constructor(private readonly deps: ErasureDeps) {}

  /**
   * Erases the contact with this email everywhere, or, for someone only ever nominated, their nominations;
   * `by` is who ran it. Nothing is written for an unknown email; one erased before is recognised by its hash.
   */
  async eraseContact(input: { email: unknown; by: unknown }): Promise<ContactErasure> {
    const { email, by } = parseInput(contactInput, input);
    const hash = subjectHash(email);
    const { erasures } = this.deps;
    return this.deps.work.run(
      (result) => (result.outcome === 'erased' && result.contactId !== null ? ['directory'] : []),
      async (trx, notify, refreshHomes, refreshCards): Promise<ContactErasure> => {
        const contact = await erasures.contactByEmail(trx, email);
        let counts: ContactErasureCounts;
        if (contact) {
          await this.refreshWhatShows(trx, contact.id, refreshCards, refreshHomes);
          counts = await this.erase(trx, contact, notify);
        } else {
          counts = await this.eraseNominee(trx, email, notify);
          if (counts.nominations === 0) {
            const previous = await erasures.latest(trx, 'contact', hash);
            return previous ? { outcome: 'already_erased', previous } : { outcome: 'unknown' };
          }
          refreshHomes({ managers: true });
        }
        const rowsChanged = Object.values(counts).reduce((a, b) => a + b, 0);
        const erasure = await erasures.record(trx, {
          kind: 'contact',
          subjectHash: hash,
          erasedBy: by,
          erasedAt: this.deps.now().toISOString(),
          rowsChanged,
        });
        return { outcome: 'erased', contactId: contact?.id ?? null, counts, erasure };
      },
    );
  }

  private async erase(trx: Db, contact: ErasableContact, notify: Notify): Promise<ContactErasureCounts> {
    const { erasures } = this.deps;
    const placeholder = placeholderEmail(contact.id);
    const at = this.deps.now().toISOString();
    // The contact's own records first; then their name and email wherever else someone typed them, under
    // the directory's name and any other a rep nominated them by.
    const nominations = await this.eraseNominations(trx, contact.id, contact.email, placeholder, notify);
    const mentions = mentionsOf(contact.email, [contact.name, ...nominations.names]);
    const asks = await erasures.eraseAskTextsOf(trx, contact.id);
    const outcomes = await erasures.eraseOutcomeTextsOf(trx, contact.id);
    // Through the directory's own write, so every replica's index sees the change.
    await this.deps.directory.updateContact(trx, contact.id, erasedContact(placeholder), at);
    return {
      contact: 1,
      asks,
      outcomes,
      nominations: nominations.ids.length,
      ...(await this.eraseMentions(trx, mentions)),
    };
  }

  /** Someone nominated who never joined the directory: their nominations, and their name and email elsewhere. */
  private async eraseNominee(trx: Db, email: string, notify: Notify): Promise<ContactErasureCounts> {
    const { ids, names } = await this.eraseNominations(trx, null, email, NOMINEE_PLACEHOLDER, notify);
    const none = { contact: 0, asks: 0, outcomes: 0, nominations: 0, mentions: 0, droppedMessages: 0 };
    if (ids.length === 0) return none;
    return { ...none, nominations: ids.length, ...(await this.eraseMentions(trx, mentionsOf(email, names))) };
  }

  /** Messages not sent yet that mention the person are dropped first; then every mention is replaced. */
  private async eraseMentions(trx: Db, mentions: readonly Mention[]) {
    const droppedMessages = await this.deps.erasures.dropPendingMentioning(trx, mentions);
    return { mentions: await this.deps.erasures.replaceMentions(trx, mentions), droppedMessages };
  }

  /** The person's nominations erased (a pending one closed); their cards in the channel show it. */
  private async eraseNominations(
    trx: Db,
    contactId: number | null,
    email: string,
    placeholder: string,
    notify: Notify,
  ) {
    const closed = { by: SYSTEM_ACTOR, at: this.deps.now().toISOString() };
    const erased = await this.deps.erasures.eraseNominationsOf(
      trx,
      { contactId, email },
      placeholder,
      closed,
    );
    for (const nominationId of erased.ids)
      notify({ to: 'managers', notification: { type: 'nomination_card', nominationId } });
    return erased;
  }

  /** Cards and Homes that show the contact are re-rendered (without them) once this commits. */
  private async refreshWhatShows(
    trx: Db,
    contactId: number,
    refreshCards: RefreshCards,
    refreshHomes: RefreshHomes,
  ): Promise<void> {
    const { erasures, requests } = this.deps;
    refreshCards([
      ...new Set([
        ...(await requests.undecidedShowing(trx, [contactId])),
        ...(await erasures.openRequestsAsking(trx, contactId, FINISHED)),
      ]),
    ]);
    refreshHomes({ users: await erasures.peopleOfAsks(trx, contactId), managers: true });
  }

  /**
   * A Slack user deleted from the workspace. refdesk stores no names of Slack users (messages
   * mention them by id and Slack renders the name), so the id stays wherever it counts something
   * (asks, decisions, ownership, history): it is Slack's pseudonymous key, and after the deletion
   * Slack shows it as a deactivated user. What goes is what refdesk keeps about the person beyond
   * the id: their time zone, when they last opened their Home, and Home refreshes waiting for them.
   */
  async forgetSlackUser(userId: unknown, by = 'slack:user_change'): Promise<SlackUserErasure> {
    const id = slackUserId.parse(userId);
    const { erasures } = this.deps;
    return this.deps.db.transaction(async (trx) => {
      const rows = await erasures.forgetSlackUser(trx, id);
      // Nothing kept, nothing to log: most people deleted from a workspace never used refdesk.
      if (rows > 0) {
        await erasures.record(trx, {
          kind: 'slack_user',
          subjectHash: subjectHash(id),
          erasedBy: by,
          erasedAt: this.deps.now().toISOString(),
          rowsChanged: rows,
        });
      }
      return { rows, ownedAccounts: await erasures.accountsOwnedBy(trx, id) };
    });
  }

  /**
   * DATA_RETENTION_DAYS after a finished request's last change (its outcome and deal result too),
   * the free text typed about it goes: the rep's context (it describes the prospect's people and
   * situation), reasons, the managers' notes and the outcome's comments. Statuses, dates, contacts
   * asked, ratings and deals stay for the reports. Returns how many requests were erased.
   */
  async applyRetention(): Promise<number> {
    const { retentionDays, erasures, db } = this.deps;
    if (retentionDays === null) return 0;
    const batch = this.deps.retentionBatch ?? RETENTION_BATCH;
    const now = this.deps.now();
    const before = subDays(now, retentionDays).toISOString();
    let total = 0;
    for (;;) {
      const { found, erased } = await db.transaction(async (trx) => {
        const ids = await erasures.expiredRequests(trx, FINISHED, before, batch);
        if (ids.length === 0) return { found: 0, erased: 0 };
        const changed = await erasures.eraseRequestTexts(trx, ids, now.toISOString(), SYSTEM_ACTOR);
        if (changed.requests > 0) {
          await erasures.record(trx, {
            kind: 'retention',
            subjectHash: null,
            erasedBy: `${SYSTEM_ACTOR}:DATA_RETENTION_DAYS=${retentionDays}`,
            erasedAt: now.toISOString(),
            rowsChanged: changed.rows,
          });
        }
        return { found: ids.length, erased: changed.requests };
      });
      total += erased;
      // Another replica may have taken this batch meanwhile: stop rather than look again forever.
      if (found < batch || erased === 0) return total;
    }
  }
}
