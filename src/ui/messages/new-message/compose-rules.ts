// What the new-message form checks before sending, and how the create-thread API's own field errors
// are placed back next to the fields it names.
import { MAX_CONTENT_CHARS as CONTENT_MAX, MAX_TITLE_CHARS as TITLE_MAX } from '@/messaging/limits';
import { ApiError } from '../api';

export type Mode = 'direct' | 'class';
export type Kind = 'announcement' | 'discussion';

/** The create-thread schema's limits, from the one place the domain reads them too. */
export { CONTENT_MAX, TITLE_MAX };

/** The fields the create-thread API names in its validation errors, in the form's order. */
export type Field = 'recipientId' | 'classId' | 'title' | 'kind' | 'content';
export const FIELDS: readonly Field[] = ['recipientId', 'classId', 'title', 'kind', 'content'];
export type FieldErrors = Partial<Record<Field, string>>;

export function firstField(errors: FieldErrors): Field | undefined {
  return FIELDS.find((f) => errors[f]);
}

export function validate(
  mode: Mode,
  isInstructor: boolean,
  v: { hasRecipient: boolean; classId: string; title: string; content: string },
): FieldErrors {
  const errs: FieldErrors = {};
  if (mode === 'direct' && !v.hasRecipient) {
    errs.recipientId = isInstructor ? 'Choose a student.' : 'Choose an instructor.';
  }
  if (mode === 'class') {
    if (!v.classId) errs.classId = 'Choose a class.';
    if (!v.title.trim()) errs.title = 'Give the thread a title.';
    else if (v.title.trim().length > TITLE_MAX) errs.title = `At most ${TITLE_MAX} characters.`;
  }
  if (!v.content.trim()) errs.content = 'Write a message.';
  else if (v.content.trim().length > CONTENT_MAX)
    errs.content = 'A message can be at most 10,000 characters.';
  return errs;
}

/** The API's validation errors by field, and any other message for the alert. */
export function apiFieldErrors(
  err: unknown,
  mode: Mode,
): { fields: FieldErrors; rest: string | null } | null {
  if (!(err instanceof ApiError) || !err.fields) return null;
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const [key, messages] of Object.entries(err.fields)) {
    const message = messages.join(' ');
    const field = FIELDS.find((f) => f === key);
    const shownHere =
      field && (mode === 'direct' ? field === 'recipientId' || field === 'content' : field !== 'recipientId');
    if (field && shownHere) fields[field] = message;
    else rest.push(message);
  }
  if (Object.keys(fields).length === 0) return { fields, rest: rest.join(' ') || err.message };
  return { fields, rest: rest.length ? rest.join(' ') : null };
}
