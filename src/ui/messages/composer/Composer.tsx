'use client';
// The message box: Enter sends, Shift+Enter starts a new line, a draft is kept per thread (in
// localStorage, so it survives switching threads and reloads), and typing is announced to the
// others at most every two seconds. When the viewer cannot post it is disabled and says why.
import { useId, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_CONTENT_CHARS } from '@/messaging/limits';
import { Icon } from '../Icon';
import { useMessaging } from '../MessagingProvider';
import { useDraft } from './use-draft';
import { useTypingSignal } from './use-typing-signal';

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
  const { viewer } = useMessaging();
  const draft = useDraft(viewer.id, threadId);
  const typing = useTypingSignal(threadId);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const reasonId = useId();

  const trimmed = draft.text.trim();
  const tooLong = trimmed.length > MAX_CONTENT_CHARS;
  const canSend = !blockedReason && trimmed.length > 0 && !tooLong;

  function change(value: string) {
    draft.setText(value);
    typing.typed(value);
  }

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!canSend) return;
    onSend(trimmed);
    draft.clear();
    typing.stopTyping();
    inputRef.current?.focus();
  }

  function keyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  if (blockedReason)
    return <BlockedComposer id={reasonId} threadTitle={threadTitle} reason={blockedReason} />;

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
            value={draft.text}
            onChange={(e) => change(e.target.value)}
            onKeyDown={keyDown}
            onBlur={typing.stopTyping}
            rows={1}
            aria-describedby={hintId}
            aria-invalid={tooLong || undefined}
            placeholder={`Message ${threadTitle}`}
            className="block max-h-40 min-h-10 w-full resize-none rounded-lg border border-slate-300 px-3 py-2 text-sm [field-sizing:content] placeholder:text-slate-500 focus:border-brand-600"
          />
        </div>
        <SendButton disabled={!canSend} />
      </div>
      <p id={hintId} className={`mt-1.5 text-xs ${tooLong ? 'text-red-700' : 'text-slate-600'}`}>
        {tooLong
          ? `Too long: ${trimmed.length.toLocaleString()} of ${MAX_CONTENT_CHARS.toLocaleString()} characters.`
          : 'Enter to send, Shift+Enter for a new line.'}
      </p>
    </form>
  );
}

function SendButton({ disabled }: { disabled: boolean }) {
  return (
    <button
      type="submit"
      disabled={disabled}
      className="inline-flex h-10 shrink-0 items-center gap-1.5 rounded-lg bg-brand-700 px-4 text-sm font-semibold text-white shadow-sm hover:bg-brand-800 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-700"
    >
      <Icon path="M2.9 2.3a1 1 0 0 1 1.1-.1l13 7a1 1 0 0 1 0 1.8l-13 7A1 1 0 0 1 2.6 17l1.8-6H10a1 1 0 1 0 0-2H4.4L2.6 3.3a1 1 0 0 1 .3-1Z" />
      Send
    </button>
  );
}

/** The composer where the viewer cannot post: disabled, and saying why. */
function BlockedComposer({ id, threadTitle, reason }: { id: string; threadTitle: string; reason: string }) {
  return (
    <div className="border-t border-slate-200 bg-slate-50 p-3">
      <label htmlFor={`${id}-input`} className="sr-only">
        Message {threadTitle}
      </label>
      <textarea
        id={`${id}-input`}
        disabled
        rows={1}
        aria-describedby={id}
        placeholder="Replies are turned off"
        className="block w-full resize-none rounded-lg border border-slate-200 bg-slate-100 px-3 py-2 text-sm text-slate-600"
      />
      <p
        id={id}
        data-testid="composer-blocked"
        className="mt-2 flex items-start gap-2 text-sm text-slate-700"
      >
        <Icon
          path="M10 2a4 4 0 0 0-4 4v2H5a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-1V6a4 4 0 0 0-4-4Zm2 6H8V6a2 2 0 1 1 4 0v2Z"
          className="mt-0.5 size-4 shrink-0"
        />
        {reason}
      </p>
    </div>
  );
}
