// The browser's REST client for messaging: the same routes and JSON shapes as the API (README,
// /api/openapi.json), with errors turned into ApiError carrying the API's code and message.
import type { TDashboardStats, TTaughtClass } from '@/classroom/instructor-queries';
import type { TUnreadTotals } from '@/messaging/count-unread';
import type { TMaterialPage } from '@/files/list-materials';
import { AREA_PREFIX, type Area } from '@/messaging/limits';
import type { TThreadDetail } from '@/messaging/get-thread';
import type { TMessagePage } from '@/messaging/list-messages';
import type { TRecipient } from '@/messaging/list-recipients';
import type { TSearchPage } from '@/messaging/search-messages';
import type { TBatchRollup, TBatchSummary } from '@/messaging/batch-rollup';
import type { TMarkAllReadResult } from '@/messaging/mark-all-read';
import type { TMessageHistory } from '@/messaging/message-history';
import type { TScheduled } from '@/messaging/scheduled-messages';
import type { ReadResult, WireMessage, WireThreadSummary } from '@/realtime/contract';

export type WireThreadDetail = TThreadDetail;
export type WireParticipant = WireThreadDetail['participants'][number];
export type WirePermissions = WireThreadDetail['permissions'];
export type WireMessagePage = TMessagePage;
export type WireSearchPage = TSearchPage;
export type WireSearchResult = TSearchPage['results'][number];

export interface ThreadFilter {
  type?: 'DIRECT' | 'CLASS';
  unread?: boolean;
  archived?: boolean;
  classId?: string;
  q?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(
  method: string,
  url: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Could not reach the server. Check your connection and try again.');
  }
  // An abort can also land while the body is read: it stays an abort, not a bad answer.
  const json = (await res.json().catch((err: unknown) => {
    if (isAbort(err)) throw err;
    return null;
  })) as { data: T } | { error: { code: string; message: string; fields?: Record<string, string[]> } } | null;
  if (res.ok && json && 'data' in json) return json.data;
  if (json && 'error' in json) {
    throw new ApiError(res.status, json.error.code, json.error.message, json.error.fields);
  }
  throw new ApiError(res.status, 'INTERNAL', 'The server answered unexpectedly. Try again in a moment.');
}

/** GET a JSON API route with a query string: its `data`, or an ApiError. */
export function getJson<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', withQuery(path, query), undefined, signal);
}

export function isAbort(err: unknown): boolean {
  return (err as Error | undefined)?.name === 'AbortError';
}

/** A sentence to show a person for any failure of a request. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Something went wrong. Try again in a moment.';
}

export function messagingApi(area: Area) {
  const base = AREA_PREFIX[area];
  return {
    listMaterials: (
      query: { classId?: string; type?: string; q?: string; cursor?: string; limit?: number },
      signal?: AbortSignal,
    ) => request<TMaterialPage>('GET', withQuery(`${base}/materials`, query), undefined, signal),
    shareMaterial: (input: { classId: string; attachmentIds: string[]; note?: string }) =>
      request<{ threadId: string; message: WireMessage }>('POST', `${base}/materials`, input),
    listThreads: (filter: ThreadFilter & { cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
      request<{ threads: WireThreadSummary[]; nextCursor: string | null }>(
        'GET',
        withQuery(`${base}/threads`, { ...filter }),
        undefined,
        signal,
      ),
    getThread: (threadId: string, signal?: AbortSignal) =>
      request<WireThreadDetail>('GET', `${base}/threads/${encodeURIComponent(threadId)}`, undefined, signal),
    listMessages: (
      threadId: string,
      query: { before?: string; after?: string; around?: string; limit?: number },
      signal?: AbortSignal,
    ) =>
      request<WireMessagePage>(
        'GET',
        withQuery(`${base}/threads/${encodeURIComponent(threadId)}/messages`, query),
        undefined,
        signal,
      ),
    updateThread: (threadId: string, input: { muted?: boolean; archived?: boolean; title?: string }) =>
      request<WireThreadSummary>('PUT', `${base}/threads/${encodeURIComponent(threadId)}`, input),
    markThreadRead: (threadId: string, upToMessageId?: string) =>
      request<ReadResult>(
        'POST',
        `${base}/threads/${encodeURIComponent(threadId)}/read`,
        upToMessageId ? { upToMessageId } : {},
      ),
    editMessage: (messageId: string, content: string) =>
      request<WireMessage>('PATCH', `${base}/${encodeURIComponent(messageId)}`, { content }),
    deleteMessage: (messageId: string) =>
      request<WireMessage>('DELETE', `${base}/${encodeURIComponent(messageId)}`),
    /** Instructor: DIRECT or CLASS. Student: DIRECT with one of their instructors. */
    createThread: (
      input:
        | { type: 'DIRECT'; recipientId: string; content: string; clientMessageId?: string }
        | {
            type: 'CLASS';
            classId: string;
            title: string;
            kind: 'announcement' | 'discussion';
            urgent?: boolean;
            content: string;
            clientMessageId?: string;
          },
    ) => {
      const body =
        area === 'student' && input.type === 'DIRECT'
          ? { recipientId: input.recipientId, content: input.content, clientMessageId: input.clientMessageId }
          : input;
      return request<{ thread: { id: string }; message: WireMessage }>('POST', `${base}/threads`, body);
    },
    recipients: (query: { q?: string; cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
      request<{ recipients: TRecipient[]; nextCursor: string | null }>(
        'GET',
        withQuery(`${base}/recipients`, query),
        undefined,
        signal,
      ),
    classes: (signal?: AbortSignal) =>
      request<{ classes: TTaughtClass[] }>('GET', `${base}/classes`, undefined, signal),
    unread: (signal?: AbortSignal) => request<TUnreadTotals>('GET', `${base}/unread`, undefined, signal),
    /** Full-text search over every message the caller can see (both areas: /api/messages/search). */
    searchMessages: (query: { q: string; cursor?: string | null }, signal?: AbortSignal) =>
      request<WireSearchPage>('GET', withQuery('/api/messages/search', query), undefined, signal),
    messageHistory: (messageId: string, signal?: AbortSignal) =>
      request<TMessageHistory>('GET', `${base}/${encodeURIComponent(messageId)}/history`, undefined, signal),
    react: (messageId: string, emoji: string, on: boolean) =>
      request<WireMessage>(
        on ? 'PUT' : 'DELETE',
        `${base}/${encodeURIComponent(messageId)}/reactions/${encodeURIComponent(emoji)}`,
      ),
    scheduled: (signal?: AbortSignal) =>
      request<{ scheduled: TScheduled[] }>('GET', `${base}/scheduled`, undefined, signal),
    schedule: (input: {
      content: string;
      sendAt: string;
      timeZone: string;
      threadId?: string;
      classId?: string;
      title?: string;
      kind?: 'announcement' | 'discussion';
    }) => request<TScheduled>('POST', `${base}/scheduled`, input),
    editScheduled: (id: string, input: { content?: string; sendAt?: string; timeZone?: string }) =>
      request<TScheduled>('PATCH', `${base}/scheduled/${encodeURIComponent(id)}`, input),
    cancelScheduled: (id: string) =>
      request<TScheduled>('DELETE', `${base}/scheduled/${encodeURIComponent(id)}`),
    markAllRead: () => request<TMarkAllReadResult>('POST', `${base}/read-all`, {}),
    undoMarkAllRead: (undo: TMarkAllReadResult['undo']) =>
      request<{ restored: number }>('POST', `${base}/read-all/undo`, { undo }),
    /** Instructor: the same text into each recipient's own DIRECT thread. */
    sendIndividually: (input: {
      content: string;
      clientBatchId: string;
      recipientIds?: string[];
      classId?: string;
      nonReadersOf?: string;
      attachmentIds?: string[];
    }) => request<TBatchRollup>('POST', `${base}/individual`, input),
    batches: (query: { nudgeThreadId?: string }, signal?: AbortSignal) =>
      request<{ batches: TBatchSummary[] }>('GET', withQuery(`${base}/individual`, query), undefined, signal),
    batch: (batchId: string, signal?: AbortSignal) =>
      request<TBatchRollup>('GET', `${base}/individual/${encodeURIComponent(batchId)}`, undefined, signal),
    dashboard: (signal?: AbortSignal) =>
      request<TDashboardStats>('GET', '/api/instructor/dashboard', undefined, signal),
  };
}

export type MessagingApi = ReturnType<typeof messagingApi>;
