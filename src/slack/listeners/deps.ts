import type { Logger } from '@slack/bolt';
import { AlreadyDecidedError, InputError, isExpected, RefdeskError } from '../../errors.ts';
import { classify } from '../../jobs/delivery-worker.ts';
import type { ReplicaSync } from '../../jobs/replica-sync.ts';
import type { DirectoryService } from '../../services/directory-service.ts';
import type { ErasureService } from '../../services/erasure.ts';
import type { GapsService } from '../../services/gaps-service.ts';
import type { HomeService } from '../../services/home-service.ts';
import type { LifecycleService } from '../../services/lifecycle-service.ts';
import type { MatchService } from '../../services/match-service.ts';
import type { PipelineQueries } from '../../services/pipeline-queries.ts';
import type { RecruitingService } from '../../services/recruiting-service.ts';
import type { ReportService } from '../../services/report-service.ts';
import type { Actor, RequestUseCases } from '../../services/requests/index.ts';
import type { HomePublisher } from '../home-publisher.ts';
import type { ManagerRoles } from '../manager-roles.ts';
import { mention } from '../mrkdwn.ts';
import type { ReportViewers } from '../report-viewers.ts';
import type { Teams } from '../teams.ts';
import type { UserTimeZones } from '../user-time-zones.ts';

/** What the listeners need; they reach the database only through these services. */
export interface ListenerDeps {
  requests: RequestUseCases;
  directory: DirectoryService;
  matches: MatchService;
  roles: ManagerRoles;
  /** Tells the other replicas what changed (the managers' channel). */
  sync: ReplicaSync;
  timeZones: UserTimeZones;
  lifecycle: LifecycleService;
  homes: HomeService;
  homePublisher: HomePublisher;
  erasure: ErasureService;
  /** Coverage gaps: the pipeline's segments held against the references that could serve them. */
  gaps: GapsService;
  /** The imported pipeline, as the request form offers a rep's open deals. */
  pipeline: PipelineQueries;
  /** Recruiting drives: from a gap, account owners are asked to nominate the references it needs. */
  recruiting: RecruitingService;
  /** The program report, and who may see it (managers and REPORT_VIEWERS). */
  reports: { service: ReportService; viewers: ReportViewers; teams: Teams };
  logger: Logger;
  now: () => Date;
}

export const ROLE_UNKNOWN =
  "I couldn't check whether you are a reference manager just now. Please try again in a minute.";

/** The clicker with their role, checked on the server; null when Slack could not tell us. */
export async function actorOf(deps: ListenerDeps, userId: string): Promise<Actor | null> {
  try {
    return { id: userId, isManager: await deps.roles.isManager(userId) };
  } catch {
    return null;
  }
}

/**
 * Logs a failure at its level. A user's mistake or a crafted request is one line (info or warn) with
 * no stack: nothing to fix in refdesk. Anything else is an error with its stack.
 */
export function logFailure(logger: Logger, what: string, error: unknown): void {
  const slack = slackTrouble(error);
  if (slack) return void logger.warn(`${what} failed: Slack ${slack}`);
  if (!isExpected(error)) return void logger.error(`${what} failed`, error);
  const reason =
    error instanceof RefdeskError
      ? `${error.code}: ${error.message}`
      : error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
  const line = `${what} refused: ${reason.replace(/\s+/g, ' ')}`;
  if (error instanceof InputError || error instanceof AlreadyDecidedError) logger.info(line);
  else logger.warn(line);
}

/**
 * What Slack said when a call failed because Slack had trouble (a 429, a 5xx, a dropped or timed-out
 * connection, a trigger that expired meanwhile), or null: that is nothing to fix in refdesk, so it needs no
 * stack. Any other Slack error (invalid_blocks, missing_scope...) is refdesk's to fix and logs as one.
 */
function slackTrouble(error: unknown): string | null {
  const e = error as { code?: unknown; data?: { error?: string }; statusCode?: number; retryAfter?: number };
  if (typeof e.code !== 'string' || !e.code.startsWith('slack_webapi_')) return null;
  if (!classify(error).retry && e.data?.error !== 'expired_trigger_id') return null;
  if (e.retryAfter !== undefined) return `asked to wait ${e.retryAfter} s (rate limited)`;
  if (e.data?.error) return `answered ${e.data.error}`;
  if (e.statusCode !== undefined) return `answered HTTP ${e.statusCode}`;
  return `could not be reached: ${(error as Error).message}`;
}

/** The text to show a user for an error: ours say what happened; anything else is a generic apology. */
export function errorText(deps: ListenerDeps, error: unknown, what: string): string {
  logFailure(deps.logger, what, error);
  if (error instanceof RefdeskError) return error.describe(mention);
  return `Sorry, something went wrong while ${what}. Nothing was changed; please try again.`;
}
