// Validation of what clients send, on the server. The shapes are the contract's (contract.ts).
import { z } from 'zod';
import { MAX_CONTENT_CHARS, ZClientMessageId, ZId } from '@/messaging/ids';
import { MAX_MENTIONS } from '@/messaging/limits';
import { ZAttachmentIds } from '@/messaging/send-message';
import type { MarkReadPayload, SendPayload } from './contract';

/** A bare thread id (the guide's form) or { threadId }. */
export const ZThreadRefPayload = z.union([
  ZId.transform((threadId) => ({ threadId })),
  z.object({ threadId: ZId }),
]);

export const ZSendPayload = z.object({
  threadId: ZId,
  // Checked as the domain checks it (empty text is fine with files); bounded here all the same.
  content: z.string().max(MAX_CONTENT_CHARS * 2),
  clientMessageId: ZClientMessageId,
  attachmentIds: ZAttachmentIds.optional(),
  replyToId: ZId.optional(),
  mentionIds: z.array(ZId).max(MAX_MENTIONS).optional(),
}) satisfies z.ZodType<SendPayload, SendPayload>;

export const ZMarkReadPayload = z.object({
  threadId: ZId,
  messageId: ZId.optional(),
}) satisfies z.ZodType<MarkReadPayload, MarkReadPayload>;
