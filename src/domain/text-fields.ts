import { z } from 'zod';
import { hasVisibleText } from './visible-text.ts';

/** Text with nothing visible in it (blank, spaces, zero-width characters) counts as not given. */
export const blankToNull = (value: unknown) =>
  typeof value === 'string' && !hasVisibleText(value) ? null : value;

/** Optional free text, trimmed, at most `max` characters; not given is null. */
export const optionalText = (max: number) =>
  z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .max(max, `Keep it under ${max} characters.`)
      .nullish()
      .transform((v) => v ?? null),
  );

/** Required free text, trimmed, at most `max` characters; `missing` says what to enter. */
export const requiredText = (max: number, missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .refine(hasVisibleText, missing)
    .max(max, `Keep it under ${max} characters.`);
