import { ZodError } from 'zod';
import type { FieldErrors } from './domain/request-draft.ts';

/** Errors a user can cause; `message` is safe to show them. Each case has its own `code`. */
export abstract class RefdeskError extends Error {
  abstract readonly code: string;
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
