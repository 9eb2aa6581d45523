/**
 * The state machine of a reference request. Every state change goes through `nextStatus`,
 * so a click that does not fit the current state is refused in one place.
 */

export const REQUEST_STATUSES = {
  submitted: 'Waiting for a reference manager',
  awaiting_owner: 'Approved, waiting for the account owner',
  agreed: 'Contact agreed',
  completed: 'Done: the reference happened',
  not_held: 'Did not happen',
  denied: 'Denied',
  cancelled: 'Cancelled',
  expired: 'Expired: the needed-by date passed',
} as const;
export type RequestStatus = keyof typeof REQUEST_STATUSES;
export const REQUEST_STATUS_KEYS = Object.keys(REQUEST_STATUSES) as [RequestStatus, ...RequestStatus[]];

export type RequestAction =
  | 'approve'
  | 'deny'
  | 'owner_agreed'
  | 'owner_declined'
  | 'owner_cannot_ask'
  | 'cancel'
  | 'expire'
  | 'held'
  | 'not_held';

const transitions: Record<RequestStatus, Partial<Record<RequestAction, RequestStatus>>> = {
  submitted: { approve: 'awaiting_owner', deny: 'denied', cancel: 'cancelled', expire: 'expired' },
  awaiting_owner: {
    owner_agreed: 'agreed',
    // The owner could not secure this contact: the managers pick another one.
    owner_declined: 'submitted',
    owner_cannot_ask: 'submitted',
    cancel: 'cancelled',
    expire: 'expired',
  },
  // Agreed is open until the rep says whether the reference happened.
  agreed: { held: 'completed', not_held: 'not_held', cancel: 'cancelled' },
  completed: {},
  not_held: {},
  denied: {},
  cancelled: {},
  expired: {},
};

export function nextStatus(from: RequestStatus, action: RequestAction): RequestStatus | null {
  return transitions[from][action] ?? null;
}

export const isFinished = (status: RequestStatus): boolean => Object.keys(transitions[status]).length === 0;

export const statusLabel = (status: RequestStatus): string => REQUEST_STATUSES[status];

/** What happens next, in the words of the rep who asked. */
export function nextStep(status: RequestStatus): string {
  switch (status) {
    case 'submitted':
      return 'A reference manager picks a contact or declines';
    case 'awaiting_owner':
      return 'The account owner asks the contact';
    case 'agreed':
      return 'Reach out to the contact, then tell refdesk whether it happened';
    case 'completed':
      return 'Record the deal result when you know it';
    case 'not_held':
    case 'denied':
    case 'cancelled':
    case 'expired':
      return 'Nothing: this ask is closed';
  }
}
