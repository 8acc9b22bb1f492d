// Input shapes shared by the use cases: ids, message content and the client's idempotency key.
import { z } from 'zod';

import { textProblem } from '@/platform/text';
import { MAX_CONTENT_CHARS } from './limits';

export { MAX_CONTENT_CHARS };

/** Ids are opaque (UUIDs today); one that names nothing simply finds nothing (404). */
export const ZId = z
  .string()
  .trim()
  .min(1, 'Required.')
  .max(64, 'Too long for an id.')
  .regex(/^[A-Za-z0-9_-]+$/, 'Not a valid id.');

/**
 * Text is stored exactly as sent, or refused. PostgreSQL text cannot hold U+0000, and a lone UTF-16
 * surrogate (JSON allows "\ud800") would be rewritten to U+FFFD on the way in: both are bad input,
 * answered with VALIDATION_FAILED naming the field, never silently changed.
 */
export function validText<T extends z.ZodString>(schema: T) {
  return schema.superRefine((v, ctx) => {
    const problem = textProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

export const ZContent = validText(
  z
    .string({ error: 'Write a message.' })
    .trim()
    .min(1, 'Write a message.')
    .max(MAX_CONTENT_CHARS, 'A message can be at most 10,000 characters.'),
);

/** Message text that may be empty (a message that carries files). */
export const ZMessageText = validText(
  z
    .string({ error: 'Write a message.' })
    .trim()
    .max(MAX_CONTENT_CHARS, 'A message can be at most 10,000 characters.'),
);

/** The sender's idempotency key: a retry carrying the same key returns the original message. */
export const ZClientMessageId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, 'Use letters, digits and . _ : - only.');

/** Query-string booleans: `true`/`1` and `false`/`0`. */
export const ZBooleanParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
