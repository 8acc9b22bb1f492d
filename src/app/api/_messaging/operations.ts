// The messaging REST API, declared once for both areas: instructors under /api/instructor/messages
// (the guide's routes) and students under /api/user/messages. Each operation parses, calls one
// domain function with the caller's id, and maps the result; every rule lives in src/messaging/.
import { z } from 'zod';
import { parseInput } from '@/platform/errors';
import { AREA_PREFIX, MAX_MENTIONS, type Area } from '@/messaging/limits';
import { getMessageHistory, ZMessageHistory } from '@/messaging/message-history';
import { reactToMessage } from '@/messaging/react-to-message';
import { listInstructorClasses, ZTaughtClass } from '@/classroom/instructor-queries';
import { countUnreadTotals, ZUnreadTotals } from '@/messaging/count-unread';
import { createThread, ZCreateDirectThreadInput, ZCreateThreadInput } from '@/messaging/create-thread';
import { deleteMessage } from '@/messaging/delete-message';
import { ZMessage, ZThreadRef, ZThreadSummary } from '@/messaging/dto';
import { editMessage, ZEditMessageInput } from '@/messaging/edit-message';
import { getThread, ZThreadDetail } from '@/messaging/get-thread';
import { ZClientMessageId, ZId, ZMessageText } from '@/messaging/ids';
import { listMessages, ZListMessagesQuery, ZMessagePage } from '@/messaging/list-messages';
import { listRecipients, ZListRecipientsQuery, ZRecipientPage } from '@/messaging/list-recipients';
import { listThreads, ZListThreadsQuery, ZThreadPage } from '@/messaging/list-threads';
import { searchMessages, ZSearchMessagesQuery, ZSearchPage } from '@/messaging/search-messages';
import { markMessageRead, markThreadRead, ZMarkThreadReadInput, ZReadState } from '@/messaging/mark-read';
import { sendMessage, ZAttachmentIds, ZSendMessageInput } from '@/messaging/send-message';
import { updateThreadSettings, ZUpdateThreadSettingsInput } from '@/messaging/update-thread-settings';
import {
  getBatchRollup,
  listBatches,
  ZBatchRollup,
  ZBatchSummary,
  ZListBatchesQuery,
} from '@/messaging/batch-rollup';
import {
  markAllRead,
  undoMarkAllRead,
  ZMarkAllReadResult,
  ZUndoMarkAllReadInput,
  ZUndoMarkAllReadResult,
} from '@/messaging/mark-all-read';
import { sendIndividually, ZSendIndividuallyInput } from '@/messaging/send-individually';
import {
  cancelScheduled,
  editScheduled,
  listScheduled,
  scheduleMessage,
  ZEditScheduledInput,
  ZListScheduledQuery,
  ZScheduled,
  ZScheduledList,
  ZScheduleInput,
} from '@/messaging/scheduled-messages';
import {
  defineOperation,
  handlersAt,
  type HttpMethod,
  type Operation,
  type OperationInput,
} from '@/server/operation';
import type { AppServices } from '@/server/services';
import { FILE_OPERATIONS } from '../_files/operations';

export { AREA_PREFIX };

const ZThreadParams = z.object({ threadId: ZId });
const ZMessageParams = z.object({ messageId: ZId });

const ZCreatedThread = z.object({ thread: ZThreadRef, message: ZMessage }).meta({ id: 'CreatedThread' });
const ZTaughtClasses = z.object({ classes: z.array(ZTaughtClass) }).meta({ id: 'TaughtClasses' });

const E = {
  notFoundThread: {
    status: 404,
    code: 'NOT_FOUND',
    when: 'the thread does not exist or the caller is not in it',
  },
  notFoundMessage: { status: 404, code: 'NOT_FOUND', when: 'the message does not exist or is not visible' },
  announcement: { status: 403, code: 'ANNOUNCEMENT_READ_ONLY', when: 'a student posts to an announcement' },
  noSharedClass: { status: 403, code: 'NO_SHARED_CLASS', when: 'a DIRECT pair no longer shares a class' },
  rateLimited: {
    status: 429,
    code: 'RATE_LIMITED',
    when: 'more messages in a minute than the send limit, 30 by default (Retry-After)',
  },
  keyReused: {
    status: 409,
    code: 'IDEMPOTENCY_KEY_REUSED',
    when: 'the clientMessageId belongs to another thread',
  },
  recipient: {
    status: 403,
    code: 'RECIPIENT_NOT_ALLOWED',
    when: 'the recipient is not a student/instructor of yours',
  },
  notAuthor: { status: 403, code: 'NOT_AUTHOR', when: 'the message is someone else’s' },
  notFoundUpload: {
    status: 404,
    code: 'NOT_FOUND',
    when: 'an attachmentIds entry is not your own upload that is not yet in a message',
  },
} as const;

/** A stored message is 201 whether new or replayed, with the same body; a replay is flagged. */
function sent(result: { message: unknown; created: boolean }, data: unknown = result.message) {
  return {
    data,
    status: 201,
    headers: result.created ? undefined : { 'Idempotent-Replayed': 'true' },
  };
}

const listThreadsOp = defineOperation({
  method: 'GET',
  path: '/threads',
  summary: 'List the caller’s threads, newest activity first',
  description: 'Filters: type, classId, unread, archived, q. Keyset cursor in nextCursor.',
  query: ZListThreadsQuery,
  response: ZThreadPage,
  errors: [],
  handle: async ({ ctx, user, query }) => ({
    data: await listThreads(ctx, { ...query, userId: user.id }),
  }),
});

const getThreadOp = defineOperation({
  method: 'GET',
  path: '/threads/{threadId}',
  summary: 'A thread with its participants, the caller’s permissions and the newest messages',
  params: ZThreadParams,
  response: ZThreadDetail,
  errors: [E.notFoundThread],
  handle: async ({ ctx, user, params }) => ({
    data: await getThread(ctx, { userId: user.id, threadId: params.threadId }),
  }),
});

const updateThreadOp = defineOperation({
  method: 'PUT',
  path: '/threads/{threadId}',
  summary: 'Update the caller’s settings (muted, archived) or, for its creator, the title',
  params: ZThreadParams,
  body: ZUpdateThreadSettingsInput,
  response: ZThreadSummary,
  errors: [
    E.notFoundThread,
    { status: 403, code: 'NOT_THREAD_CREATOR', when: 'renaming a thread you did not start' },
  ],
  handle: async ({ ctx, user, params, body }) => ({
    data: await updateThreadSettings(ctx, {
      userId: user.id,
      threadId: params.threadId,
      input: body,
    }),
  }),
});

const archiveThreadOp = defineOperation({
  method: 'DELETE',
  path: '/threads/{threadId}',
  summary: 'Archive the thread for the caller only',
  description:
    'Nothing is deleted and other participants are unaffected. The thread leaves the caller’s default list ' +
    '(it is listed with archived=true) and comes back when a new message arrives or on PUT {"archived":false}.',
  params: ZThreadParams,
  response: ZThreadSummary,
  errors: [E.notFoundThread],
  handle: async ({ ctx, user, params }) => ({
    data: await updateThreadSettings(ctx, {
      userId: user.id,
      threadId: params.threadId,
      input: { archived: true },
    }),
  }),
});

const listMessagesOp = defineOperation({
  method: 'GET',
  path: '/threads/{threadId}/messages',
  summary: 'A page of messages, oldest first, keyset-paginated in both directions',
  description:
    'No cursor: the newest page. before=olderCursor: the page before. after=newerCursor: what came next. ' +
    'around=messageId: the page centred on that message (404 if it is not in this thread), with both cursors.',
  params: ZThreadParams,
  query: ZListMessagesQuery,
  response: ZMessagePage,
  errors: [E.notFoundThread, E.notFoundMessage],
  handle: async ({ ctx, user, params, query }) => ({
    data: await listMessages(ctx, { userId: user.id, threadId: params.threadId, query }),
  }),
});

const sendMessageOp = defineOperation({
  method: 'POST',
  path: '/threads/{threadId}/messages',
  summary: 'Send a message (idempotent on clientMessageId)',
  description:
    'A retry with the same clientMessageId returns the original message, with Idempotent-Replayed: true.',
  params: ZThreadParams,
  body: ZSendMessageInput,
  response: ZMessage,
  status: 201,
  errors: [E.notFoundThread, E.notFoundUpload, E.announcement, E.noSharedClass, E.keyReused, E.rateLimited],
  handle: async ({ ctx, user, params, body }) =>
    sent(
      await sendMessage(ctx, {
        ...body,
        threadId: params.threadId,
        userId: user.id,
      }),
    ),
});

const markThreadReadOp = defineOperation({
  method: 'POST',
  path: '/threads/{threadId}/read',
  summary: 'Mark the thread read up to a message (default: its latest)',
  params: ZThreadParams,
  body: ZMarkThreadReadInput,
  response: ZReadState,
  errors: [E.notFoundThread],
  handle: async ({ ctx, user, params, body }) => ({
    data: await markThreadRead(ctx, {
      userId: user.id,
      threadId: params.threadId,
      input: body,
    }),
  }),
});

const markMessageReadOp = defineOperation({
  method: 'POST',
  path: '/{messageId}/read',
  summary: 'Mark one message read: a read receipt, and the read pointer moved up to it (never back)',
  params: ZMessageParams,
  response: ZReadState,
  errors: [E.notFoundMessage],
  handle: async ({ ctx, user, params }) => ({
    data: await markMessageRead(ctx, { userId: user.id, messageId: params.messageId }),
  }),
});

const editMessageOp = defineOperation({
  method: 'PATCH',
  path: '/{messageId}',
  summary: 'Edit your own message',
  params: ZMessageParams,
  body: ZEditMessageInput,
  response: ZMessage,
  errors: [
    E.notFoundMessage,
    E.notAuthor,
    { status: 409, code: 'MESSAGE_DELETED', when: 'the message was deleted' },
  ],
  handle: async ({ ctx, user, params, body }) => ({
    data: await editMessage(ctx, {
      userId: user.id,
      messageId: params.messageId,
      input: body,
    }),
  }),
});

const deleteMessageOp = defineOperation({
  method: 'DELETE',
  path: '/{messageId}',
  summary: 'Delete a message (soft): yours, or any in a class thread you are the primary instructor of',
  params: ZMessageParams,
  response: ZMessage,
  errors: [E.notFoundMessage, E.notAuthor],
  handle: async ({ ctx, user, params }) => ({
    data: await deleteMessage(ctx, { userId: user.id, messageId: params.messageId }),
  }),
});

const createThreadOp = defineOperation({
  method: 'POST',
  path: '/threads',
  summary: 'Start a DIRECT thread with one of your students, or a CLASS thread (primary instructor)',
  description:
    'The thread and its first message are created together. A DIRECT thread is unique per pair: asking again ' +
    'adds the message to the existing thread. kind: announcement (students read only) or discussion.',
  body: ZCreateThreadInput,
  response: ZCreatedThread,
  status: 201,
  errors: [
    E.recipient,
    { status: 404, code: 'NOT_FOUND', when: 'the class does not exist or you do not teach it' },
    {
      status: 403,
      code: 'NOT_PRIMARY_INSTRUCTOR',
      when: 'you teach the class but are not its primary instructor',
    },
    E.keyReused,
    E.rateLimited,
  ],
  handle: createThreadHandler,
});

async function createThreadHandler({
  ctx,
  user,
  body,
}: OperationInput<unknown, unknown, z.output<typeof ZCreateThreadInput>>) {
  const r = await createThread(ctx, { userId: user.id, input: body });
  return sent({ message: r.message, created: r.messageCreated }, { thread: r.thread, message: r.message });
}

/** The guide's student POST: reply to a thread (threadId), or start a DIRECT thread (recipientId). */
const ZStudentPost = z
  .object({
    threadId: ZId.optional(),
    recipientId: ZId.optional(),
    /** May be empty in a reply with files; a new conversation starts with text. */
    content: ZMessageText,
    clientMessageId: ZClientMessageId.optional(),
    /** Uploads to attach to a reply (threadId). */
    attachmentIds: ZAttachmentIds.optional(),
    /** With threadId: the message of that thread this one answers, and the participants it @mentions. */
    replyToId: ZId.optional(),
    mentionIds: z.array(ZId).max(MAX_MENTIONS).optional(),
  })
  .refine((b) => (b.threadId === undefined) !== (b.recipientId === undefined), {
    message: 'Send either threadId (to reply) or recipientId (to start a conversation).',
    path: ['threadId'],
  })
  .refine((b) => !b.recipientId || !b.attachmentIds?.length, {
    message: 'Files go in a reply: start the conversation with text, then attach them.',
    path: ['attachmentIds'],
  });

const studentPostOp = defineOperation({
  method: 'POST',
  path: '/threads',
  summary: 'Reply to a thread you may post to, or start a DIRECT thread with one of your instructors',
  description: 'With threadId the answer is the message; with recipientId it is { thread, message }.',
  body: ZStudentPost,
  response: z.union([ZMessage, ZCreatedThread]),
  status: 201,
  errors: [
    E.notFoundThread,
    E.notFoundUpload,
    E.announcement,
    E.noSharedClass,
    E.recipient,
    E.keyReused,
    E.rateLimited,
  ],
  handle: async (input) => {
    const { ctx, user, body } = input;
    if (body.threadId) {
      return sent(
        await sendMessage(ctx, {
          threadId: body.threadId,
          userId: user.id,
          content: body.content,
          clientMessageId: body.clientMessageId,
          attachmentIds: body.attachmentIds,
          replyToId: body.replyToId,
          mentionIds: body.mentionIds,
        }),
      );
    }
    const direct = parseInput(ZCreateDirectThreadInput, { ...body, type: 'DIRECT' });
    return createThreadHandler({ ...input, body: direct });
  },
});

const listRecipientsOp = defineOperation({
  method: 'GET',
  path: '/recipients',
  summary: 'The people the caller may start a DIRECT thread with, by name',
  description:
    'Instructors: the students currently enrolled in their classes. Students: the instructors of their ' +
    'current classes. Each with the classes the two share and the existing DIRECT thread, if any. ' +
    'q searches name and email; keyset cursor in nextCursor.',
  query: ZListRecipientsQuery,
  response: ZRecipientPage,
  errors: [],
  handle: async ({ ctx, user, query }) => ({
    data: await listRecipients(ctx, { ...query, userId: user.id }),
  }),
});

const listClassesOp = defineOperation({
  method: 'GET',
  path: '/classes',
  summary: 'The classes the caller teaches, for starting a CLASS thread (primary instructors only)',
  response: ZTaughtClasses,
  errors: [],
  handle: async ({ ctx, user }) => {
    const taught = await listInstructorClasses(ctx, { userId: user.id });
    return {
      data: {
        classes: taught.map(({ id, name, code, isPrimary, enrolledCount }) => ({
          id,
          name,
          code,
          isPrimary,
          enrolledCount,
        })),
      },
    };
  },
});

const countUnreadOp = defineOperation({
  method: 'GET',
  path: '/unread',
  summary: 'The caller’s unread messages and threads, muted and archived threads left out',
  response: ZUnreadTotals,
  errors: [],
  handle: async ({ ctx, user }) => ({
    data: await countUnreadTotals(ctx, { userId: user.id }),
  }),
});

const searchOp = defineOperation({
  method: 'GET',
  path: '/search',
  summary: 'Full-text search over every message the caller can see',
  description:
    'q: words (English stems and exact words), "exact phrases", -exclusions, `or`, the last word as a prefix, ' +
    'and operators from:, in:, class:, type:direct|class, before:/after: (YYYY-MM-DD, UTC), has:attachment; ' +
    'the same filters are accepted as parameters (threadId is in:). Relevance then recency, or sort=recent. ' +
    'Snippets are plain text with [start, end) highlight ranges. 60 searches a minute per user.',
  query: ZSearchMessagesQuery,
  response: ZSearchPage,
  errors: [
    {
      status: 429,
      code: 'RATE_LIMITED',
      when: 'more than 60 searches in a minute (Retry-After)',
    },
  ],
  handle: async ({ ctx, user, query }) => ({
    data: await searchMessages(ctx, { userId: user.id, query }),
  }),
});

// ---- classroom tools ----------------------------------------------------------------------------

const ZBatchParams = z.object({ batchId: ZId });
const ZBatchList = z.object({ batches: z.array(ZBatchSummary) }).meta({ id: 'BatchList' });

const sendIndividuallyOp = defineOperation({
  method: 'POST',
  path: '/individual',
  summary: 'Send the same message to each recipient in their own DIRECT thread (idempotent per recipient)',
  description:
    'Recipients: recipientIds, every current student of classId, and/or nonReadersOf (the students of an ' +
    'announcement of yours who have not read it: a nudge, which adds a link to it and is recorded on it). ' +
    'Existing DIRECT threads are reused. The send limit counts the batch as one send; at most 100 ' +
    'recipients. A retry with the same clientBatchId returns the same batch (Idempotent-Replayed: true) ' +
    'and sends only what is missing. A student who is no longer yours is skipped with a reason. ' +
    'attachmentIds: your own uploads not yet sent (as in a normal send, at most 10); each recipient’s ' +
    'message gets its own attachment (its own id, downloadable only by that conversation) over the ' +
    'same stored file, which counts once against your storage.',
  body: ZSendIndividuallyInput,
  response: ZBatchRollup,
  status: 201,
  errors: [
    {
      status: 404,
      code: 'NOT_FOUND',
      when: 'classId or nonReadersOf is not a class or announcement of yours',
    },
    E.notFoundUpload,
    E.rateLimited,
  ],
  handle: async ({ ctx, user, body }) => {
    const r = await sendIndividually(ctx, { userId: user.id, input: body });
    return sent({ message: r.rollup, created: r.created });
  },
});

const listBatchesOp = defineOperation({
  method: 'GET',
  path: '/individual',
  summary: 'Your latest individual sends and nudges (50), newest first, with read and reply counts',
  query: ZListBatchesQuery,
  response: ZBatchList,
  errors: [],
  handle: async ({ ctx, user, query }) => ({
    data: { batches: await listBatches(ctx.db, { userId: user.id, nudgeThreadId: query.nudgeThreadId }) },
  }),
});

const batchRollupOp = defineOperation({
  method: 'GET',
  path: '/individual/{batchId}',
  summary: 'The roll-up of one individual send: per recipient, sent or skipped, read, replied',
  params: ZBatchParams,
  response: ZBatchRollup,
  errors: [{ status: 404, code: 'NOT_FOUND', when: 'the batch does not exist or is not yours' }],
  handle: async ({ ctx, user, params }) => ({
    data: await getBatchRollup(ctx, { userId: user.id, batchId: params.batchId }),
  }),
});

const ZReactionParams = z.object({ messageId: ZId, emoji: z.string().max(64) });

function reactionOp(method: 'PUT' | 'DELETE') {
  return defineOperation({
    method,
    path: '/{messageId}/reactions/{emoji}',
    summary: method === 'PUT' ? 'Add your reaction (idempotent)' : 'Take back your reaction (idempotent)',
    description:
      'emoji: one of 👍 ✅ ❤️ 😂 ❓ (percent-encoded), or its name: thumbsup, check, heart, joy, question. ' +
      'One per user per emoji. The answer is the message with its reactions; the change is live ' +
      '(message-updated) and replayed on resume.',
    params: ZReactionParams,
    response: ZMessage,
    errors: [
      E.notFoundMessage,
      { status: 400, code: 'VALIDATION_FAILED', when: 'the emoji is not one of the set' },
      { status: 409, code: 'MESSAGE_DELETED', when: 'the message was deleted' },
    ],
    handle: async ({ ctx, user, params }) => ({
      data: await reactToMessage(ctx, {
        userId: user.id,
        messageId: params.messageId,
        emoji: params.emoji,
        on: method === 'PUT',
      }),
    }),
  });
}

const historyOp = defineOperation({
  method: 'GET',
  path: '/{messageId}/history',
  summary: 'Earlier versions of a message, with when each was written and replaced (participants only)',
  params: ZMessageParams,
  response: ZMessageHistory,
  errors: [E.notFoundMessage],
  handle: async ({ ctx, user, params }) => ({
    data: await getMessageHistory(ctx, { userId: user.id, messageId: params.messageId }),
  }),
});

const ZScheduledParams = z.object({ scheduledId: ZId });
const scheduledNotFound = {
  status: 404,
  code: 'NOT_FOUND',
  when: 'the scheduled message does not exist or is not yours',
};
const scheduleClosed = {
  status: 409,
  code: 'SCHEDULE_CLOSED',
  when: 'it was already sent, failed or cancelled',
};

const listScheduledOp = defineOperation({
  method: 'GET',
  path: '/scheduled',
  summary:
    'Your scheduled messages that are still waiting, soonest first (all=true: the last 100 of any status)',
  query: ZListScheduledQuery,
  response: ZScheduledList,
  errors: [],
  handle: async ({ ctx, user, query }) => ({
    data: { scheduled: await listScheduled(ctx, { userId: user.id, all: query.all === 'true' }) },
  }),
});

const scheduleOp = defineOperation({
  method: 'POST',
  path: '/scheduled',
  summary: 'Schedule a message to a thread, or a new class thread, for a time of your choosing',
  description:
    'sendAt is an ISO time with its offset (the sender’s local time), timeZone the sender’s IANA zone. ' +
    'A durable job: it survives restarts and is sent exactly once, through the ordinary send, with the ' +
    'policy checked again then (a student who left is not messaged; the row ends `failed` with the reason).',
  body: ZScheduleInput,
  response: ZScheduled,
  status: 201,
  errors: [
    E.notFoundThread,
    E.announcement,
    E.noSharedClass,
    { status: 403, code: 'NOT_PRIMARY_INSTRUCTOR', when: 'a class thread in a class you co-teach' },
  ],
  handle: async ({ ctx, user, body }) => ({
    data: await scheduleMessage(ctx, { userId: user.id, input: body }),
    status: 201,
  }),
});

const editScheduledOp = defineOperation({
  method: 'PATCH',
  path: '/scheduled/{scheduledId}',
  summary: 'Change the text or the time of a scheduled message while it waits',
  params: ZScheduledParams,
  body: ZEditScheduledInput,
  response: ZScheduled,
  errors: [scheduledNotFound, scheduleClosed],
  handle: async ({ ctx, user, params, body }) => ({
    data: await editScheduled(ctx, { userId: user.id, id: params.scheduledId, input: body }),
  }),
});

const cancelScheduledOp = defineOperation({
  method: 'DELETE',
  path: '/scheduled/{scheduledId}',
  summary: 'Cancel a scheduled message while it waits',
  params: ZScheduledParams,
  response: ZScheduled,
  errors: [scheduledNotFound, scheduleClosed],
  handle: async ({ ctx, user, params }) => ({
    data: await cancelScheduled(ctx, { userId: user.id, id: params.scheduledId }),
  }),
});

const markAllReadOp = defineOperation({
  method: 'POST',
  path: '/read-all',
  summary: 'Mark every conversation read; the answer carries what Undo sends back',
  response: ZMarkAllReadResult,
  errors: [],
  handle: async ({ ctx, user }) => ({ data: await markAllRead(ctx, { userId: user.id }) }),
});

const undoMarkAllReadOp = defineOperation({
  method: 'POST',
  path: '/read-all/undo',
  summary: 'Undo a mark-all-read: each pointer goes back unless the thread was read or written to since',
  body: ZUndoMarkAllReadInput,
  response: ZUndoMarkAllReadResult,
  errors: [],
  handle: async ({ ctx, user, body }) => ({
    data: await undoMarkAllRead(ctx, { userId: user.id, input: body }),
  }),
});

/** Routes under /api/messages: for every signed-in user, each seeing only their own threads. */
export const MESSAGES_PREFIX = '/api/messages';
export const ANY_ROLE_OPERATIONS: ReadonlyArray<Operation> = [searchOp];

export function anyRoleRoute<M extends HttpMethod>(path: string, methods: readonly M[]) {
  return handlersAt(ANY_ROLE_OPERATIONS, path, methods, {});
}

const shared = [
  listThreadsOp,
  getThreadOp,
  updateThreadOp,
  archiveThreadOp,
  listMessagesOp,
  sendMessageOp,
  markThreadReadOp,
  markMessageReadOp,
  editMessageOp,
  deleteMessageOp,
  listRecipientsOp,
  countUnreadOp,
  markAllReadOp,
  undoMarkAllReadOp,
  reactionOp('PUT'),
  reactionOp('DELETE'),
  historyOp,
  listScheduledOp,
  scheduleOp,
  editScheduledOp,
  cancelScheduledOp,
];

export const OPERATIONS: Record<Area, ReadonlyArray<Operation>> = {
  instructor: [
    createThreadOp,
    ...shared,
    listClassesOp,
    sendIndividuallyOp,
    listBatchesOp,
    batchRollupOp,
    ...FILE_OPERATIONS.instructor,
  ],
  student: [studentPostOp, ...shared, ...FILE_OPERATIONS.student],
};

/** The handlers a route file exports: `export const { GET, POST } = messagingRoute('instructor', '/threads', ['GET', 'POST'])`. */
export function messagingRoute<M extends HttpMethod>(
  area: Area,
  path: string,
  methods: readonly M[],
  services?: () => Promise<AppServices>,
) {
  return handlersAt(OPERATIONS[area], path, methods, { area, services });
}
