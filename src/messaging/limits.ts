// The product's limits and vocabularies, declared once and read by the domain, its zod schemas, the
// API declarations and the browser. Plain constants (no zod, no imports) so the UI bundle pays for
// nothing but the numbers.

/** Longest message, in characters (after trimming). */
export const MAX_CONTENT_CHARS = 10_000;
/** At most this many files in one message. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/** Longest CLASS thread title, in characters. */
export const MAX_TITLE_CHARS = 200;
/** Recipients of one "send individually" (or nudge): one action against the send limit. */
export const MAX_BATCH_RECIPIENTS = 100;
/** The fixed set of reactions: one of each per user per message. */
export const REACTION_EMOJI = ['👍', '✅', '❤️', '😂', '❓'] as const;
/** @mentions in one message. */
export const MAX_MENTIONS = 20;

/**
 * Where a thread's unread count stops (the count itself is arithmetic, count-unread.ts). A count
 * equal to the cap means "this many or more" (shown as "999+"); a total is a sum of capped counts,
 * so it is a lower bound once it reaches the cap.
 */
export const UNREAD_COUNT_CAP = 1000;

/** Page sizes: the default, and the most a caller may ask for. */
export const THREAD_PAGE_SIZE = 20;
export const MESSAGE_PAGE_SIZE = 50;
export const RECIPIENT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const MAX_RECIPIENT_PAGE_SIZE = 50;

/** Search: results per page (default and most), the longest query, and searches per user a minute. */
export const SEARCH_PAGE_SIZE = 20;
export const MAX_SEARCH_PAGE_SIZE = 50;
export const MAX_SEARCH_CHARS = 500;
export const SEARCH_RATE_LIMIT_PER_MINUTE = 60;
/**
 * Search results come newest band first: the last 30 days, then the rest of the last year, then
 * older (search-messages.ts). Relevance orders each band.
 */
export const SEARCH_AGE_BANDS_DAYS = [30, 365] as const;
/** The bands' names, newest first: one more than the bounds above. */
export const SEARCH_AGES = ['month', 'year', 'older'] as const;

export const ROLES = ['INSTRUCTOR', 'STUDENT', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const THREAD_TYPES = ['DIRECT', 'CLASS'] as const;
export type ThreadType = (typeof THREAD_TYPES)[number];

/** Which roles may enter each area. ADMIN may act as an instructor. */
export const AREA_ROLES = {
  instructor: ['INSTRUCTOR', 'ADMIN'],
  student: ['STUDENT'],
} as const satisfies Record<string, readonly Role[]>;

export type Area = keyof typeof AREA_ROLES;

/** Where each area's messaging API lives: the guide's instructor routes, and the students'. */
export const AREA_PREFIX: Record<Area, string> = {
  instructor: '/api/instructor/messages',
  student: '/api/user/messages',
};

/** Roles that teach: they enter the instructor area and message as instructors. */
export function isInstructorRole(role: Role): boolean {
  return (AREA_ROLES.instructor as readonly Role[]).includes(role);
}
