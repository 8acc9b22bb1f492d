// Every refusal the messaging domain can answer with, declared once: its code, HTTP status, the
// sentence shown to the user, and when it happens (for the OpenAPI document). Use cases throw
// `domainError(name)`; the API declarations list the same entries, so the two cannot drift.
import { AppError, type AppErrorOptions } from '@/platform/errors';

export interface TDomainError {
  code: string;
  status: number;
  message: string;
  /** When a caller meets it, as the API documentation says. */
  when: string;
}

export const DOMAIN_ERRORS = {
  THREAD_NOT_FOUND: {
    code: 'NOT_FOUND',
    status: 404,
    message: 'This conversation does not exist or you do not have access to it.',
    when: 'the thread does not exist or the caller is not in it',
  },
  MESSAGE_NOT_FOUND: {
    code: 'NOT_FOUND',
    status: 404,
    message: 'This message does not exist or you do not have access to it.',
    when: 'the message does not exist or is not visible',
  },
  ATTACHMENT_NOT_FOUND: {
    code: 'NOT_FOUND',
    status: 404,
    message: 'This file does not exist, is not yours, or is already in a message. Upload it again.',
    when: 'an attachment id that is not the caller’s own unattached upload',
  },
  BATCH_NOT_FOUND: {
    code: 'NOT_FOUND',
    status: 404,
    message: 'This send does not exist or is not yours.',
    when: 'the batch does not exist or someone else sent it',
  },
  SCHEDULED_NOT_FOUND: {
    code: 'NOT_FOUND',
    status: 404,
    message: 'This scheduled message does not exist or is not yours.',
    when: 'the scheduled message does not exist or someone else scheduled it',
  },
  SCHEDULE_CLOSED: {
    code: 'SCHEDULE_CLOSED',
    status: 409,
    message: 'This message has already been sent or cancelled, so it can no longer be changed.',
    when: 'editing or cancelling a scheduled message that was sent, failed or cancelled',
  },
  CLASS_NOT_FOUND: {
    code: 'NOT_FOUND',
    status: 404,
    message: 'This class does not exist or you do not teach it.',
    when: 'the class does not exist or you do not teach it',
  },
  ANNOUNCEMENT_READ_ONLY: {
    code: 'ANNOUNCEMENT_READ_ONLY',
    status: 403,
    message: 'This is an announcement thread: only instructors can post here.',
    when: 'a student posts to an announcement',
  },
  NO_SHARED_CLASS: {
    code: 'NO_SHARED_CLASS',
    status: 403,
    message: 'You can no longer reply here: you are not in a class together any more.',
    when: 'a DIRECT pair no longer shares a class',
  },
  RECIPIENT_NOT_ALLOWED: {
    code: 'RECIPIENT_NOT_ALLOWED',
    status: 403,
    message: 'You can message the students of your classes, and students can message their instructors.',
    when: 'the recipient is not a student/instructor of yours',
  },
  NOT_PRIMARY_INSTRUCTOR: {
    code: 'NOT_PRIMARY_INSTRUCTOR',
    status: 403,
    message: 'Only the primary instructor of this class can start a class thread.',
    when: 'you teach the class but are not its primary instructor',
  },
  NOT_THREAD_CREATOR: {
    code: 'NOT_THREAD_CREATOR',
    status: 403,
    message: 'Only the person who started this thread can rename it.',
    when: 'renaming a thread you did not start',
  },
  NOT_AUTHOR: {
    code: 'NOT_AUTHOR',
    status: 403,
    message: 'You can only change your own messages.',
    when: 'the message is someone else’s',
  },
  MESSAGE_DELETED: {
    code: 'MESSAGE_DELETED',
    status: 409,
    message: 'This message was deleted and can no longer be edited.',
    when: 'the message was deleted',
  },
  IDEMPOTENCY_KEY_REUSED: {
    code: 'IDEMPOTENCY_KEY_REUSED',
    status: 409,
    message: 'This clientMessageId was already used for a message in another conversation.',
    when: 'the clientMessageId belongs to another thread',
  },
  RATE_LIMITED: {
    code: 'RATE_LIMITED',
    status: 429,
    message: 'Too many messages sent',
    when: 'more messages in a minute than the send limit, 30 by default (Retry-After)',
  },
  SEARCH_RATE_LIMITED: {
    code: 'RATE_LIMITED',
    status: 429,
    message: 'Too many searches. Wait a moment and try again.',
    when: 'more than 60 searches in a minute (Retry-After)',
  },
} as const satisfies Record<string, TDomainError>;

export type TDomainErrorName = keyof typeof DOMAIN_ERRORS;

/** The AppError of a table entry; `message` may say more precisely what happened. */
export function domainError(
  name: TDomainErrorName,
  options: AppErrorOptions & { message?: string } = {},
): AppError {
  const { code, status, message } = DOMAIN_ERRORS[name];
  return new AppError(code, options.message ?? message, { status, ...options });
}
