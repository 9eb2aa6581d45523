import { existsSync } from 'node:fs';
import { z } from 'zod';
import { validZone } from './domain/dates.ts';
import { DEFAULT_DIGEST_SCHEDULE, type DigestSchedule } from './domain/digest-schedule.ts';
import { DEFAULT_RULES, type ProgramRules } from './domain/program-rules.ts';
import { DEFAULT_LIFECYCLE, type LifecyclePolicy } from './domain/schedule.ts';

/** Thrown when the environment cannot run refdesk; `message` is one line meant for the operator. */
export class ConfigError extends Error {
  readonly code = 'refdesk_config_error';
}

const slackId = (prefixes: string, example: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^[${prefixes}][A-Z0-9]{2,}$`), `a Slack id such as ${example}`);

const databaseSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    // A path, sqlite:/file: path, or postgres URL; any other scheme (mysql://, a typo) is refused.
    .refine((url) => /^(sqlite:|file:|postgres(ql)?:\/\/)/.test(url) || !/^[a-z][\w+.-]*:/i.test(url))
    .default('sqlite:./data/refdesk.sqlite'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
});

/** A comma- or space-separated list of user (U...) and user group (S...) ids. */
const usersAndGroups = z
  .string()
  .trim()
  .optional()
  .transform((raw) => (raw ? raw.split(/[\s,]+/).filter(Boolean) : []))
  .pipe(z.array(slackId('UWS', 'U0123ABCD or S0123ABCD')));

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const numberInRange = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const botSchema = databaseSchema.extend({
  SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: z.string().trim().min(8, 'the signing secret from Basic Information').optional(),
  SLACK_APP_TOKEN: z.string().trim().startsWith('xapp-', 'an app-level token starting with xapp-').optional(),
  SLACK_API_URL: z
    .url('an https URL ending in /api/')
    .transform((url) => (url.endsWith('/') ? url : `${url}/`))
    .optional(),
  PORT: numberInRange(0, 65535, 3000),
  REFERENCE_MANAGERS_CHANNEL: slackId('CG', 'C0123ABCD'),
  REFERENCE_MANAGERS: usersAndGroups,
  REPORT_VIEWERS: usersAndGroups,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  RULES_WINDOW_DAYS: numberInRange(1, 3650, DEFAULT_RULES.windowDays),
  RULES_MAX_ASKS_PER_CONTACT: numberInRange(1, 1000, DEFAULT_RULES.maxAsksPerContact),
  RULES_MIN_DAYS_BETWEEN_ASKS: numberInRange(0, 3650, DEFAULT_RULES.minDaysBetweenAsks),
  RULES_MAX_OPEN_ASKS_PER_CONTACT: numberInRange(1, 1000, DEFAULT_RULES.maxOpenAsksPerContact),
  RULES_MAX_ASKS_PER_ACCOUNT: z.coerce.number().int().min(1).max(100000).optional(),
  REMINDER_BUSINESS_DAYS: numberInRange(1, 30, DEFAULT_LIFECYCLE.reminderBusinessDays),
  MAX_REMINDERS: numberInRange(0, 10, DEFAULT_LIFECYCLE.maxReminders),
  SNOOZE_BUSINESS_DAYS: numberInRange(1, 30, DEFAULT_LIFECYCLE.snoozeBusinessDays),
  FOLLOWUP_HOUR: numberInRange(0, 23, DEFAULT_LIFECYCLE.followupHour),
  LIFECYCLE_INTERVAL_SECONDS: numberInRange(1, 3600, 60),
  DELIVERY_TIMEOUT_SECONDS: numberInRange(1, 60, 5),
  OUTBOX_RETENTION_DAYS: numberInRange(1, 3650, 30),
  DIGEST_ENABLED: z.enum(['true', 'false']).default('true'),
  DIGEST_DAY: z.string().trim().toLowerCase().pipe(z.enum(WEEKDAYS)).default('monday'),
  DIGEST_HOUR: numberInRange(0, 23, DEFAULT_DIGEST_SCHEDULE.hour),
  DIGEST_TIME_ZONE: z
    .string()
    .trim()
    .refine((zone) => validZone(zone) === zone)
    .default('UTC'),
  DATA_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).optional(),
  PIPELINE_CURRENCY: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
});

const explanations: Record<string, string> = {
  SLACK_BOT_TOKEN: 'the Bot User OAuth Token from OAuth & Permissions (xoxb-...)',
  SLACK_SIGNING_SECRET: 'the Signing Secret from Basic Information (needed in HTTP mode)',
  SLACK_APP_TOKEN: 'an app-level token with connections:write (xapp-...), or leave it unset for HTTP mode',
  SLACK_API_URL: 'the Web API base URL, e.g. https://slack.com/api/, or leave it unset',
  PORT: 'the HTTP port, a number from 0 to 65535',
  DATABASE_URL: 'a SQLite path such as sqlite:./data/refdesk.sqlite or a postgres:// URL',
  DATABASE_POOL_SIZE: 'the most PostgreSQL connections one refdesk process opens, 1 to 100 (default 10)',
  REFERENCE_MANAGERS_CHANNEL: "the channel id of the reference managers' queue, e.g. C0123ABCD",
  REFERENCE_MANAGERS:
    'a comma-separated list of user ids (U...) and user group ids (S...), or leave it unset',
  REPORT_VIEWERS:
    'a comma-separated list of user ids (U...) and user group ids (S...) who may see the program report besides the managers, or leave it unset',
  LOG_LEVEL: 'one of debug, info, warn, error',
  RULES_WINDOW_DAYS: 'the number of days the ask limits look back over (default 90)',
  RULES_MAX_ASKS_PER_CONTACT: 'the most asks per contact within the window (default 3)',
  RULES_MIN_DAYS_BETWEEN_ASKS:
    'the fewest days between two asks to one contact, at most the window (default 14)',
  RULES_MAX_OPEN_ASKS_PER_CONTACT: 'the most open asks per contact at a time (default 1)',
  RULES_MAX_ASKS_PER_ACCOUNT: 'the most asks per account within the window, or leave it unset for no cap',
  REMINDER_BUSINESS_DAYS: 'business days an account owner has before each reminder (default 2)',
  MAX_REMINDERS: 'reminders before the managers are told (default 2)',
  SNOOZE_BUSINESS_DAYS: 'business days "Remind me later" waits (default 2)',
  FOLLOWUP_HOUR: 'the local hour (0-23) reps are asked "Did it happen?" (default 9)',
  LIFECYCLE_INTERVAL_SECONDS:
    'how often refdesk looks for due reminders, expiries and follow-ups (default 60)',
  DELIVERY_TIMEOUT_SECONDS: 'how long one Web API call of a message delivery may take, 1 to 60 (default 5)',
  OUTBOX_RETENTION_DAYS: 'days sent messages and handled event ids are kept, 1 to 3650 (default 30)',
  DIGEST_ENABLED: "true (default) or false, whether the weekly digest goes to the managers' channel",
  DIGEST_DAY: 'the weekday the digest goes out, monday (default) to sunday',
  DIGEST_HOUR: 'the hour (0-23) the digest goes out, in DIGEST_TIME_ZONE (default 9)',
  DIGEST_TIME_ZONE: "an IANA time zone such as Europe/Berlin for the digest's day and hour (default UTC)",
  DATA_RETENTION_DAYS:
    'days finished asks are kept before their people are erased, or leave it unset to keep them',
  PIPELINE_CURRENCY:
    'the 3-letter currency code (e.g. EUR) of pipeline rows without a currency column (default USD)',
};

export interface DatabaseConfig {
  readonly databaseUrl: string;
  /** The most connections to PostgreSQL per process (SQLite uses one). */
  readonly databasePoolSize: number;
}

export interface Config extends DatabaseConfig {
  readonly botToken: string;
  readonly signingSecret: string | undefined;
  readonly appToken: string | undefined;
  readonly slackApiUrl: string | undefined;
  readonly port: number;
  readonly managersChannel: string;
  readonly managers: readonly string[];
  /** Users and user groups who may see the program report besides the managers. */
  readonly reportViewers: readonly string[];
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly rules: ProgramRules;
  readonly lifecycle: LifecyclePolicy;
  readonly lifecycleIntervalMs: number;
  /** How long one Web API call of a delivery may take before it counts as failed (and is retried). */
  readonly deliveryTimeoutMs: number;
  /** Sent outbox rows and handled event ids older than this are pruned. */
  readonly outboxRetentionDays: number;
  /** When the weekly digest goes to the managers' channel; null when DIGEST_ENABLED=false. */
  readonly digest: DigestSchedule | null;
  /** Finished asks older than this are erased (their people anonymised); null keeps them. */
  readonly dataRetentionDays: number | null;
  /** The currency of an imported opportunity whose row gives none (amounts are never converted). */
  readonly pipelineCurrency: string;
}

export type Env = Record<string, string | undefined>;

/** Loads `.env` into process.env when present; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

function parse<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  // Blank values count as unset, as in most .env files.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? '');
  const missing = cleaned[name] === undefined;
  const wanted = explanations[name] ?? issue.message;
  throw new ConfigError(`${name} is ${missing ? 'missing' : 'invalid'}: set it to ${wanted}`);
}

export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const raw = parse(databaseSchema, env);
  return Object.freeze({ databaseUrl: raw.DATABASE_URL, databasePoolSize: raw.DATABASE_POOL_SIZE });
}

export function loadConfig(env: Env = process.env): Config {
  const raw = parse(botSchema, env);
  if (!raw.SLACK_APP_TOKEN && !raw.SLACK_SIGNING_SECRET) {
    throw new ConfigError(`SLACK_SIGNING_SECRET is missing: set it to ${explanations.SLACK_SIGNING_SECRET}`);
  }
  if (raw.RULES_MIN_DAYS_BETWEEN_ASKS > raw.RULES_WINDOW_DAYS) {
    throw new ConfigError(
      `RULES_MIN_DAYS_BETWEEN_ASKS is invalid: set it to ${explanations.RULES_MIN_DAYS_BETWEEN_ASKS}`,
    );
  }
  return Object.freeze({
    databaseUrl: raw.DATABASE_URL,
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    botToken: raw.SLACK_BOT_TOKEN,
    signingSecret: raw.SLACK_SIGNING_SECRET,
    appToken: raw.SLACK_APP_TOKEN,
    slackApiUrl: raw.SLACK_API_URL,
    port: raw.PORT,
    managersChannel: raw.REFERENCE_MANAGERS_CHANNEL,
    managers: Object.freeze([...raw.REFERENCE_MANAGERS]),
    reportViewers: Object.freeze([...raw.REPORT_VIEWERS]),
    logLevel: raw.LOG_LEVEL,
    lifecycle: Object.freeze({
      reminderBusinessDays: raw.REMINDER_BUSINESS_DAYS,
      maxReminders: raw.MAX_REMINDERS,
      snoozeBusinessDays: raw.SNOOZE_BUSINESS_DAYS,
      followupHour: raw.FOLLOWUP_HOUR,
    }),
    lifecycleIntervalMs: raw.LIFECYCLE_INTERVAL_SECONDS * 1000,
    deliveryTimeoutMs: raw.DELIVERY_TIMEOUT_SECONDS * 1000,
    outboxRetentionDays: raw.OUTBOX_RETENTION_DAYS,
    digest:
      raw.DIGEST_ENABLED === 'true'
        ? Object.freeze({
            day: WEEKDAYS.indexOf(raw.DIGEST_DAY) + 1,
            hour: raw.DIGEST_HOUR,
            timeZone: raw.DIGEST_TIME_ZONE,
          })
        : null,
    dataRetentionDays: raw.DATA_RETENTION_DAYS ?? null,
    pipelineCurrency: raw.PIPELINE_CURRENCY,
    rules: rulesOf(raw),
  });
}

const RULE_KEYS = {
  RULES_WINDOW_DAYS: true,
  RULES_MAX_ASKS_PER_CONTACT: true,
  RULES_MIN_DAYS_BETWEEN_ASKS: true,
  RULES_MAX_OPEN_ASKS_PER_CONTACT: true,
  RULES_MAX_ASKS_PER_ACCOUNT: true,
} as const;
const rulesSchema = botSchema.pick(RULE_KEYS);

function rulesOf(raw: z.infer<typeof rulesSchema>): ProgramRules {
  return Object.freeze({
    windowDays: raw.RULES_WINDOW_DAYS,
    maxAsksPerContact: raw.RULES_MAX_ASKS_PER_CONTACT,
    minDaysBetweenAsks: raw.RULES_MIN_DAYS_BETWEEN_ASKS,
    maxOpenAsksPerContact: raw.RULES_MAX_OPEN_ASKS_PER_CONTACT,
    maxAsksPerAccount: raw.RULES_MAX_ASKS_PER_ACCOUNT ?? null,
  });
}

/** The program rules alone (the command line's reports need them, not Slack's tokens). */
export function loadRules(env: Env = process.env): ProgramRules {
  return rulesOf(parse(rulesSchema, env));
}

const digestZoneSchema = botSchema.pick({ DIGEST_TIME_ZONE: true });

/** The digest's time zone alone: `digest --now` names its week by the day there, as the scheduled one does. */
export function loadDigestTimeZone(env: Env = process.env): string {
  return parse(digestZoneSchema, env).DIGEST_TIME_ZONE;
}

const pipelineSchema = botSchema.pick({ PIPELINE_CURRENCY: true });

/** The pipeline's default currency alone (the command line's pipeline import needs it, not Slack's tokens). */
export function loadPipelineCurrency(env: Env = process.env): string {
  return parse(pipelineSchema, env).PIPELINE_CURRENCY;
}
