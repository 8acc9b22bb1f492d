// The shapes messaging hands to transports: each is a zod schema and its z.infer type, declared once.
// Dates are ISO strings from the mappers on, so every transport (REST, Socket.IO, a server-rendered
// page) sends what the domain returned. The schemas feed the OpenAPI document and the tests.
import { z } from 'zod';
import type { Message, MessageThread } from '@/db/schema';
import { ROLES, THREAD_TYPES, UNREAD_COUNT_CAP, type Role, type ThreadType } from './limits';
import { NO_EXTRAS, parseExtras, ZReaction, ZReplyQuote, type TMessageExtras } from './message-extras';

export const ZDate = z.iso.datetime({ offset: true });
export const ZRole = z.enum(ROLES);
export const ZThreadType = z.enum(THREAD_TYPES);
export const ZThreadKind = z.enum(['direct', 'announcement', 'discussion']);
export type TThreadKind = z.infer<typeof ZThreadKind>;

// ---- attachments --------------------------------------------------------------------------------

/** Where a stored file is served (GET, authorised by the message's thread). */
export const attachmentUrl = (id: string) => `/api/attachments/${id}`;
export const thumbnailUrl = (id: string) => `/api/attachments/${id}/thumbnail`;

/** A file as a message (or an upload's answer) carries it. */
export const ZAttachment = z
  .object({
    id: z.string(),
    name: z.string().describe('The name it was uploaded with; only ever shown, never used as a path'),
    size: z.number().int().describe('Bytes, as stored (images after re-encoding)'),
    contentType: z.string(),
    url: z.string(),
    width: z.number().int().optional().describe('Images: pixels, so the UI reserves the space'),
    height: z.number().int().optional(),
    thumbnailUrl: z.string().optional().describe('Images: a copy at most 320 px wide'),
  })
  .meta({ id: 'Attachment' });
export type TAttachment = z.infer<typeof ZAttachment>;

/** An attachment from its stored facts. */
export function toAttachment(a: {
  id: string;
  name: string;
  size: number | string;
  contentType: string;
  width?: number | null;
  height?: number | null;
  thumbnail?: boolean | null;
}): TAttachment {
  return {
    id: a.id,
    name: a.name,
    size: Number(a.size),
    contentType: a.contentType,
    url: attachmentUrl(a.id),
    ...(a.width != null && a.height != null ? { width: a.width, height: a.height } : {}),
    ...(a.thumbnail ? { thumbnailUrl: thumbnailUrl(a.id) } : {}),
  };
}

// ---- messages -----------------------------------------------------------------------------------

export const ZMessage = z
  .object({
    id: z.string(),
    threadId: z.string(),
    seq: z.number().int().describe('Position in the thread: 1, 2, 3 … in commit order'),
    senderId: z.string(),
    senderName: z.string(),
    senderRole: ZRole,
    content: z.string().nullable().describe('null when the message has been deleted'),
    clientMessageId: z.string().nullable(),
    createdAt: ZDate,
    editedAt: ZDate.nullable(),
    deletedAt: ZDate.nullable(),
    attachments: z.array(ZAttachment).describe('In the order sent; empty once the message is deleted'),
    replyTo: ZReplyQuote.nullable().describe('The message this one answers (CLASS discussions)'),
    reactions: z.array(ZReaction).describe('In the fixed order 👍 ✅ ❤️ 😂 ❓, only those given'),
    mentions: z.array(z.string()).describe('The participants it @mentions, by id'),
    version: z
      .number()
      .int()
      .describe('Bumped by every edit, delete or reaction: of two copies of a message, the higher is newer'),
  })
  .meta({ id: 'Message' });
export type TMessageView = z.infer<typeof ZMessage>;

/** A timestamp as the wire carries it; drivers hand back a Date or, inside json, a string. */
export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
export function isoOrNull(value: Date | string | null): string | null {
  return value === null ? null : iso(value);
}

type RawAttachment = Parameters<typeof toAttachment>[0];

/** The attachments column (attachmentsJson) as drivers hand it back (node-postgres parses json, PGlite may too, or not). */
export function parseAttachments(raw: unknown): TAttachment[] {
  const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as RawAttachment[] | null;
  return (list ?? []).map(toAttachment);
}

/** A message row as its readers see it: a deleted message keeps its place but loses its text. */
export function toMessageView(
  message: Pick<Message, 'id' | 'threadId' | 'seq' | 'senderId' | 'content' | 'clientMessageId'> & {
    createdAt: Date | string;
    editedAt: Date | string | null;
    deletedAt: Date | string | null;
    /** As stored; omitted: none. */
    attachments?: TAttachment[];
    /** Reply quote, reactions, mentions; omitted: none (a message just sent without them). */
    extras?: TMessageExtras;
    version?: number | string;
  },
  sender: { name: string; role: Role },
): TMessageView {
  const deleted = message.deletedAt !== null;
  return {
    id: message.id,
    threadId: message.threadId,
    seq: Number(message.seq),
    senderId: message.senderId,
    senderName: sender.name,
    senderRole: sender.role,
    content: deleted ? null : message.content,
    clientMessageId: message.clientMessageId,
    createdAt: iso(message.createdAt),
    editedAt: isoOrNull(message.editedAt),
    deletedAt: isoOrNull(message.deletedAt),
    attachments: deleted ? [] : (message.attachments ?? []),
    replyTo: message.extras?.replyTo ?? null,
    reactions: deleted ? [] : (message.extras?.reactions ?? []),
    mentions: message.extras?.mentions ?? [],
    version: Number(message.version ?? 0),
  };
}

/** A message as raw SQL reads it (snake_case columns), with its sender's name and role. */
export interface TMessageRow {
  id: string;
  thread_id: string;
  seq: string | number;
  sender_id: string;
  content: string;
  client_message_id: string | null;
  created_at: Date | string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
  sender_name: string;
  sender_role: Role;
  /** attachmentsJson's column, where the query selects it. */
  attachments?: unknown;
  /** extrasJson's column, where the query selects it. */
  extras?: unknown;
  version?: number | string;
}

export function messageRowView(r: TMessageRow): TMessageView {
  return toMessageView(
    {
      id: r.id,
      threadId: r.thread_id,
      seq: Number(r.seq),
      senderId: r.sender_id,
      content: r.content,
      clientMessageId: r.client_message_id,
      createdAt: r.created_at,
      editedAt: r.edited_at,
      deletedAt: r.deleted_at,
      attachments: parseAttachments(r.attachments),
      extras: r.extras === undefined ? NO_EXTRAS : parseExtras(r.extras),
      version: r.version,
    },
    { name: r.sender_name, role: r.sender_role },
  );
}

// ---- threads ------------------------------------------------------------------------------------

export function threadKind(thread: { type: ThreadType; studentsCanReply: boolean }): TThreadKind {
  if (thread.type === 'DIRECT') return 'direct';
  return thread.studentsCanReply ? 'discussion' : 'announcement';
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

/** The viewer-independent facts of a thread, as carried by events. */
export const ZThreadRef = z.object(ZThreadRefShape).meta({ id: 'ThreadRef' });
export type TThreadRef = z.infer<typeof ZThreadRef>;

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
    lastMessageAt: isoOrNull(t.lastMessageAt),
    createdAt: iso(t.createdAt),
  };
}

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
    unreadCount: z
      .number()
      .int()
      .min(0)
      .max(UNREAD_COUNT_CAP)
      .describe(
        `Live messages from others after the read pointer, counted up to ${UNREAD_COUNT_CAP}: ${UNREAD_COUNT_CAP} means that many or more`,
      ),
    lastReadSeq: z.number().int(),
    unreadMentions: z
      .number()
      .int()
      .describe(`Unread messages that @mention the viewer, counted up to ${UNREAD_COUNT_CAP}`),
    participantCount: z.number().int(),
    participants: z.array(ZParticipantBrief).describe('Up to three other participants, instructors first'),
    muted: z.boolean(),
    archived: z.boolean(),
  })
  .meta({ id: 'ThreadSummary' });
export type TThreadSummary = z.infer<typeof ZThreadSummary>;
