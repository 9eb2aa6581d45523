import type { RequestStatus } from './request-lifecycle.ts';
import type { Activity, ContactStatus, OwnerAnswer, Seniority } from './vocabulary.ts';

export interface Account {
  id: number;
  externalId: string | null;
  name: string;
  industry: string | null;
  region: string | null;
  companySize: string;
  products: string[];
  ownerId: string;
}

export interface ReferenceContact {
  id: number;
  accountId: number;
  name: string | null;
  email: string;
  title: string | null;
  seniority: Seniority | null;
  activities: Activity[];
  customerSince: string | null;
  status: ContactStatus;
  /** A pause lasts until this date (YYYY-MM-DD, inclusive); null for an open-ended pause. */
  pausedUntil: string | null;
  pauseReason: string | null;
  notes: string | null;
}

/** A contact with the account it belongs to, as shown to reps and managers. */
export interface ContactProfile extends ReferenceContact {
  account: Account;
}

/** A contact's name for display; never their email, which reps only get once the contact agreed. */
export const contactName = (contact: Pick<ReferenceContact, 'name'>): string =>
  contact.name ?? 'Unnamed contact';

export interface ReferenceRequest {
  id: number;
  requesterId: string;
  prospect: string;
  opportunity: string | null;
  amount: number | null;
  industry: string | null;
  products: string[];
  region: string | null;
  companySize: string | null;
  seniority: Seniority | null;
  activity: Activity;
  neededBy: string;
  context: string;
  preferredContactId: number | null;
  status: RequestStatus;
  /** Who denied or cancelled, when, and why; null while the request is open. */
  closedBy: string | null;
  closedAt: string | null;
  closeReason: string | null;
  currentAskId: number | null;
  /** The date the rep wants to be asked "Did it happen?"; null for the business day after needed-by. */
  followupOn: string | null;
  followupSentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One approval of one contact for a request: the unit that counts as "asking" a contact. */
export interface ReferenceAsk {
  id: number;
  requestId: number;
  contactId: number;
  ownerId: string;
  round: number;
  approvedBy: string;
  approvedAt: string;
  note: string | null;
  answer: OwnerAnswer | null;
  answeredBy: string | null;
  answeredAt: string | null;
  /** Why a manager approved a contact over a program rule; null when no rule was broken. */
  overrideReason: string | null;
  remindersSent: number;
  lastRemindedAt: string | null;
  /** "Remind me in 2 days": no reminder before this moment. */
  remindAfter: string | null;
  /** When the managers were told the owner did not answer. */
  escalatedAt: string | null;
}

export interface RequestHistoryEntry {
  id: number;
  requestId: number;
  at: string;
  actorId: string;
  action: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus;
  reason: string | null;
}

export const requestRef = (id: number): string => `REF-${id}`;

/** Accepts `REF-12`, `ref-12`, `#12` or `12`. */
export function parseRequestRef(text: string): number | null {
  const match = /^(?:REF-|#)?(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : null;
}
