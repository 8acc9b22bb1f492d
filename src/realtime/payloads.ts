// Validation of what clients send, on the server. The shapes are the contract's (contract.ts).
import { z } from 'zod';
import { ZClientMessageId, ZContent, ZId } from '@/messaging/ids';
import type { MarkReadPayload, SendPayload } from './contract';

/** A bare thread id (the guide's form) or { threadId }. */
export const ZThreadRefPayload = z.union([
  ZId.transform((threadId) => ({ threadId })),
  z.object({ threadId: ZId }),
]);

export const ZSendPayload = z.object({
  threadId: ZId,
  content: ZContent,
  clientMessageId: ZClientMessageId,
}) satisfies z.ZodType<SendPayload, SendPayload>;

export const ZMarkReadPayload = z.object({
  threadId: ZId,
  messageId: ZId.optional(),
}) satisfies z.ZodType<MarkReadPayload, MarkReadPayload>;
