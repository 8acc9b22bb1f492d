'use client';
// The message box: Enter sends, Shift+Enter starts a new line, a draft is kept per thread (in
// localStorage, so it survives switching threads and reloads), and typing is announced to the
// others at most every two seconds. When the viewer cannot post it is disabled and says why.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useHydrated } from './display';
import { useMessaging } from './MessagingProvider';
import { MAX_CONTENT_CHARS as MAX_MESSAGE_CHARS } from '@/messaging/limits';

export { MAX_CONTENT_CHARS as MAX_MESSAGE_CHARS } from '@/messaging/limits';
const TYPING_EVERY_MS = 2_000;

function draftKey(userId: string, threadId: string) {
  return `cm:draft:${userId}:${threadId}`;
}

function readDraft(key: string): string {
  try {
    return globalThis.localStorage?.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function writeDraft(key: string, text: string) {
  try {
    if (text) globalThis.localStorage?.setItem(key, text);
    else globalThis.localStorage?.removeItem(key);
  } catch {
    // storage full or disabled: the draft lives as long as the page
  }
}

export function Composer({
  threadId,
  threadTitle,
  blockedReason,
  onSend,
}: {
  threadId: string;
  threadTitle: string;
  /** Why the viewer cannot post here, or null when they can. */
  blockedReason: string | null;
  onSend(content: string): void;
}) {
  const { viewer, client } = useMessaging();
  const key = draftKey(viewer.id, threadId);
  // The draft is in this browser's storage only: put back once the server's render is hydrated.
  const hydrated = useHydrated();
  const [text, setText] = useState(() => (hydrated ? readDraft(key) : ''));
  const [restored, setRestored] = useState(hydrated);
  if (hydrated && !restored) {
    setRestored(true);
    setText(readDraft(key));
  }
  const lastTypingAt = useRef(0);
  const typingSent = useRef(false);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const reasonId = useId();

  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_MESSAGE_CHARS;
  const canSend = !blockedReason && trimmed.length > 0 && !tooLong;

  // Saved a moment after the last keystroke rather than on every one.
  useEffect(() => {
    const t = setTimeout(() => writeDraft(key, text), 300);
    return () => clearTimeout(t);
  }, [key, text]);

  useEffect(() => {
    const c = client();
    return () => {
      if (typingSent.current) c.stopTyping(threadId).catch(() => {});
    };
  }, [client, threadId]);

  function stopTyping() {
    if (!typingSent.current) return;
    typingSent.current = false;
    lastTypingAt.current = 0;
    client()
      .stopTyping(threadId)
      .catch(() => {});
  }

  function change(value: string) {
    setText(value);
    if (!value.trim()) return stopTyping();
    const now = Date.now();
    if (now - lastTypingAt.current < TYPING_EVERY_MS) return;
    lastTypingAt.current = now;
    const c = client();
    if (c.status !== 'online') return;
    typingSent.current = true;
    c.startTyping(threadId).catch(() => {});
  }

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!canSend) return;
    onSend(trimmed);
    setText('');
    writeDraft(key, '');
    stopTyping();
    inputRef.current?.focus();
  }

  function keyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  if (blockedReason) {
    return (
      <div className="border-t border-slate-200 bg-slate-50 p-3">
        <label htmlFor={`${reasonId}-input`} className="sr-only">
          Message {threadTitle}
        </label>
        <textarea
          id={`${reasonId}-input`}
          disabled
          rows={1}
          aria-describedby={reasonId}
          placeholder="Replies are turned off"
          className="block w-full resize-none rounded-lg border border-slate-200 bg-slate-100 px-3 py-2 text-sm text-slate-600"
        />
        <p
          id={reasonId}
          data-testid="composer-blocked"
          className="mt-2 flex items-start gap-2 text-sm text-slate-700"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 size-4 shrink-0" fill="currentColor">
            <path d="M10 2a4 4 0 0 0-4 4v2H5a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-1V6a4 4 0 0 0-4-4Zm2 6H8V6a2 2 0 1 1 4 0v2Z" />
          </svg>
          {blockedReason}
        </p>
      </div>
    );
  }

  return (
    <form onSubmit={submit} className="border-t border-slate-200 bg-white p-3">
      <div className="flex items-end gap-2">
        <div className="min-w-0 flex-1">
          <label htmlFor={`${hintId}-input`} className="sr-only">
            Message {threadTitle}
          </label>
          <textarea
            ref={inputRef}
            id={`${hintId}-input`}
            value={text}
            onChange={(e) => change(e.target.value)}
            onKeyDown={keyDown}
            onBlur={stopTyping}
            rows={1}
            aria-describedby={hintId}
            aria-invalid={tooLong || undefined}
            placeholder={`Message ${threadTitle}`}
            className="block max-h-40 min-h-10 w-full resize-none rounded-lg border border-slate-300 px-3 py-2 text-sm [field-sizing:content] placeholder:text-slate-500 focus:border-brand-600"
          />
        </div>
        <button
          type="submit"
          disabled={!canSend}
          className="inline-flex h-10 shrink-0 items-center gap-1.5 rounded-lg bg-brand-700 px-4 text-sm font-semibold text-white shadow-sm hover:bg-brand-800 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-700"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
            <path d="M2.9 2.3a1 1 0 0 1 1.1-.1l13 7a1 1 0 0 1 0 1.8l-13 7A1 1 0 0 1 2.6 17l1.8-6H10a1 1 0 1 0 0-2H4.4L2.6 3.3a1 1 0 0 1 .3-1Z" />
          </svg>
          Send
        </button>
      </div>
      <p id={hintId} className={`mt-1.5 text-xs ${tooLong ? 'text-red-700' : 'text-slate-600'}`}>
        {tooLong
          ? `Too long: ${trimmed.length.toLocaleString()} of ${MAX_MESSAGE_CHARS.toLocaleString()} characters.`
          : 'Enter to send, Shift+Enter for a new line.'}
      </p>
    </form>
  );
}
