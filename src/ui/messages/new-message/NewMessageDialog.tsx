'use client';
// Starting a conversation, in a modal <dialog> (Esc closes it, focus stays inside and returns to the
// opener; a full-height sheet on phones). Instructors choose between a direct message to one of
// their students and a class thread (announcement or discussion, primary instructors only);
// students message one of their instructors. The API's own rules decide: its field errors are shown
// next to the fields, anything else in an alert.
import { useEffect, useId, useRef } from 'react';
import type { TRecipient } from '@/messaging/list-recipients';
import { ComposeForm } from './ComposeForm';

export function NewMessageDialog({
  open,
  initialMode,
  initialRecipient = null,
  initialClassId = '',
  onClose,
  onCreated,
}: {
  open: boolean;
  initialMode: 'direct' | 'class';
  initialRecipient?: TRecipient | null;
  initialClassId?: string;
  onClose(): void;
  onCreated(threadId: string): void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<Element | null>(null);
  const pendingRef = useRef(false);
  const latest = useRef({ open, onClose });
  const headingId = useId();

  useEffect(() => {
    latest.current = { open, onClose };
  });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      openerRef.current = document.activeElement;
      dialog.showModal();
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // Closing the dialog any way (Esc, Cancel, the parent) ends here: tell the parent if it still
  // thinks the dialog is open, and give focus back to whatever opened it.
  const handleClose = () => {
    const opener = openerRef.current;
    openerRef.current = null;
    if (
      opener instanceof HTMLElement &&
      opener.isConnected &&
      (document.activeElement === document.body || document.activeElement === null)
    ) {
      opener.focus();
    }
    if (latest.current.open) latest.current.onClose();
  };

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={headingId}
      onCancel={(e) => {
        // Esc while sending would drop the answer: the message may already be stored.
        if (pendingRef.current) e.preventDefault();
      }}
      onClose={handleClose}
      className="m-0 h-dvh max-h-none w-full max-w-none border-0 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 sm:m-auto sm:h-fit sm:max-h-[calc(100dvh-4rem)] sm:max-w-lg sm:rounded-xl"
    >
      {open ? (
        <ComposeForm
          initialMode={initialMode}
          initialRecipient={initialRecipient}
          initialClassId={initialClassId}
          headingId={headingId}
          pendingRef={pendingRef}
          onCancel={() => dialogRef.current?.close()}
          onCreated={onCreated}
        />
      ) : null}
    </dialog>
  );
}
