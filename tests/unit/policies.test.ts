// The pure access predicates of messaging: who may post, delete, edit, rename and start a DIRECT thread.
import { describe, expect, it } from 'vitest';
import { isInstructorRole } from '@/auth/session';
import {
  canDeleteMessage,
  canEditMessage,
  canRename,
  canStartDirect,
  directKeyFor,
  postBlockedReason,
  type TActorFacts,
  type TThreadFacts,
} from '@/messaging/policies';

const announcement: TThreadFacts = { type: 'CLASS', createdById: 'teacher', studentsCanReply: false };
const discussion: TThreadFacts = { type: 'CLASS', createdById: 'teacher', studentsCanReply: true };
const direct: TThreadFacts = { type: 'DIRECT', createdById: 'teacher', studentsCanReply: true };

function actor(overrides: Partial<TActorFacts> = {}): TActorFacts {
  return {
    id: 'student',
    role: 'STUDENT',
    teachesClass: false,
    isPrimaryInstructor: false,
    sharesClass: false,
    ...overrides,
  };
}

const student = actor();
const primary = actor({ id: 'teacher', role: 'INSTRUCTOR', teachesClass: true, isPrimaryInstructor: true });
const coInstructor = actor({ id: 'co', role: 'INSTRUCTOR', teachesClass: true, isPrimaryInstructor: false });

describe('postBlockedReason', () => {
  it('makes announcement threads read-only for students only', () => {
    expect(postBlockedReason(announcement, student)).toBe('ANNOUNCEMENT_READ_ONLY');
    expect(postBlockedReason(announcement, primary)).toBeNull();
    expect(postBlockedReason(announcement, coInstructor)).toBeNull();
  });

  it('lets everyone post in a discussion thread', () => {
    expect(postBlockedReason(discussion, student)).toBeNull();
    expect(postBlockedReason(discussion, coInstructor)).toBeNull();
  });

  it('closes a DIRECT thread once the two no longer share a class, whoever asks', () => {
    expect(postBlockedReason(direct, actor({ sharesClass: true }))).toBeNull();
    expect(postBlockedReason(direct, student)).toBe('NO_SHARED_CLASS');
    // Teaching some class does not matter for DIRECT threads; sharing one with the other person does.
    expect(postBlockedReason(direct, { ...primary, sharesClass: false })).toBe('NO_SHARED_CLASS');
    expect(postBlockedReason(direct, { ...primary, sharesClass: true })).toBeNull();
  });
});

describe('canDeleteMessage', () => {
  const byStudent = { senderId: 'student' };
  const byOther = { senderId: 'someone-else' };

  it('lets authors delete their own messages anywhere', () => {
    expect(canDeleteMessage(announcement, byStudent, student)).toBe(true);
    expect(canDeleteMessage(direct, byStudent, student)).toBe(true);
  });

  it('lets the primary instructor moderate CLASS threads, not DIRECT ones', () => {
    expect(canDeleteMessage(discussion, byStudent, primary)).toBe(true);
    expect(canDeleteMessage(announcement, byOther, primary)).toBe(true);
    expect(canDeleteMessage(direct, byStudent, primary)).toBe(false);
  });

  it('does not let a co-instructor or another student delete someone else’s message', () => {
    expect(canDeleteMessage(discussion, byStudent, coInstructor)).toBe(false);
    expect(canDeleteMessage(discussion, byOther, student)).toBe(false);
  });
});

describe('canEditMessage and canRename', () => {
  it('only the author edits', () => {
    expect(canEditMessage({ senderId: 'student' }, student)).toBe(true);
    expect(canEditMessage({ senderId: 'student' }, primary)).toBe(false);
  });

  it('only the creator renames, and only CLASS threads', () => {
    expect(canRename(discussion, primary)).toBe(true);
    expect(canRename(discussion, coInstructor)).toBe(false);
    expect(canRename(direct, primary)).toBe(false);
  });
});

describe('canStartDirect', () => {
  const teacher = { id: 'teacher', role: 'INSTRUCTOR' as const };
  const admin = { id: 'admin', role: 'ADMIN' as const };
  const alice = { id: 'alice', role: 'STUDENT' as const };
  const bob = { id: 'bob', role: 'STUDENT' as const };

  it('allows an instructor and a student who share a class, in either direction', () => {
    expect(canStartDirect(teacher, alice, true)).toBe(true);
    expect(canStartDirect(alice, teacher, true)).toBe(true);
    expect(canStartDirect(admin, alice, true)).toBe(true);
  });

  it('refuses without a shared class', () => {
    expect(canStartDirect(teacher, alice, false)).toBe(false);
    expect(canStartDirect(alice, teacher, false)).toBe(false);
  });

  it('refuses student to student, instructor to instructor, and oneself', () => {
    expect(canStartDirect(alice, bob, true)).toBe(false);
    expect(canStartDirect(teacher, admin, true)).toBe(false);
    expect(canStartDirect(teacher, teacher, true)).toBe(false);
    expect(canStartDirect(alice, alice, true)).toBe(false);
  });

  it('treats ADMIN as an instructor role', () => {
    expect([isInstructorRole('ADMIN'), isInstructorRole('INSTRUCTOR'), isInstructorRole('STUDENT')]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe('directKeyFor', () => {
  it('is the same for both orders of a pair and differs between pairs', () => {
    expect(directKeyFor('u-2', 'u-1')).toBe('u-1:u-2');
    expect(directKeyFor('u-1', 'u-2')).toBe(directKeyFor('u-2', 'u-1'));
    expect(directKeyFor('u-1', 'u-3')).not.toBe(directKeyFor('u-1', 'u-2'));
  });
});
