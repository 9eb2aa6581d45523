import { ZodError } from 'zod';
import type { FieldErrors } from './domain/request-draft.ts';

/**
 * What to tell a user, in the reference program's words; people are named through `name`, so
 * the services say who without knowing how Slack mentions someone.
 */
export type Sentence = string | ((name: (userId: string) => string) => string);

/** Errors a user can cause; `describe` says what happened. Each case has its own `code`. */
export abstract class RefdeskError extends Error {
  abstract readonly code: string;
  private readonly sentence: Sentence;

  constructor(sentence: Sentence) {
    super(typeof sentence === 'string' ? sentence : sentence((userId) => userId));
    this.sentence = sentence;
  }

  /** The sentence for the user, with every person named by `name` (a mention, in Slack). */
  describe(name: (userId: string) => string): string {
    return typeof this.sentence === 'string' ? this.sentence : this.sentence(name);
  }
}

export class NotFoundError extends RefdeskError {
  readonly code = 'refdesk_not_found';
}

export class NotAllowedError extends RefdeskError {
  readonly code = 'refdesk_not_allowed';
}

/** The request moved on before this click: somebody else decided, or it was cancelled. */
export class AlreadyDecidedError extends RefdeskError {
  readonly code = 'refdesk_already_decided';
}

export class InputError extends RefdeskError {
  readonly code = 'refdesk_input_error';
  constructor(readonly fields: FieldErrors) {
    super(Object.values(fields).join(' '));
  }
}

/** What users and crafted requests cause (our own errors, payloads zod refused), as opposed to bugs and outages. */
export const isExpected = (error: unknown): error is RefdeskError | ZodError =>
  error instanceof RefdeskError || error instanceof ZodError;
