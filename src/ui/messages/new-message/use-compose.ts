'use client';
// The new-message form's state and its send: checked here first, then by the API, whose field
// errors come back next to the fields.
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import type { TRecipient } from '@/messaging/list-recipients';
import { newClientMessageId } from '@/realtime/client';
import { ApiError, errorMessage, type MessagingApi } from '../api';
import { useMessaging } from '../MessagingProvider';
import {
  apiFieldErrors,
  firstField,
  validate,
  type Field,
  type FieldErrors,
  type Kind,
  type Mode,
} from './compose-rules';
import { useRecipientSearch } from './use-recipient-search';
import { noPrimaryClass, useTaughtClasses } from './use-taught-classes';

interface Values {
  recipient: TRecipient | null;
  classId: string;
  title: string;
  kind: Kind;
  /** Announcements only: the email skips the delay (quiet hours still hold it). */
  urgent: boolean;
  content: string;
}

/** Which error each value clears, and whether changing it makes another message (a new key). */
const VALUE_FIELDS = {
  recipient: { field: 'recipientId', newTarget: true },
  classId: { field: 'classId', newTarget: true },
  title: { field: 'title', newTarget: false },
  kind: { field: 'kind', newTarget: true },
  urgent: { field: 'kind', newTarget: true },
  content: { field: 'content', newTarget: false },
} as const;

/** A recipient is the same one by id. */
const identity = (v: Values[keyof Values]) => (v !== null && typeof v === 'object' ? v.id : v);

const EMPTY: Values = {
  recipient: null,
  classId: '',
  title: '',
  kind: 'announcement',
  urgent: false,
  content: '',
};

export function useCompose({
  initialMode,
  initialRecipient = null,
  initialClassId = '',
  pendingRef,
  focusField,
  onCreated,
}: {
  initialMode: Mode;
  initialRecipient?: TRecipient | null;
  initialClassId?: string;
  pendingRef: RefObject<boolean>;
  focusField(field: Field): void;
  onCreated(threadId: string): void;
}) {
  const { api, area } = useMessaging();
  const isInstructor = area === 'instructor';
  const [mode, setMode] = useState<Mode>(isInstructor ? initialMode : 'direct');
  const [values, setValues] = useState<Values>(() => ({
    ...EMPTY,
    recipient: initialRecipient,
    classId: initialClassId,
  }));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const sender = useSendOnce(api, pendingRef);
  const search = useRecipientSearch(api);
  const classes = useTaughtClasses(api, isInstructor, (list) => {
    const first = list.find((c) => c.isPrimary);
    if (first) setValues((v) => (v.classId ? v : { ...v, classId: first.id }));
  });

  function change<K extends keyof Values>(key: K, value: Values[K]) {
    const { field, newTarget } = VALUE_FIELDS[key];
    if (newTarget && identity(values[key]) !== identity(value)) sender.newMessage();
    setValues((v) => ({ ...v, [key]: value }));
    setFieldErrors((errs) => (errs[field] ? { ...errs, [field]: undefined } : errs));
  }

  function chooseMode(next: Mode) {
    if (next === mode) return;
    sender.newMessage();
    setMode(next);
    setFieldErrors({});
    setFormError(null);
  }

  function showErrors(fields: FieldErrors, rest: string | null) {
    setFieldErrors(fields);
    setFormError(rest);
    const first = firstField(fields);
    if (first) focusField(first);
  }

  async function send() {
    const { recipient, classId, title, kind, urgent, content } = values;
    try {
      const created = await sender.send(
        mode === 'direct'
          ? { type: 'DIRECT', recipientId: recipient?.id ?? '', content }
          : {
              type: 'CLASS',
              classId,
              title: title.trim(),
              kind,
              urgent: kind === 'announcement' && urgent,
              content,
            },
      );
      onCreated(created.thread.id);
    } catch (err) {
      const shown = apiFieldErrors(err, mode);
      if (shown) showErrors(shown.fields, shown.rest);
      else setFormError(errorMessage(err));
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pendingRef.current) return;
    const errs = validate(mode, isInstructor, { ...values, hasRecipient: values.recipient !== null });
    showErrors(errs, null);
    if (!firstField(errs)) void send();
  }

  const sendBlocked = sender.pending || (mode === 'class' && noPrimaryClass(classes));
  return {
    isInstructor,
    mode,
    values,
    fieldErrors,
    formError,
    pending: sender.pending,
    sendBlocked,
    search,
    classes,
    change,
    chooseMode,
    submit,
  };
}

export type Compose = ReturnType<typeof useCompose>;

type CreateInput = Parameters<MessagingApi['createThread']>[0];

/**
 * Creates the thread with one key per message being sent, so a retry after a lost answer cannot
 * post it twice; `pendingRef` is shared with the dialog, which must not close (Esc) meanwhile.
 */
function useSendOnce(api: MessagingApi, pendingRef: RefObject<boolean>) {
  const [pending, setPending] = useState(false);
  const keyRef = useRef<string | null>(null);

  async function send(input: CreateInput) {
    pendingRef.current = true;
    setPending(true);
    const clientMessageId = (keyRef.current ??= newClientMessageId());
    try {
      const created = await api.createThread({ ...input, clientMessageId });
      keyRef.current = null;
      return created;
    } catch (err) {
      // Keep the key only when the server may have stored the message without our hearing of it.
      const uncertain = err instanceof ApiError && (err.status === 0 || err.status >= 500);
      if (!uncertain) keyRef.current = null;
      throw err;
    } finally {
      pendingRef.current = false;
      setPending(false);
    }
  }

  return {
    pending,
    send,
    /** Another recipient, class or kind makes another message, with a key of its own. */
    newMessage() {
      keyRef.current = null;
    },
  };
}
