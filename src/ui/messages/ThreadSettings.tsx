'use client';
// A thread's per-viewer settings behind one button: mute or unmute notifications, archive or move
// back to the inbox, and (for a CLASS thread's creator) rename. A disclosure panel, not a menu: it
// holds a small form. Esc, a click outside or tabbing away closes it; Esc returns focus to the button.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { WireThreadSummary } from '@/realtime/contract';
import { secondaryButton, primaryButton } from '@/ui/buttons';
import { ApiError, errorMessage } from './api';
import { useMessaging } from './MessagingProvider';

type Pending = 'muted' | 'archived' | 'title' | null;

const TITLE_MAX = 200;

const itemClass =
  'flex w-full items-center gap-3 rounded-md px-3 py-2 text-left text-sm font-medium text-slate-800 hover:bg-slate-100 aria-disabled:cursor-not-allowed aria-disabled:opacity-60';

export function ThreadSettings({
  thread,
  canRename,
  onChange,
}: {
  thread: WireThreadSummary;
  canRename: boolean;
  onChange(summary: WireThreadSummary): void;
}) {
  const { api } = useMessaging();
  const [open, setOpen] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState('');
  const [titleError, setTitleError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const panelId = useId();
  const headingId = useId();
  const titleId = useId();
  const titleErrorId = useId();

  // Where focus goes when the panel opens or the rename form closes.
  const focusRename = useRef(false);

  // Opening moves focus into the panel; the rename form focuses its field, and leaving it goes back
  // to the Rename button.
  useEffect(() => {
    if (!open) return;
    if (renaming) titleRef.current?.focus();
    else if (focusRename.current) panelRef.current?.querySelector<HTMLElement>('[data-rename]')?.focus();
    else panelRef.current?.querySelector<HTMLElement>('button')?.focus();
    focusRename.current = false;
  }, [open, renaming]);

  // A press outside closes the panel (without moving focus: the press already placed it).
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (e: PointerEvent) => {
      if (rootRef.current?.contains(e.target as Node)) return;
      setOpen(false);
      setRenaming(false);
      setTitleError(null);
      setError(null);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  function reset() {
    setRenaming(false);
    setTitleError(null);
    setError(null);
  }

  function close(returnFocus: boolean) {
    setOpen(false);
    reset();
    if (returnFocus) buttonRef.current?.focus();
  }

  function toggle() {
    if (open) close(false);
    else {
      reset();
      setOpen(true);
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'Escape' || !open) return;
    e.stopPropagation();
    if (renaming) cancelRename();
    else close(true);
  }

  function cancelRename() {
    focusRename.current = true;
    setRenaming(false);
    setTitleError(null);
  }

  async function update(
    key: Exclude<Pending, null>,
    input: { muted?: boolean; archived?: boolean; title?: string },
  ) {
    // Controls stay enabled (aria-disabled) while a change is saved, so focus never drops to the page.
    if (pending) return false;
    setPending(key);
    setError(null);
    setTitleError(null);
    try {
      const summary = await api.updateThread(thread.id, input);
      onChange(summary);
      return true;
    } catch (err) {
      const fieldError = err instanceof ApiError ? err.fields?.title?.[0] : undefined;
      if (key === 'title' && fieldError) setTitleError(fieldError);
      else setError(errorMessage(err));
      return false;
    } finally {
      setPending(null);
    }
  }

  async function toggleArchived() {
    if (await update('archived', { archived: !thread.archived })) close(true);
  }

  function startRename() {
    if (pending) return;
    setTitle(thread.title ?? thread.displayTitle);
    setTitleError(null);
    setError(null);
    setRenaming(true);
  }

  async function saveTitle(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    const next = title.trim();
    if (!next) {
      setTitleError('A title cannot be empty.');
      titleRef.current?.focus();
      return;
    }
    if (next.length > TITLE_MAX) {
      setTitleError(`At most ${TITLE_MAX} characters.`);
      titleRef.current?.focus();
      return;
    }
    if (next === thread.title) {
      close(true);
      return;
    }
    if (await update('title', { title: next })) close(true);
    else titleRef.current?.focus();
  }

  const busy = pending !== null;

  return (
    <div
      ref={rootRef}
      className="relative"
      onKeyDown={onKeyDown}
      onBlur={(e) => {
        // Tabbing out of the button and panel closes it.
        if (open && !rootRef.current?.contains(e.relatedTarget as Node | null) && e.relatedTarget)
          close(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={toggle}
        className="inline-flex size-9 items-center justify-center rounded-lg border border-slate-300 bg-white text-slate-700 shadow-sm hover:bg-slate-50 hover:text-slate-900"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-5">
          <path d="M10 3a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm0 5.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3ZM11.5 15.5a1.5 1.5 0 1 0-3 0 1.5 1.5 0 0 0 3 0Z" />
        </svg>
        <span className="sr-only">Conversation settings</span>
      </button>

      <div
        ref={panelRef}
        id={panelId}
        role="group"
        aria-labelledby={headingId}
        hidden={!open}
        className="absolute right-0 z-40 mt-2 w-72 max-w-[calc(100vw-2rem)] rounded-xl border border-slate-200 bg-white p-2 shadow-lg"
      >
        <p
          id={headingId}
          className="px-3 pt-1 pb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase"
        >
          Conversation settings
        </p>

        {renaming ? (
          <form onSubmit={saveTitle} noValidate className="flex flex-col gap-2 px-3 pb-2">
            <label htmlFor={titleId} className="text-sm font-medium text-slate-800">
              Title
            </label>
            <input
              ref={titleRef}
              id={titleId}
              type="text"
              value={title}
              maxLength={TITLE_MAX}
              required
              aria-invalid={titleError ? true : undefined}
              aria-describedby={titleError ? titleErrorId : undefined}
              onChange={(e) => setTitle(e.target.value)}
              className="w-full rounded-lg border border-slate-300 px-3 py-2 text-sm text-slate-900 shadow-sm aria-invalid:border-red-600"
            />
            {titleError ? (
              <p id={titleErrorId} className="text-sm text-red-700">
                {titleError}
              </p>
            ) : null}
            <div className="flex justify-end gap-2">
              <button
                type="button"
                className={`${secondaryButton} px-3 py-1.5`}
                onClick={cancelRename}
                aria-disabled={busy}
              >
                Cancel
              </button>
              <button type="submit" className={`${primaryButton} px-3 py-1.5`} aria-disabled={busy}>
                {pending === 'title' ? 'Saving…' : 'Save'}
              </button>
            </div>
          </form>
        ) : (
          <ul className="flex flex-col">
            <li>
              <button
                type="button"
                className={itemClass}
                aria-disabled={busy}
                onClick={() => void update('muted', { muted: !thread.muted })}
              >
                <MenuIcon name="bell" />
                <span>
                  {thread.muted ? 'Unmute notifications' : 'Mute notifications'}
                  <span className="block text-xs font-normal text-slate-600">
                    {pending === 'muted'
                      ? 'Saving…'
                      : thread.muted
                        ? 'Muted: left out of your unread count'
                        : 'Leave it out of your unread count'}
                  </span>
                </span>
              </button>
            </li>
            <li>
              <button
                type="button"
                className={itemClass}
                aria-disabled={busy}
                onClick={() => void toggleArchived()}
              >
                <MenuIcon name="archive" />
                <span>
                  {thread.archived ? 'Move back to inbox' : 'Archive conversation'}
                  <span className="block text-xs font-normal text-slate-600">
                    {pending === 'archived'
                      ? 'Saving…'
                      : thread.archived
                        ? 'Show it in your inbox again'
                        : 'Only for you; a new message brings it back'}
                  </span>
                </span>
              </button>
            </li>
            {canRename ? (
              <li>
                <button
                  type="button"
                  data-rename
                  className={itemClass}
                  aria-disabled={busy}
                  onClick={startRename}
                >
                  <MenuIcon name="pencil" />
                  Rename…
                </button>
              </li>
            ) : null}
          </ul>
        )}

        {error ? (
          <p
            role="alert"
            className="mx-3 mt-2 mb-1 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          >
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}

const ICONS = {
  bell: 'M10 2a5 5 0 0 0-5 5v2.6l-1.4 2.8A1 1 0 0 0 4.5 14h11a1 1 0 0 0 .9-1.6L15 9.6V7a5 5 0 0 0-5-5Zm-2 13a2 2 0 1 0 4 0H8Z',
  archive:
    'M3 3a1 1 0 0 0-1 1v2a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1V4a1 1 0 0 0-1-1H3Zm0 5h14v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8Zm5 2a1 1 0 1 0 0 2h4a1 1 0 1 0 0-2H8Z',
  pencil: 'M13.6 2.6a2 2 0 0 1 2.8 0l1 1a2 2 0 0 1 0 2.8l-9.5 9.5-4 1a.8.8 0 0 1-1-1l1-4 9.7-9.3Z',
};

function MenuIcon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 20 20"
      fill="currentColor"
      className="size-5 shrink-0 text-slate-500"
    >
      <path d={ICONS[name]} />
    </svg>
  );
}
