import { z } from 'zod';
import { unversioned } from './ids.ts';

/** Parsing of what Slack sends back: view state, button values, private_metadata. Never trusted. */

const optionSchema = z.object({ value: z.string() }).loose();

const elementStateSchema = z
  .object({
    type: z.string().optional(),
    value: z.string().nullish(),
    selected_option: optionSchema.nullish(),
    selected_options: z.array(optionSchema).nullish(),
    selected_date: z.string().nullish(),
    selected_user: z.string().nullish(),
  })
  .loose();

export const viewStateSchema = z.record(z.string(), z.record(z.string(), elementStateSchema));
export type ViewState = z.infer<typeof viewStateSchema>;

/** The view's state keyed by block id without its version suffix (see `versioned`). */
export function parseViewState(values: unknown): ViewState {
  const parsed = viewStateSchema.safeParse(values ?? {});
  if (!parsed.success) return {};
  return Object.fromEntries(Object.entries(parsed.data).map(([block, v]) => [unversioned(block), v]));
}

type FieldId = { block: string; action: string };

/** The single value of an input: typed text, the picked option, date or user; null when empty. */
export function fieldValue(state: ViewState, id: FieldId): string | null {
  const element = state[id.block]?.[id.action];
  if (!element) return null;
  return (
    element.value ?? element.selected_option?.value ?? element.selected_date ?? element.selected_user ?? null
  );
}

/** The values of a multi-select; empty when nothing is picked. */
export function fieldValues(state: ViewState, id: FieldId): string[] {
  return state[id.block]?.[id.action]?.selected_options?.map((o) => o.value) ?? [];
}

/** Parses JSON that refdesk itself put in a button value or private_metadata; null when tampered with. */
export function parseJson<S extends z.ZodType>(schema: S, raw: string | undefined): z.infer<S> | null {
  if (!raw) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const requestButtonSchema = z.object({ requestId: z.number().int().positive() });
export const askButtonSchema = z.object({ askId: z.number().int().positive() });
