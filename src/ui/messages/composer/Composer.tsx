'use client';
// The message box: Enter sends, Shift+Enter starts a new line, a draft is kept per thread (in
// localStorage, so it survives switching threads and reloads), and typing is announced to the
// others at most every two seconds. When the viewer cannot post it is disabled and says why.
import { useId, useRef, type ClipboardEvent, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_CONTENT_CHARS } from '@/messaging/limits';
import { Icon } from '../Icon';
import { useMessaging } from '../MessagingProvider';
import { AttachButton } from './AttachButton';
import { UploadChips } from './UploadChips';
import { useDraft } from './use-draft';
import { sendLimitText, useSendLimitCountdown } from './use-send-limit';
import type { Uploads } from './use-uploads';
import { useTypingSignal } from './use-typing-signal';
import { useMentions, type Mentionable } from './use-mentions';
import { SendLater } from '../scheduled/SendLater';
import type { WireMessage } from '@/realtime/contract';

export interface SendExtras {
  replyToId?: string;
  mentionIds?: string[];
}

export function Composer({
  threadId,
  threadTitle,
  blockedReason,
  uploads,
  offline,
  onSend,
  replyTo = null,
  onCancelReply,
  mentionable = [],
}: {
  threadId: string;
  threadTitle: string;
  /** Why the viewer cannot post here, or null when they can. */
  blockedReason: string | null;
  /** Files being attached (also fed by dropping onto the conversation). */
  uploads: Uploads;
  /** No connection: text waits in the outbox, files cannot be uploaded. */
  offline: boolean;
  onSend(content: string, attachmentIds: string[], extras?: SendExtras): void;
  /** The message being replied to, shown above the box until sent or cancelled. */
  replyTo?: WireMessage | null;
  onCancelReply?(): void;
  /** Who @ autocompletes to: the conversation's other participants. */
  mentionable?: readonly Mentionable[];
}) {
  const { viewer } = useMessaging();
  const draft = useDraft(viewer.id, threadId);
  const typing = useTypingSignal(threadId);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const reasonId = useId();
  const limited = sendLimitText(useSendLimitCountdown());
  const mentions = useMentions(mentionable);
  const listId = `${hintId}-mentions`;

  const trimmed = draft.text.trim();
  const tooLong = trimmed.length > MAX_CONTENT_CHARS;
  const files = uploads.readyIds;
  const canSend = !blockedReason && (trimmed.length > 0 || files.length > 0) && !tooLong && !uploads.busy;

  function change(value: string) {
    draft.setText(value);
    typing.typed(value);
    if (mentionable.length) mentions.track(value, inputRef.current?.selectionStart ?? value.length);
  }

  function pickMention(person: Mentionable) {
    const el = inputRef.current;
    const next = mentions.pick(draft.text, el?.selectionStart ?? draft.text.length, person);
    draft.setText(next.text);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.caret, next.caret);
    });
  }

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!canSend) return;
    const mentionIds = mentions.idsIn(trimmed);
    onSend(trimmed, files, {
      ...(replyTo ? { replyToId: replyTo.id } : {}),
      ...(mentionIds.length ? { mentionIds } : {}),
    });
    mentions.reset();
    uploads.clear();
    draft.clear();
    typing.stopTyping();
    inputRef.current?.focus();
  }

  function keyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (mentions.open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        mentions.move(e.key === 'ArrowDown' ? 1 : -1);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        const person = mentions.matches[mentions.active];
        if (person) pickMention(person);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        mentions.close();
        return;
      }
    }
    if (e.key === 'Escape' && replyTo) {
      onCancelReply?.();
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  function paste(e: ClipboardEvent<HTMLTextAreaElement>) {
    const pasted = Array.from(e.clipboardData.files);
    if (pasted.length === 0) return;
    e.preventDefault();
    uploads.add(pasted);
  }

  if (blockedReason)
    return <BlockedComposer id={reasonId} threadTitle={threadTitle} reason={blockedReason} />;

  return (
    <form onSubmit={submit} className="relative border-t border-slate-200 bg-white p-3">
      {replyTo ? (
        <div
          className="mb-2 flex items-start justify-between gap-2 rounded-lg border-l-4 border-brand-600 bg-slate-50 px-2 py-1 text-xs text-slate-700"
          data-testid="replying-to"
        >
          <p className="min-w-0 truncate">
            Replying to <span className="font-semibold">{replyTo.senderName}</span>: {replyTo.content}
          </p>
          <button
            type="button"
            onClick={onCancelReply}
            className="shrink-0 rounded px-1 font-semibold text-slate-700 hover:bg-slate-200"
          >
            Cancel reply
          </button>
        </div>
      ) : null}
      {mentions.open ? (
        <ul
          id={listId}
          role="listbox"
          aria-label="Mention someone in this conversation"
          className="absolute bottom-full left-3 z-10 mb-1 w-64 max-w-[calc(100%-1.5rem)] rounded-lg border border-slate-200 bg-white p-1 shadow-lg"
        >
          {mentions.matches.map((p, i) => (
            <li
              key={p.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === mentions.active}
              onMouseDown={(e) => {
                e.preventDefault();
                pickMention(p);
              }}
              className={`cursor-pointer truncate rounded px-2 py-1 text-sm ${i === mentions.active ? 'bg-brand-50 text-brand-900' : 'text-slate-800'}`}
            >
              {p.name}
            </li>
          ))}
        </ul>
      ) : null}
      <UploadChips uploads={uploads} />
      <div className="flex items-end gap-2">
        <AttachButton uploads={uploads} disabled={offline} describedBy={hintId} />
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
            onPaste={paste}
            onBlur={typing.stopTyping}
            rows={1}
            aria-describedby={hintId}
            aria-activedescendant={mentions.open ? `${listId}-${mentions.active}` : undefined}
            aria-invalid={tooLong || undefined}
            placeholder={`Message ${threadTitle}`}
            className="block max-h-40 min-h-10 w-full resize-none rounded-lg border border-slate-300 px-3 py-2 text-sm [field-sizing:content] placeholder:text-slate-500 focus:border-brand-600"
          />
        </div>
        <SendButton disabled={!canSend} />
      </div>
      <SendLater threadId={threadId} text={trimmed} onScheduled={draft.clear} />
      <p
        id={hintId}
        data-testid="composer-hint"
        className={`mt-1.5 text-xs ${tooLong ? 'text-red-700' : limited ? 'font-medium text-amber-900' : 'text-slate-600'}`}
      >
        {tooLong
          ? `Too long: ${trimmed.length.toLocaleString()} of ${MAX_CONTENT_CHARS.toLocaleString()} characters.`
          : limited
            ? limited
            : offline
              ? 'Attachments need a connection. Text you send now waits and goes when you are back online.'
              : uploads.busy
                ? 'Uploading… Send when the files are ready.'
                : 'Enter to send, Shift+Enter for a new line. Drop or paste files to attach them.'}
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
