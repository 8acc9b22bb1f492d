// The messaging UI's pure pieces: link detection (never HTML), merging live and paged messages by
// id, and the live thread list's filter and order.
import { describe, expect, it } from 'vitest';
import type { WireMessage, WireThreadSummary } from '@/realtime/contract';
import { newClientMessageId } from '@/realtime/client';
import { splitLinks } from '@/ui/messages/MessageContent';
import { compareThreads, matchesFilter } from '@/ui/messages/use-thread-list';
import { mergeMessages } from '@/ui/messages/use-thread';
import { pagedListReducer, type PagedListState } from '@/ui/messages/use-paged-list';

function message(seq: number, over: Partial<WireMessage> = {}): WireMessage {
  return {
    id: `m${seq}`,
    threadId: 't1',
    seq,
    senderId: 'u1',
    senderName: 'Ada',
    senderRole: 'STUDENT',
    content: `message ${seq}`,
    clientMessageId: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    attachments: [],
    replyTo: null,
    reactions: [],
    mentions: [],
    version: 0,
    ...over,
  };
}

function summary(over: Partial<WireThreadSummary> = {}): WireThreadSummary {
  return {
    id: 't1',
    type: 'DIRECT',
    kind: 'direct',
    title: null,
    classId: null,
    createdById: 'u1',
    studentsCanReply: true,
    lastMessageSeq: 1,
    lastMessageAt: '2026-01-01T00:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    displayTitle: 'Grace Lee',
    className: null,
    classCode: null,
    activityAt: '2026-01-01T00:00:00.000Z',
    lastMessage: null,
    unreadCount: 0,
    unreadMentions: 0,
    lastReadSeq: 0,
    participantCount: 2,
    participants: [{ id: 'u2', name: 'Grace Lee', role: 'STUDENT' }],
    muted: false,
    archived: false,
    ...over,
  };
}

describe('splitLinks', () => {
  it('keeps markup as text and finds http(s) links without trailing punctuation', () => {
    expect(splitLinks('<img src=x onerror=alert(1)>')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)>' },
    ]);
    expect(splitLinks('see https://example.com/a?b=1. and (http://x.org/y)')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: '. and (' },
      { kind: 'link', text: 'http://x.org/y', href: 'http://x.org/y' },
      { kind: 'text', text: ')' },
    ]);
  });

  it('keeps a closing parenthesis that belongs to the address, and ignores other schemes', () => {
    expect(splitLinks('https://en.wikipedia.org/wiki/Set_(mathematics)')).toEqual([
      {
        kind: 'link',
        text: 'https://en.wikipedia.org/wiki/Set_(mathematics)',
        href: 'https://en.wikipedia.org/wiki/Set_(mathematics)',
      },
    ]);
    expect(splitLinks('javascript:alert(1) ftp://x.org data:text/html,hi')).toEqual([
      { kind: 'text', text: 'javascript:alert(1) ftp://x.org data:text/html,hi' },
    ]);
  });
});

describe('mergeMessages', () => {
  it('upserts by id in seq order, so a repeated or replayed event changes nothing', () => {
    const page = [message(1), message(2), message(3)];
    const merged = mergeMessages(page, [message(5), message(4), message(2)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(mergeMessages(merged, [message(4)])).toBe(merged);
  });

  it('keeps a deletion and the later edit whichever copy arrives last', () => {
    const deleted = message(2, { content: null, deletedAt: '2026-01-02T00:00:00.000Z' });
    expect(mergeMessages([deleted], [message(2)])[0]).toEqual(deleted);
    const edited = message(2, { content: 'new', editedAt: '2026-01-02T00:00:00.000Z' });
    expect(mergeMessages([edited], [message(2)])[0]?.content).toBe('new');
    expect(mergeMessages([message(2)], [edited])[0]?.content).toBe('new');
  });
});

describe('the paged message list', () => {
  const page = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
  const ready: PagedListState<WireMessage, string> = {
    status: 'ready',
    query: 't1',
    items: page(51, 100),
    nextCursor: 'before-51',
    loadingMore: false,
    error: null,
  };
  const merge = (current: WireMessage[], incoming: WireMessage[]) => mergeMessages(current, incoming);

  it('keeps an older page in flight while the newest page is read again, so it is asked for once and still lands', () => {
    let state = pagedListReducer(ready, { type: 'loadMore' });
    expect(state.loadingMore).toBe(true);
    // The thread is read again on reconnect (its newest page, one message newer) while the older
    // page is in flight: the list takes the new message, keeps its cursor, and is still loading.
    state = pagedListReducer(state, {
      type: 'page',
      page: { items: page(52, 101), nextCursor: 'before-52' },
      landing: 'again',
      keepCursor: true,
      merge,
    });
    expect(state.loadingMore).toBe(true);
    expect(state.nextCursor).toBe('before-51');
    expect(state.items.map((m) => m.seq)).toEqual(page(51, 101).map((m) => m.seq));
    // The older page lands after it.
    state = pagedListReducer(state, {
      type: 'page',
      read: { query: 't1' },
      page: { items: page(1, 50), nextCursor: null },
      landing: 'more',
      keepCursor: false,
      merge,
    });
    expect(state.loadingMore).toBe(false);
    expect(state.nextCursor).toBeNull();
    expect(state.items.map((m) => m.seq)).toEqual(page(1, 101).map((m) => m.seq));
  });
});

describe('the live thread list', () => {
  it('decides membership of a live row for each filter', () => {
    const row = summary({ unreadCount: 2 });
    expect(matchesFilter(row, {})).toBe(true);
    expect(matchesFilter(row, { type: 'CLASS' })).toBe(false);
    expect(matchesFilter(row, { unread: true })).toBe(true);
    expect(matchesFilter({ ...row, unreadCount: 0 }, { unread: true })).toBe(false);
    expect(matchesFilter(row, { archived: true })).toBe(false);
    expect(matchesFilter({ ...row, archived: true }, {})).toBe(false);
    expect(matchesFilter(row, { q: 'grace' })).toBe(true);
    expect(matchesFilter(row, { q: 'biology' })).toBe(false);
  });

  it('orders by newest activity, then id, like the API', () => {
    const a = summary({ id: 'a', activityAt: '2026-01-02T00:00:00.000Z' });
    const b = summary({ id: 'b', activityAt: '2026-01-03T00:00:00.000Z' });
    const c = summary({ id: 'c', activityAt: '2026-01-02T00:00:00.000Z' });
    expect([a, b, c].sort(compareThreads).map((t) => t.id)).toEqual(['b', 'c', 'a']);
  });
});

describe('newClientMessageId', () => {
  it('makes a UUID v4 even where crypto.randomUUID is missing (plain http off localhost)', () => {
    const original = Object.getOwnPropertyDescriptor(globalThis.crypto, 'randomUUID');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newClientMessageId()).toMatch(uuid);
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const ids = new Set(Array.from({ length: 100 }, () => newClientMessageId()));
      expect(ids.size).toBe(100);
      for (const id of ids) expect(id).toMatch(uuid);
    } finally {
      if (original) Object.defineProperty(globalThis.crypto, 'randomUUID', original);
      else delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID;
    }
  });
});
