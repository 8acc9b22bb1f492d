// Pure access predicates: given facts already loaded from the database, may this actor do this?
// Each refusal has a string code, so an API client (and the UI) can say why before anyone types.
import { isInstructorRole, type Role, type ThreadType } from './limits';

export type TPostBlockedReason =
  /** A student in a CLASS announcement thread: only instructors post. */
  | 'ANNOUNCEMENT_READ_ONLY'
  /** A DIRECT thread whose two people no longer share a current class. */
  | 'NO_SHARED_CLASS';

export const POST_BLOCKED_REASONS = [
  'ANNOUNCEMENT_READ_ONLY',
  'NO_SHARED_CLASS',
] as const satisfies readonly TPostBlockedReason[];

export interface TThreadFacts {
  type: ThreadType;
  createdById: string;
  studentsCanReply: boolean;
}

export interface TActorFacts {
  id: string;
  role: Role;
  /** The actor teaches the thread's class (CLASS threads). */
  teachesClass: boolean;
  /** The actor is a primary instructor of the thread's class (CLASS threads). */
  isPrimaryInstructor: boolean;
  /** DIRECT threads: the two people still share a class, one teaching and one enrolled. */
  sharesClass: boolean;
}

/** Why the actor may not post to a thread they can see, or null when they may. */
export function postBlockedReason(thread: TThreadFacts, actor: TActorFacts): TPostBlockedReason | null {
  if (thread.type === 'DIRECT') return actor.sharesClass ? null : 'NO_SHARED_CLASS';
  if (actor.teachesClass) return null;
  return thread.studentsCanReply ? null : 'ANNOUNCEMENT_READ_ONLY';
}

/** The creator of a CLASS thread may rename it; DIRECT threads are named after the other person. */
export function canRename(thread: TThreadFacts, actor: Pick<TActorFacts, 'id'>): boolean {
  return thread.type === 'CLASS' && thread.createdById === actor.id;
}

export function canEditMessage(message: { senderId: string }, actor: Pick<TActorFacts, 'id'>): boolean {
  return message.senderId === actor.id;
}

/** Authors delete their own messages; a primary instructor moderates their class threads. */
export function canDeleteMessage(
  thread: TThreadFacts,
  message: { senderId: string },
  actor: TActorFacts,
): boolean {
  if (message.senderId === actor.id) return true;
  return thread.type === 'CLASS' && actor.isPrimaryInstructor;
}

/**
 * Who may open a DIRECT thread with whom: an instructor with a student enrolled in one of their
 * classes, or a student with an instructor of one of their classes. `sharesClass` is that fact.
 */
export function canStartDirect(
  actor: { id: string; role: Role },
  recipient: { id: string; role: Role },
  sharesClass: boolean,
): boolean {
  if (actor.id === recipient.id) return false;
  const pair = [isInstructorRole(actor.role), isInstructorRole(recipient.role)];
  // Exactly one instructor and one student.
  if (pair[0] === pair[1]) return false;
  return sharesClass;
}

/** The stable key that makes a pair's DIRECT thread unique. */
export function directKeyFor(a: string, b: string): string {
  return [a, b].sort().join(':');
}
