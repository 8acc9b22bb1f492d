'use client';
// A thread's per-viewer settings behind one button: mute or unmute notifications, archive or move
// back to the inbox, and (for a CLASS thread's creator) rename. A disclosure panel, not a menu: it
// holds a small form. Esc, a click outside or tabbing away closes it; Esc returns focus to the button.
import {
  useEffect,
  useId,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import type { WireThreadSummary } from '@/realtime/contract';
import { ApiError, errorMessage } from '../api';
import { useMessaging } from '../MessagingProvider';
import { RenameForm, type SaveResult } from './RenameForm';

type Pending = 'muted' | 'archived' | 'title' | null;
type Change = { muted?: boolean; archived?: boolean; title?: string };

export function ThreadSettings({
  thread,
  canRename,
  onChange,
}: {
  thread: WireThreadSummary;
  canRename: boolean;
  onChange(summary: WireThreadSummary): void;
}) {
  const [open, setOpen] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const { pending, error, setError, update } = useThreadUpdate(thread, onChange);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  function close(returnFocus: boolean) {
    setOpen(false);
    setRenaming(false);
    setError(null);
    if (returnFocus) buttonRef.current?.focus();
  }
  const { rootProps, panelRef, backToRename } = useDisclosure(open, renaming, close);

  return (
    <div className="relative" {...rootProps}>
      <SettingsButton
        buttonRef={buttonRef}
        open={open}
        panelId={panelId}
        onClick={() => {
          if (open) return close(false);
          setError(null);
          setOpen(true);
        }}
      />
      <Panel panelRef={panelRef} id={panelId} open={open} error={error}>
        {renaming ? (
          <RenameForm
            thread={thread}
            busy={pending !== null}
            saving={pending === 'title'}
            onSave={(title) => update('title', { title })}
            onCancel={() => {
              backToRename();
              setRenaming(false);
            }}
            onDone={() => close(true)}
          />
        ) : (
          <SettingsMenu
            thread={thread}
            canRename={canRename}
            pending={pending}
            onMute={() => void update('muted', { muted: !thread.muted })}
            onArchive={async () => {
              if ((await update('archived', { archived: !thread.archived })).saved) close(true);
            }}
            onRename={() => {
              if (pending) return;
              setError(null);
              setRenaming(true);
            }}
          />
        )}
      </Panel>
    </div>
  );
}

/** Saves one setting at a time; an error on the title goes back to the rename form, any other to the panel. */
function useThreadUpdate(thread: WireThreadSummary, onChange: (summary: WireThreadSummary) => void) {
  const { api } = useMessaging();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);

  async function update(key: Exclude<Pending, null>, input: Change): Promise<SaveResult> {
    // Controls stay enabled (aria-disabled) while a change is saved, so focus never drops to the page.
    if (pending) return { saved: false };
    setPending(key);
    setError(null);
    try {
      onChange(await api.updateThread(thread.id, input));
      return { saved: true };
    } catch (err) {
      const titleError = err instanceof ApiError ? err.fields?.title?.[0] : undefined;
      if (key === 'title' && titleError) return { saved: false, titleError };
      setError(errorMessage(err));
      return { saved: false };
    } finally {
      setPending(null);
    }
  }

  return { pending, error, setError, update };
}

/**
 * Focus and dismissal for the panel: opening moves focus into it, leaving the rename form goes back
 * to the Rename button; Esc, a press outside (without moving focus: the press placed it) and tabbing
 * away close it.
 */
function useDisclosure(open: boolean, renaming: boolean, close: (returnFocus: boolean) => void) {
  const rootRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const focusRename = useRef(false);
  const onClose = useRef(close);
  useEffect(() => {
    onClose.current = close;
  });

  useEffect(() => {
    if (!open || renaming) return;
    const target = focusRename.current ? '[data-rename]' : 'button';
    panelRef.current?.querySelector<HTMLElement>(target)?.focus();
    focusRename.current = false;
  }, [open, renaming]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) onClose.current(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const rootProps = {
    ref: rootRef,
    onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
      if (e.key !== 'Escape' || !open) return;
      e.stopPropagation();
      close(true);
    },
    onBlur(e: FocusEvent<HTMLDivElement>) {
      if (open && e.relatedTarget && !rootRef.current?.contains(e.relatedTarget as Node)) close(false);
    },
  };

  return {
    rootProps,
    panelRef,
    backToRename() {
      focusRename.current = true;
    },
  };
}

function Panel({
  panelRef,
  id,
  open,
  error,
  children,
}: {
  panelRef: RefObject<HTMLDivElement | null>;
  id: string;
  open: boolean;
  error: string | null;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <div
      ref={panelRef}
      id={id}
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
      {children}
      {error ? (
        <p
          role="alert"
          className="mx-3 mt-2 mb-1 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          {error}
        </p>
      ) : null}
    </div>
  );
}

function SettingsButton({
  buttonRef,
  open,
  panelId,
  onClick,
}: {
  buttonRef: RefObject<HTMLButtonElement | null>;
  open: boolean;
  panelId: string;
  onClick(): void;
}) {
  return (
    <button
      ref={buttonRef}
      type="button"
      aria-expanded={open}
      aria-controls={panelId}
      onClick={onClick}
      className="inline-flex size-9 items-center justify-center rounded-lg border border-slate-300 bg-white text-slate-700 shadow-sm hover:bg-slate-50 hover:text-slate-900"
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-5">
        <path d="M10 3a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm0 5.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3ZM11.5 15.5a1.5 1.5 0 1 0-3 0 1.5 1.5 0 0 0 3 0Z" />
      </svg>
      <span className="sr-only">Conversation settings</span>
    </button>
  );
}

function SettingsMenu({
  thread,
  canRename,
  pending,
  onMute,
  onArchive,
  onRename,
}: {
  thread: WireThreadSummary;
  canRename: boolean;
  pending: Pending;
  onMute(): void;
  onArchive(): void;
  onRename(): void;
}) {
  const busy = pending !== null;
  return (
    <ul className="flex flex-col">
      <MenuItem icon="bell" busy={busy} onClick={onMute}>
        {thread.muted ? 'Unmute notifications' : 'Mute notifications'}
        <ItemNote saving={pending === 'muted'}>
          {thread.muted ? 'Muted: left out of your unread count' : 'Leave it out of your unread count'}
        </ItemNote>
      </MenuItem>
      <MenuItem icon="archive" busy={busy} onClick={onArchive}>
        {thread.archived ? 'Move back to inbox' : 'Archive conversation'}
        <ItemNote saving={pending === 'archived'}>
          {thread.archived ? 'Show it in your inbox again' : 'Only for you; a new message brings it back'}
        </ItemNote>
      </MenuItem>
      {canRename ? (
        <MenuItem icon="pencil" busy={busy} onClick={onRename} rename>
          Rename…
        </MenuItem>
      ) : null}
    </ul>
  );
}

const itemClass =
  'flex w-full items-center gap-3 rounded-md px-3 py-2 text-left text-sm font-medium text-slate-800 hover:bg-slate-100 aria-disabled:cursor-not-allowed aria-disabled:opacity-60';

function MenuItem({
  icon,
  busy,
  onClick,
  rename,
  children,
}: {
  icon: keyof typeof ICONS;
  busy: boolean;
  onClick(): void;
  /** The item focus returns to when the rename form is left. */
  rename?: boolean;
  children: ReactNode;
}) {
  return (
    <li>
      <button
        type="button"
        data-rename={rename || undefined}
        className={itemClass}
        aria-disabled={busy}
        onClick={onClick}
      >
        <MenuIcon name={icon} />
        <span>{children}</span>
      </button>
    </li>
  );
}

function ItemNote({ saving, children }: { saving: boolean; children: ReactNode }) {
  return <span className="block text-xs font-normal text-slate-600">{saving ? 'Saving…' : children}</span>;
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
