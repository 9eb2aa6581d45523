import { subDays } from 'date-fns';
import { isIsoDate, localDate } from '../domain/dates.ts';
import {
  COLUMN_MAX_LENGTH,
  type DirectoryColumn,
  type DirectoryEntry,
  parseDirectoryEntry,
} from '../domain/directory-entry.ts';
import { driveNews } from '../domain/notifications.ts';
import type { ContactUsage } from '../domain/program-rules.ts';
import { type ContactProfile, contactName } from '../domain/reference.ts';
import { LIMITS } from '../domain/request-draft.ts';
import { hasVisibleText } from '../domain/visible-text.ts';
import { AlreadyDecidedError, InputError, NotAllowedError, NotFoundError, type Sentence } from '../errors.ts';
import type { Db } from '../store/database.ts';
import type { ContactAskHistory, DirectoryStore } from '../store/directory-store.ts';
import type { FormRef, FormStore } from '../store/form-store.ts';
import type { Nomination, NominationStore } from '../store/nomination-store.ts';
import type { RecruitingStore } from '../store/recruiting-store.ts';
import type { RequestStore } from '../store/request-store.ts';
import type { UsageStore } from '../store/usage-store.ts';
import type { DirectoryImport } from './directory-import.ts';
import { isErasedEmail } from './erasure.ts';
import { oncePerForm } from './once-per-form.ts';
import type { Actor } from './requests/index.ts';
import type { Notify, RefreshCards, RefreshHomes, UnitOfWork } from './unit-of-work.ts';

const DIRECTORY_MANAGERS_ONLY = 'Only reference managers can manage the directory.';

export interface DirectoryServiceDeps {
  db: Db;
  work: UnitOfWork;
  directory: DirectoryStore;
  importer: DirectoryImport;
  nominations: NominationStore;
  requests: RequestStore;
  forms: FormStore;
  usage: UsageStore;
  recruiting: RecruitingStore;
  windowDays: number;
  now: () => Date;
}

/** A contact's page for managers: who they are, how they were used lately, and every ask. */
export interface ContactPage {
  contact: ContactProfile;
  usage: ContactUsage;
  history: ContactAskHistory[];
  windowDays: number;
}

const HISTORY_LIMIT = 10;

/** Managing the directory from Slack: profiles, edits, pauses, new contacts and nominations. */
export class DirectoryService {
  constructor(private readonly deps: DirectoryServiceDeps) {}

  async page(actor: Actor, contactId: number): Promise<ContactPage> {
    this.authorize(actor);
    const { db } = this.deps;
    const contact = await this.deps.directory.profile(db, contactId);
    if (!contact) throw new NotFoundError('This contact is not in the directory any more.');
    const now = this.deps.now();
    const [usage, history] = await Promise.all([
      this.deps.usage.contactUsage(
        db,
        { id: contact.id, accountId: contact.accountId },
        subDays(now, this.deps.windowDays).toISOString(),
        localDate(now, 'UTC'),
      ),
      this.deps.directory.askHistory(db, contactId, HISTORY_LIMIT),
    ]);
    return { contact, usage, history, windowDays: this.deps.windowDays };
  }

  /** The page behind the pause form: only a contact who is not retired can be paused. */
  async pausable(actor: Actor, contactId: number): Promise<ContactPage> {
    const page = await this.page(actor, contactId);
    assertPausable(page.contact);
    return page;
  }

  /** A contact as a directory entry, to fill the edit form. */
  async entryOf(actor: Actor, contactId: number): Promise<DirectoryEntry> {
    const { contact } = await this.page(actor, contactId);
    return entryFromProfile(contact);
  }

  /**
   * Adds a contact (contactId null) or changes one, with the import's validation. The account
   * is found by its id or name like in the import, and created or updated with the entry's facts.
   */
  /** Adds a contact (`contactId` null) or edits one; a second delivery of one "add" form adds nothing. */
  async save(
    actor: Actor,
    contactId: number | null,
    input: Partial<Record<DirectoryColumn, string>>,
    viewId: string | null = null,
  ): Promise<number> {
    this.authorize(actor);
    const entry = this.validEntry(input);
    return this.transact(async (trx, _notify, _refreshHomes, refreshCards) => {
      const form = contactId === null && viewId ? { viewId, kind: 'contact' as const } : null;
      const saved = await this.oncePerForm(trx, form, async () => {
        const id = await this.upsert(trx, contactId, entry);
        await this.refreshCardsShowing(trx, id, refreshCards);
        return { id };
      });
      return saved.id;
    });
  }

  async pause(actor: Actor, contactId: number, input: { until: unknown; reason: unknown }): Promise<void> {
    this.authorize(actor);
    const today = localDate(this.deps.now(), 'UTC');
    const until = typeof input.until === 'string' ? input.until : '';
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    const errors: Record<string, string> = {};
    if (!isIsoDate(until)) errors.until = 'Pick the date the pause ends.';
    else if (until < today) errors.until = 'Pick today or a later date.';
    if (!hasVisibleText(reason)) errors.reason = 'Say why, e.g. "open P1 ticket" or "renewal in progress".';
    else if (reason.length > COLUMN_MAX_LENGTH.pause_reason)
      errors.reason = `Keep it under ${COLUMN_MAX_LENGTH.pause_reason} characters.`;
    if (Object.keys(errors).length > 0) throw new InputError(errors);
    await this.changeStatus(contactId, { status: 'paused', pausedUntil: until, pauseReason: reason });
  }

  async resume(actor: Actor, contactId: number): Promise<void> {
    this.authorize(actor);
    await this.changeStatus(contactId, { status: 'active' });
  }

  async retire(actor: Actor, contactId: number): Promise<void> {
    this.authorize(actor);
    await this.changeStatus(contactId, { status: 'retired' });
  }

  // --- nominations ---

  /** Anyone may propose a customer contact; the managers get a card to accept or decline. */
  async nominate(
    actor: Actor,
    input: Partial<Record<DirectoryColumn, string>>,
    why: unknown,
    viewId: string | null = null,
    driveId: number | null = null,
  ): Promise<Nomination> {
    const reason = typeof why === 'string' ? why.trim() : '';
    const entry = this.validEntry(
      input,
      hasVisibleText(reason) ? {} : { why: 'Tell the managers why they would make a good reference.' },
    );
    if (reason.length > LIMITS.context)
      throw new InputError({ why: `Keep it under ${LIMITS.context} characters.` });
    return this.transact(async (trx, notify, refreshHomes) => {
      const form = viewId ? { viewId, kind: 'nomination' as const } : null;
      return oncePerForm(
        trx,
        this.deps.forms,
        form,
        this.deps.now().toISOString(),
        async () => {
          const existing = await this.deps.directory.contactsByEmail(trx, [entry.contactEmail]);
          if (existing.size > 0)
            throw new InputError({ contact_email: 'This contact is already in the directory.' });
          const at = this.deps.now().toISOString();
          // A drive the nominator was not asked by (a stale or crafted form) is not theirs to answer.
          const drive =
            driveId !== null && (await this.deps.recruiting.ask(trx, driveId, actor.id)) ? driveId : null;
          const nomination = await this.deps.nominations.insert(trx, actor.id, entry, reason, at, drive);
          notify({ to: 'managers', notification: { type: 'nomination_card', nominationId: nomination.id } });
          if (drive !== null) {
            // A nomination from a drive's DM answers it (the DM loses its buttons), counts on its card and is
            // noted in the card's thread.
            if (await this.deps.recruiting.answer(trx, drive, actor.id, 'nominated', at))
              notify({ to: { user: actor.id }, notification: { type: 'recruit_owner', driveId: drive } });
            for (const news of driveNews(drive, 'nominated', actor.id, nomination.id)) notify(news);
          }
          refreshHomes({ managers: true });
          return nomination;
        },
        async (id) => (await this.deps.nominations.get(trx, id))!,
      );
    });
  }

  async nomination(nominationId: number): Promise<Nomination> {
    const nomination = await this.deps.nominations.get(this.deps.db, nominationId);
    if (!nomination) throw new NotFoundError('This nomination does not exist any more.');
    return nomination;
  }

  /** Checks, before a form opens, that this actor may decide this nomination now. */
  async assertNominationOpen(actor: Actor, nominationId: number): Promise<Nomination> {
    this.authorize(actor);
    const nomination = await this.nomination(nominationId);
    if (nomination.status !== 'pending') throw new AlreadyDecidedError(decidedText(nomination));
    return nomination;
  }

  /** Accepts a nomination with the fields as the manager corrected them: the contact joins the directory. */
  async acceptNomination(
    actor: Actor,
    nominationId: number,
    input: Partial<Record<DirectoryColumn, string>>,
    viewId: string | null = null,
  ): Promise<number> {
    this.authorize(actor);
    const entry = this.validEntry(input);
    const form = viewId ? { viewId, kind: 'contact' as const } : null;
    const accepted = await this.transact((trx, notify, refreshHomes) =>
      this.oncePerForm(trx, form, async () => ({
        id: await this.accept(trx, actor, nominationId, entry, notify, refreshHomes),
      })),
    );
    return accepted.id;
  }

  private async accept(
    trx: Db,
    actor: Actor,
    nominationId: number,
    entry: DirectoryEntry,
    notify: Notify,
    refreshHomes: RefreshHomes,
  ): Promise<number> {
    const nomination = await this.deps.nominations.get(trx, nominationId);
    if (!nomination) throw new NotFoundError('This nomination does not exist any more.');
    const contactId = await this.upsert(trx, null, {
      ...entry,
      status: 'active',
      pausedUntil: null,
      pauseReason: null,
    });
    const decision = { status: 'accepted' as const, by: actor.id, reason: null, contactId };
    await this.decide(trx, nomination, decision, notify, refreshHomes);
    return contactId;
  }

  /** Records the managers' decision on a nomination (if nobody decided first) and tells the nominator. */
  private async decide(
    trx: Db,
    nomination: Nomination,
    decision: Parameters<NominationStore['decide']>[2],
    notify: Notify,
    refreshHomes: RefreshHomes,
  ): Promise<void> {
    const nominationId = nomination.id;
    const at = this.deps.now().toISOString();
    if (!(await this.deps.nominations.decide(trx, nominationId, decision, at))) {
      throw new AlreadyDecidedError(decidedText(nomination));
    }
    notify({ to: 'managers', notification: { type: 'nomination_card', nominationId } });
    notify({
      to: { user: nomination.nominatedBy },
      notification: { type: 'nominator_decided', nominationId },
    });
    if (nomination.driveId !== null)
      for (const news of driveNews(nomination.driveId, decision.status, nomination.nominatedBy, nominationId))
        notify(news);
    refreshHomes({ users: [nomination.nominatedBy], managers: true });
  }

  /** A form that creates a contact, once: a second delivery of it gets the same contact. */
  private oncePerForm(trx: Db, form: FormRef | null, create: () => Promise<{ id: number }>) {
    return oncePerForm(trx, this.deps.forms, form, this.deps.now().toISOString(), create, async (id) => ({
      id,
    }));
  }

  async declineNomination(actor: Actor, nominationId: number, reasonInput: unknown): Promise<void> {
    this.authorize(actor);
    const reason = typeof reasonInput === 'string' ? reasonInput.trim() : '';
    if (!hasVisibleText(reason)) throw new InputError({ reason: 'Tell them why, kindly.' });
    if (reason.length > LIMITS.reason)
      throw new InputError({ reason: `Keep it under ${LIMITS.reason} characters.` });
    await this.transact(async (trx, notify, refreshHomes) => {
      const nomination = await this.deps.nominations.get(trx, nominationId);
      if (!nomination) throw new NotFoundError('This nomination does not exist any more.');
      const decision = { status: 'declined' as const, by: actor.id, reason, contactId: null };
      await this.decide(trx, nomination, decision, notify, refreshHomes);
    });
  }

  // --- helpers ---

  private validEntry(
    input: Partial<Record<DirectoryColumn, string>>,
    extra: Record<string, string> = {},
  ): DirectoryEntry {
    const result = parseDirectoryEntry(input);
    const errors: Record<string, string> = { ...extra };
    if (!result.ok) {
      for (const issue of result.issues) errors[issue.column ?? 'account'] ??= capitalize(issue.reason);
    }
    if (Object.keys(errors).length > 0 || !result.ok) throw new InputError(errors);
    return result.entry;
  }

  private async upsert(trx: Db, contactId: number | null, entry: DirectoryEntry): Promise<number> {
    const { directory } = this.deps;
    const owner = await directory.contactsByEmail(trx, [entry.contactEmail]);
    const holder = owner.get(entry.contactEmail);
    if (holder && holder.id !== contactId) {
      throw new InputError({ contact_email: 'Another contact in the directory has this email.' });
    }
    let saved = entry;
    if (contactId !== null) {
      const current = await directory.profile(trx, contactId, { forUpdate: true });
      if (!current) throw new NotFoundError('This contact is not in the directory any more.');
      assertNotErased(current.email);
      // The form edits facts; status and pause change through pause, resume and retire.
      const { status, pausedUntil, pauseReason } = current;
      saved = { ...entry, status, pausedUntil, pauseReason };
      if (current.email !== entry.contactEmail) {
        await directory.updateContact(
          trx,
          contactId,
          { email: entry.contactEmail },
          this.deps.now().toISOString(),
        );
      }
    }
    await this.deps.importer.applyEntries(trx, [saved], this.deps.now());
    return (await directory.contactsByEmail(trx, [entry.contactEmail])).get(entry.contactEmail)!.id;
  }

  private async changeStatus(
    contactId: number,
    change: Parameters<DirectoryStore['setStatus']>[2],
  ): Promise<void> {
    await this.transact(async (trx, _notify, _refreshHomes, refreshCards) => {
      const { directory } = this.deps;
      const current = await directory.profile(trx, contactId, { forUpdate: true });
      if (!current) throw new NotFoundError('This contact is not in the directory any more.');
      assertNotErased(current.email);
      if (change.status === 'paused') assertPausable(current);
      await directory.setStatus(trx, contactId, change, this.deps.now().toISOString());
      await this.refreshCardsShowing(trx, contactId, refreshCards);
    });
  }

  /** The cards still to be decided that suggest this contact show them as they are now (or drop them). */
  private async refreshCardsShowing(trx: Db, contactId: number, refreshCards: RefreshCards): Promise<void> {
    refreshCards(await this.deps.requests.undecidedShowing(trx, [contactId]));
  }

  /** A directory change: written with its notifications; every index is told to reload. */
  private transact<T>(
    work: (trx: Db, notify: Notify, refreshHomes: RefreshHomes, refreshCards: RefreshCards) => Promise<T>,
  ): Promise<T> {
    return this.deps.work.run(['directory'], work);
  }

  /** Only reference managers see and change the directory. */
  authorize(actor: Actor): void {
    if (!actor.isManager) throw new NotAllowedError(DIRECTORY_MANAGERS_ONLY);
  }
}

/** A pause holds an available contact back for a while; a retired one is never asked anyway. */
function assertPausable(contact: ContactProfile): void {
  if (contact.status === 'retired') {
    throw new NotAllowedError(
      `${contactName(contact)} is retired, so they cannot be paused. Make them active again first.`,
    );
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function decidedText(n: Nomination): Sentence {
  return n.status === 'pending'
    ? 'This nomination was just decided by somebody else.'
    : (name: (userId: string) => string) =>
        `This nomination was already ${n.status} by ${name(n.decidedBy ?? '')}.`;
}

/** The directory entry (import format) of a contact, e.g. to fill the edit form. */
export function entryFromProfile(c: ContactProfile): DirectoryEntry {
  return {
    account: c.account.name,
    accountId: c.account.externalId,
    industry: c.account.industry,
    region: c.account.region,
    companySize: c.account.companySize,
    products: c.account.products,
    owner: c.account.ownerId,
    contactName: c.name,
    contactEmail: c.email,
    title: c.title,
    seniority: c.seniority,
    activities: c.activities,
    customerSince: c.customerSince,
    status: c.status,
    pausedUntil: c.pausedUntil,
    pauseReason: c.pauseReason,
    notes: c.notes,
  };
}

/** An erased contact stays retired and nameless: bringing them back takes a new entry with their consent. */
function assertNotErased(email: string): void {
  if (isErasedEmail(email)) {
    throw new NotAllowedError(
      "This contact's personal data was erased, so they cannot be changed or asked again. If they agree to be a reference again, add them as a new contact.",
    );
  }
}
