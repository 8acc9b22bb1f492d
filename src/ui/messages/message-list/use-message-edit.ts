// Editing and deleting one stored message: which of view, edit and confirm-delete it is in, the
// draft, and the request in flight with its error. A request that succeeds goes back to view.
import { useState, type KeyboardEvent } from 'react';
import { MAX_CONTENT_CHARS } from '@/messaging/limits';
import { errorMessage } from '../api';

export type EditMode = 'view' | 'edit' | 'confirm-delete';

export function useMessageEdit({
  messageId,
  content,
  onEdit,
  onDelete,
}: {
  messageId: string;
  content: string | null;
  onEdit(messageId: string, content: string): Promise<void>;
  onDelete(messageId: string): Promise<void>;
}) {
  const [mode, setMode] = useState<EditMode>('view');
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const text = draft.trim();
  const valid = text.length > 0 && text.length <= MAX_CONTENT_CHARS;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      setMode('view');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const save = () => void run(() => onEdit(messageId, text));

  /** Escape cancels; Enter saves, Shift+Enter starts a new line. */
  function editKeys(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Escape') {
      e.preventDefault();
      setMode('view');
    } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (valid) save();
    }
  }

  return {
    mode,
    draft,
    busy,
    error,
    /** Save is offered: not while a request runs, nor for an empty or too long draft. */
    canSave: !busy && valid,
    setDraft,
    editKeys,
    save,
    remove: () => void run(() => onDelete(messageId)),
    startEdit() {
      setDraft(content ?? '');
      setMode('edit');
    },
    confirmDelete: () => setMode('confirm-delete'),
    cancel: () => setMode('view'),
  };
}

export type MessageEdit = ReturnType<typeof useMessageEdit>;
