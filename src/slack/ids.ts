/** Every callback_id, block_id and action_id refdesk uses, shared by the builders and the listeners. */

export const COMMAND = '/reference';

/** The fields of the "Request a reference" modal: draft field -> block and action id. */
export const REQUEST_FIELDS = {
  prospect: { block: 'prospect', action: 'prospect_input' },
  opportunity: { block: 'opportunity', action: 'opportunity_input' },
  amount: { block: 'amount', action: 'amount_input' },
  industry: { block: 'industry', action: 'industry_select' },
  products: { block: 'products', action: 'products_select' },
  region: { block: 'region', action: 'region_select' },
  companySize: { block: 'company_size', action: 'company_size_select' },
  seniority: { block: 'seniority', action: 'seniority_select' },
  activity: { block: 'activity', action: 'activity_select' },
  neededBy: { block: 'needed_by', action: 'needed_by_date' },
  context: { block: 'context', action: 'context_input' },
  preferredContactId: { block: 'preferred_contact', action: 'contact_select' },
} as const;

export const APPROVE_FIELDS = {
  contact: { block: 'contact', action: 'contact_select' },
  note: { block: 'note', action: 'note_input' },
  overrideReason: { block: 'override', action: 'override_input' },
} as const;

export const DENY_FIELDS = {
  reason: { block: 'reason', action: 'reason_input' },
  noSuitableReference: { block: 'no_suitable_reference', action: 'no_suitable_reference_check' },
} as const;

export const VIEWS = {
  request: 'reference_request',
  approve: 'approve_request',
  deny: 'deny_request',
  contactsHome: 'contacts_home',
  contactPage: 'contact_page',
  contactForm: 'contact_form',
  pauseContact: 'pause_contact',
  declineNomination: 'decline_nomination',
  outcome: 'reference_outcome',
  notHeld: 'reference_not_held',
  followupDate: 'followup_date',
  deal: 'deal_result',
  report: 'program_report',
  gaps: 'coverage_gaps',
  recruit: 'recruiting_drive',
} as const;

/** The program report's period picker: a choice (it dispatches, so a change re-renders), and two dates. */
export const REPORT_FIELDS = {
  period: { block: 'report_period', action: 'report_period_select' },
  from: { block: 'report_from', action: 'report_from_date' },
  to: { block: 'report_to', action: 'report_to_date' },
  activity: { block: 'report_activity', action: 'report_activity_select' },
  industry: { block: 'report_industry', action: 'report_industry_select' },
  product: { block: 'report_product', action: 'report_product_select' },
  region: { block: 'report_region', action: 'report_region_select' },
  team: { block: 'report_team', action: 'report_team_select' },
} as const;

/** The report's filters, in the order the modal shows them. */
export const REPORT_FILTERS = ['activity', 'industry', 'product', 'region', 'team'] as const;
export type ReportFilterField = (typeof REPORT_FILTERS)[number];

export const ACTIONS = {
  findMatches: 'find_matches',
  chooseMatch: 'choose_match',
  chooseContact: 'choose_contact',
  addContact: 'add_contact',
  editContact: 'edit_contact',
  pauseContact: 'pause_contact',
  resumeContact: 'resume_contact',
  retireContact: 'retire_contact',
  acceptNomination: 'accept_nomination',
  declineNomination: 'decline_nomination',
  approve: 'approve_request',
  deny: 'deny_request',
  ownerAgreed: 'owner_agreed',
  ownerDeclined: 'owner_declined',
  ownerCannotAsk: 'owner_cannot_ask',
  snoozeReminder: 'snooze_reminder',
  outcomeYes: 'outcome_yes',
  outcomeNo: 'outcome_no',
  followupLater: 'followup_later',
  recordDeal: 'record_deal',
  cancelRequest: 'cancel_request',
  recruit: 'recruit',
  recruitNominate: 'recruit_nominate',
  recruitNoOneFits: 'recruit_no_one_fits',
  closeDrive: 'close_drive',
} as const;

/** The recruiting drive's form: the segment (from the gap), seniority, activity, how many. */
export const RECRUIT_FIELDS = {
  industry: { block: 'recruit_industry', action: 'recruit_industry_input' },
  product: { block: 'recruit_product', action: 'recruit_product_input' },
  region: { block: 'recruit_region', action: 'recruit_region_input' },
  companySize: { block: 'recruit_company_size', action: 'recruit_company_size_input' },
  seniority: { block: 'recruit_seniority', action: 'recruit_seniority_select' },
  activity: { block: 'recruit_activity', action: 'recruit_activity_select' },
  wanted: { block: 'recruit_wanted', action: 'recruit_wanted_input' },
} as const;

/** The typeahead over active contacts, in every modal that picks a contact. */
export const CONTACT_SELECT = 'contact_select';
/** The directory's own search in `/reference contacts`: every contact, whatever their status. */
export const DIRECTORY_SEARCH = 'directory_search';

export const BLOCKS = {
  decision: 'decision',
  nomination: 'nomination',
  ownerAnswer: 'owner_answer',
} as const;

/**
 * A block id with a version: Slack keeps what the user entered in a block across view updates,
 * so refdesk changes the id when it means to set the value itself. Readers strip the suffix.
 */
export const versioned = (blockId: string, version: number): string =>
  version === 0 ? blockId : `${blockId}~${version}`;
export const unversioned = (blockId: string): string => blockId.split('~')[0]!;

/** Keys under which posted messages are remembered, to update them in place later. */
export const messageKey = {
  card: (requestId: number) => `card:${requestId}`,
  nomination: (nominationId: number) => `nomination:${nominationId}`,
  nudge: (askId: number) => `nudge:${askId}`,
  drive: (driveId: number) => `drive:${driveId}`,
  recruit: (driveId: number, ownerId: string) => `recruit:${driveId}:${ownerId}`,
};
