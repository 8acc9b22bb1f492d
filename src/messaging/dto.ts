// The shapes messaging hands to transports, and their zod wire schemas (dates travel as ISO
// strings). The wire schemas feed the OpenAPI document and the tests that parse real responses.
import { z } from 'zod';
import type { Message, MessageThread } from '@/db/schema';
import { ROLES, THREAD_TYPES, type Role, type ThreadType } from './limits';

export const ZDate = z.iso.datetime({ offset: true });
export const ZRole = z.enum(ROLES);
export const ZThreadType = z.enum(THREAD_TYPES);
export const ZThreadKind = z.enum(['direct', 'announcement', 'discussion']);
export type TThreadKind = z.infer<typeof ZThreadKind>;

// ---- messages -----------------------------------------------------------------------------------

export interface TMessageView {
  id: string;
  threadId: string;
  /** Position in the thread: 1, 2, 3 … in commit order. */
  seq: number;
  senderId: string;
  senderName: string;
  senderRole: Role;
  /** null once the message is deleted. */
  content: string | null;
  clientMessageId: string | null;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

export const ZMessage = z
  .object({
    id: z.string(),
    threadId: z.string(),
    seq: z.number().int(),
    senderId: z.string(),
    senderName: z.string(),
    senderRole: ZRole,
    content: z.string().nullable().describe('null when the message has been deleted'),
    clientMessageId: z.string().nullable(),
    createdAt: ZDate,
    editedAt: ZDate.nullable(),
    deletedAt: ZDate.nullable(),
  })
  .meta({ id: 'Message' });

export function toMessageView(message: Message, sender: { name: string; role: Role }): TMessageView {
  const deleted = message.deletedAt !== null;
  return {
    id: message.id,
    threadId: message.threadId,
    seq: message.seq,
    senderId: message.senderId,
    senderName: sender.name,
    senderRole: sender.role,
    content: deleted ? null : message.content,
    clientMessageId: message.clientMessageId,
    createdAt: message.createdAt,
    editedAt: message.editedAt,
    deletedAt: message.deletedAt,
  };
}

// ---- threads ------------------------------------------------------------------------------------

export function threadKind(thread: { type: ThreadType; studentsCanReply: boolean }): TThreadKind {
  if (thread.type === 'DIRECT') return 'direct';
  return thread.studentsCanReply ? 'discussion' : 'announcement';
}

/** The viewer-independent facts of a thread, as carried by events. */
export interface TThreadRef {
  id: string;
  type: ThreadType;
  kind: TThreadKind;
  title: string | null;
  classId: string | null;
  createdById: string;
  studentsCanReply: boolean;
  lastMessageSeq: number;
  lastMessageAt: Date | null;
  createdAt: Date;
}

export function toThreadRef(t: MessageThread): TThreadRef {
  return {
    id: t.id,
    type: t.type,
    kind: threadKind(t),
    title: t.title,
    classId: t.classId,
    createdById: t.createdById,
    studentsCanReply: t.studentsCanReply,
    lastMessageSeq: t.lastMessageSeq,
    lastMessageAt: t.lastMessageAt,
    createdAt: t.createdAt,
  };
}

const ZThreadRefShape = {
  id: z.string(),
  type: ZThreadType,
  kind: ZThreadKind,
  title: z.string().nullable(),
  classId: z.string().nullable(),
  createdById: z.string(),
  studentsCanReply: z.boolean(),
  lastMessageSeq: z.number().int(),
  lastMessageAt: ZDate.nullable(),
  createdAt: ZDate,
};

export const ZThreadRef = z.object(ZThreadRefShape).meta({ id: 'ThreadRef' });

export const ZParticipantBrief = z.object({ id: z.string(), name: z.string(), role: ZRole });
export type TParticipantBrief = z.infer<typeof ZParticipantBrief>;

/** One row of a user's thread list: the thread as this viewer sees it. */
export const ZThreadSummary = z
  .object({
    ...ZThreadRefShape,
    displayTitle: z.string().describe('The other person for DIRECT threads; the title for CLASS threads'),
    className: z.string().nullable(),
    classCode: z.string().nullable(),
    activityAt: ZDate.describe('Last message time, or creation time: the sort key'),
    lastMessage: z
      .object({
        id: z.string(),
        senderId: z.string(),
        senderName: z.string(),
        preview: z.string(),
        createdAt: ZDate,
      })
      .nullable(),
    unreadCount: z.number().int(),
    lastReadSeq: z.number().int(),
    participantCount: z.number().int(),
    participants: z.array(ZParticipantBrief).describe('Up to three other participants, instructors first'),
    muted: z.boolean(),
    archived: z.boolean(),
  })
  .meta({ id: 'ThreadSummary' });

export type TThreadSummary = Omit<
  z.infer<typeof ZThreadSummary>,
  'activityAt' | 'lastMessageAt' | 'createdAt' | 'lastMessage'
> & {
  activityAt: Date;
  lastMessageAt: Date | null;
  createdAt: Date;
  lastMessage: { id: string; senderId: string; senderName: string; preview: string; createdAt: Date } | null;
};
