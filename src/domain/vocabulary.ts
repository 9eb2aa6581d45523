/** The reference program's fixed vocabularies: keys are stored, labels are shown. */

export const ACTIVITIES = {
  reference_call: 'Reference call',
  case_study: 'Case study interview',
  video_testimonial: 'Video testimonial',
  quote: 'Quote',
  press_interview: 'Press interview',
  analyst_briefing: 'Analyst briefing',
  speaking: 'Webinar or event talk',
  site_visit: 'Site visit',
  peer_review: 'Peer review',
} as const;
export type Activity = keyof typeof ACTIVITIES;
export const ACTIVITY_KEYS = Object.keys(ACTIVITIES) as [Activity, ...Activity[]];

/** Ordered from most to least senior; the order matters for peer matching. */
export const SENIORITIES = {
  c_level: 'C-level',
  vp: 'VP',
  director: 'Director',
  manager: 'Manager',
  practitioner: 'Practitioner',
} as const;
export type Seniority = keyof typeof SENIORITIES;
export const SENIORITY_KEYS = Object.keys(SENIORITIES) as [Seniority, ...Seniority[]];

export const CONTACT_STATUSES = ['active', 'paused', 'retired'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const OWNER_ANSWERS = {
  agreed: 'They agreed',
  declined: 'They declined',
  cannot_ask: "Can't ask now",
} as const;
export type OwnerAnswer = keyof typeof OWNER_ANSWERS;
/** The owner's answers that leave the ask without the contact: they declined, or could not ask. */
export const OWNER_DECLINES: readonly OwnerAnswer[] = ['declined', 'cannot_ask'];
export const OWNER_ANSWER_KEYS = Object.keys(OWNER_ANSWERS) as [OwnerAnswer, ...OwnerAnswer[]];

export const activityLabel = (key: Activity): string => ACTIVITIES[key];
export const seniorityLabel = (key: Seniority): string => SENIORITIES[key];

/** The activities as a bit set, so the matcher tests "agreed to X" without scanning arrays. */
export const activityBit = (activity: Activity): number => 1 << ACTIVITY_KEYS.indexOf(activity);
export const activityMask = (activities: readonly Activity[]): number =>
  activities.reduce((mask, a) => mask | activityBit(a), 0);

/**
 * The denial reason for asks nobody in the program can serve: such asks count as unmet demand in the
 * coverage gaps (a manager's words may follow it, after a colon).
 */
export const NO_SUITABLE_REFERENCE = 'No suitable reference';
