'use client';
// Starting a conversation, in a modal <dialog> (Esc closes it, focus stays inside and returns to the
// opener; a full-height sheet on phones). Instructors choose between a direct message to one of
// their students and a class thread (announcement or discussion, primary instructors only);
// students message one of their instructors. The API's own rules decide: its field errors are shown
// next to the fields, anything else in an alert.
import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { newClientMessageId } from '@/realtime/client';
import { primaryButton, secondaryButton } from '@/ui/buttons';
import { plural } from '@/ui/format';
import { ApiError, errorMessage, isAbort, type ComposeClass, type MessagingApi, type Recipient } from './api';
import { useMessaging } from './MessagingProvider';

type Mode = 'direct' | 'class';
type Kind = 'announcement' | 'discussion';

/** The create-thread schema's limits (src/messaging/create-thread.ts, ids.ts). */
const TITLE_MAX = 200;
const CONTENT_MAX = 10_000;
const SEARCH_DEBOUNCE_MS = 250;
const PAGE_SIZE = 20;

/** The fields the create-thread API names in its validation errors. */
type Field = 'recipientId' | 'classId' | 'title' | 'kind' | 'content';
const FIELDS: readonly Field[] = ['recipientId', 'classId', 'title', 'kind', 'content'];
type FieldErrors = Partial<Record<Field, string>>;

export function NewMessageDialog({
  open,
  initialMode,
  onClose,
  onCreated,
}: {
  open: boolean;
  initialMode: 'direct' | 'class';
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
        <Compose
          initialMode={initialMode}
          headingId={headingId}
          pendingRef={pendingRef}
          onCancel={() => dialogRef.current?.close()}
          onCreated={onCreated}
        />
      ) : null}
    </dialog>
  );
}

// ---- the form ---------------------------------------------------------------------------------

function Compose({
  initialMode,
  headingId,
  pendingRef,
  onCancel,
  onCreated,
}: {
  initialMode: Mode;
  headingId: string;
  pendingRef: RefObject<boolean>;
  onCancel(): void;
  onCreated(threadId: string): void;
}) {
  const { api, area } = useMessaging();
  const isInstructor = area === 'instructor';
  const [mode, setMode] = useState<Mode>(isInstructor ? initialMode : 'direct');
  const [content, setContent] = useState('');
  const [recipient, setRecipient] = useState<Recipient | null>(null);
  const [classId, setClassId] = useState('');
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<Kind>('announcement');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // One key per message being sent: a retry after a lost answer cannot post it twice.
  const keyRef = useRef<string | null>(null);
  const search = useRecipientSearch(api);
  const classes = useComposeClasses(api, isInstructor, (list) => {
    const first = list.find((c) => c.isPrimary);
    if (first) setClassId((current) => current || first.id);
  });

  const ids = {
    tabDirect: useId(),
    tabClass: useId(),
    panel: useId(),
    content: useId(),
    contentError: useId(),
    contentHint: useId(),
  };

  function clearError(field: Field) {
    setFieldErrors((errs) => (errs[field] ? { ...errs, [field]: undefined } : errs));
  }

  function newTarget() {
    keyRef.current = null;
  }

  function chooseMode(next: Mode) {
    if (next === mode) return;
    newTarget();
    setMode(next);
    setFieldErrors({});
    setFormError(null);
  }

  function onTabKeyDown(e: KeyboardEvent<HTMLButtonElement>) {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    const next: Mode =
      e.key === 'Home' ? 'direct' : e.key === 'End' ? 'class' : mode === 'direct' ? 'class' : 'direct';
    chooseMode(next);
    document.getElementById(next === 'direct' ? ids.tabDirect : ids.tabClass)?.focus();
  }

  function validate(): FieldErrors {
    const errs: FieldErrors = {};
    if (mode === 'direct' && !recipient) {
      errs.recipientId = isInstructor ? 'Choose a student.' : 'Choose an instructor.';
    }
    if (mode === 'class') {
      if (!classId) errs.classId = 'Choose a class.';
      if (!title.trim()) errs.title = 'Give the thread a title.';
      else if (title.trim().length > TITLE_MAX) errs.title = `At most ${TITLE_MAX} characters.`;
    }
    if (!content.trim()) errs.content = 'Write a message.';
    else if (content.trim().length > CONTENT_MAX)
      errs.content = 'A message can be at most 10,000 characters.';
    return errs;
  }

  function focusField(field: Field) {
    formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus();
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pendingRef.current) return;
    const errs = validate();
    const first = FIELDS.find((f) => errs[f]);
    setFieldErrors(errs);
    setFormError(null);
    if (first) {
      focusField(first);
      return;
    }
    if (mode === 'direct' && !recipient) return;
    pendingRef.current = true;
    setPending(true);
    const clientMessageId = (keyRef.current ??= newClientMessageId());
    try {
      const created = await api.createThread(
        mode === 'direct'
          ? { type: 'DIRECT', recipientId: recipient?.id ?? '', content, clientMessageId }
          : { type: 'CLASS', classId, title: title.trim(), kind, content, clientMessageId },
      );
      keyRef.current = null;
      pendingRef.current = false;
      setPending(false);
      onCreated(created.thread.id);
    } catch (err) {
      pendingRef.current = false;
      setPending(false);
      // Keep the key only when the server may have stored the message without our hearing of it.
      const uncertain = err instanceof ApiError && (err.status === 0 || err.status >= 500);
      if (!uncertain) keyRef.current = null;
      const shown = apiFieldErrors(err, mode);
      if (shown) {
        setFieldErrors(shown.fields);
        setFormError(shown.rest);
        const firstApi = FIELDS.find((f) => shown.fields[f]);
        if (firstApi) focusField(firstApi);
      } else {
        setFormError(errorMessage(err));
      }
    }
  }

  const noPrimaryClass = classes.status === 'ready' && !classes.list.some((c) => c.isPrimary);
  const sendBlocked = pending || (mode === 'class' && noPrimaryClass);

  return (
    <form ref={formRef} noValidate onSubmit={submit} className="flex h-full max-h-[inherit] flex-col">
      <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-4 py-3 sm:px-5">
        <h2 id={headingId} className="text-lg font-semibold text-slate-900">
          New message
        </h2>
        <button
          type="button"
          onClick={onCancel}
          aria-disabled={pending}
          className="inline-flex size-9 items-center justify-center rounded-lg text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-disabled:opacity-60"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-5">
            <path d="M5.3 4.3a1 1 0 0 1 1.4 0L10 7.6l3.3-3.3a1 1 0 1 1 1.4 1.4L11.4 9l3.3 3.3a1 1 0 0 1-1.4 1.4L10 10.4l-3.3 3.3a1 1 0 0 1-1.4-1.4L8.6 9 5.3 5.7a1 1 0 0 1 0-1.4Z" />
          </svg>
          <span className="sr-only">Close</span>
        </button>
      </div>

      <div className="min-h-0 flex-1 overflow-y-auto overscroll-contain px-4 py-4 sm:px-5">
        {isInstructor ? (
          <div
            role="tablist"
            aria-label="Kind of conversation"
            className="mb-4 grid grid-cols-2 gap-1 rounded-lg bg-slate-100 p-1"
          >
            <ModeTab
              id={ids.tabDirect}
              panelId={ids.panel}
              selected={mode === 'direct'}
              onSelect={() => chooseMode('direct')}
              onKeyDown={onTabKeyDown}
            >
              Direct message
            </ModeTab>
            <ModeTab
              id={ids.tabClass}
              panelId={ids.panel}
              selected={mode === 'class'}
              onSelect={() => chooseMode('class')}
              onKeyDown={onTabKeyDown}
            >
              Class thread
            </ModeTab>
          </div>
        ) : null}

        <div
          id={ids.panel}
          // Not labelled by its tab on purpose: "Direct message" would also match getByLabel('Message').
          role={isInstructor ? 'tabpanel' : undefined}
          className="flex flex-col gap-4"
        >
          {mode === 'direct' ? (
            <RecipientPicker
              isInstructor={isInstructor}
              search={search}
              selected={recipient}
              error={fieldErrors.recipientId}
              onSelect={(r) => {
                if (r.id !== recipient?.id) newTarget();
                setRecipient(r);
                clearError('recipientId');
              }}
            />
          ) : (
            <ClassFields
              classes={classes}
              classId={classId}
              title={title}
              kind={kind}
              errors={fieldErrors}
              onClassId={(v) => {
                newTarget();
                setClassId(v);
                clearError('classId');
              }}
              onTitle={(v) => {
                setTitle(v);
                clearError('title');
              }}
              onKind={(v) => {
                newTarget();
                setKind(v);
                clearError('kind');
              }}
            />
          )}

          <div className="flex flex-col gap-1.5">
            <label htmlFor={ids.content} className="text-sm font-medium text-slate-800">
              Message
            </label>
            <textarea
              id={ids.content}
              data-field="content"
              rows={5}
              value={content}
              maxLength={CONTENT_MAX}
              required
              aria-invalid={fieldErrors.content ? true : undefined}
              aria-describedby={
                fieldErrors.content ? `${ids.contentError} ${ids.contentHint}` : ids.contentHint
              }
              onChange={(e) => {
                setContent(e.target.value);
                clearError('content');
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
                  e.preventDefault();
                  formRef.current?.requestSubmit();
                }
              }}
              className={`${fieldClass} min-h-28 resize-y`}
            />
            <FieldError id={ids.contentError} message={fieldErrors.content} />
            <p id={ids.contentHint} className="text-xs text-slate-600">
              Ctrl+Enter (⌘+Enter on a Mac) sends.
            </p>
          </div>
        </div>
      </div>

      <div className="border-t border-slate-200 px-4 py-3 sm:px-5">
        {formError ? (
          <p
            role="alert"
            className="mb-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          >
            {formError}
          </p>
        ) : null}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <button type="button" onClick={onCancel} aria-disabled={pending} className={secondaryButton}>
            Cancel
          </button>
          <button
            type="submit"
            aria-disabled={sendBlocked}
            className={`${primaryButton} aria-disabled:cursor-not-allowed aria-disabled:opacity-70`}
            onClick={(e) => {
              if (sendBlocked) e.preventDefault();
            }}
          >
            {pending ? 'Sending…' : 'Send'}
          </button>
        </div>
      </div>
    </form>
  );
}

const fieldClass =
  'w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 aria-invalid:border-red-600';

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-red-700">
      {message}
    </p>
  );
}

function ModeTab({
  id,
  panelId,
  selected,
  onSelect,
  onKeyDown,
  children,
}: {
  id: string;
  panelId: string;
  selected: boolean;
  onSelect(): void;
  onKeyDown(e: KeyboardEvent<HTMLButtonElement>): void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      role="tab"
      id={id}
      aria-selected={selected}
      aria-controls={panelId}
      tabIndex={selected ? 0 : -1}
      onClick={onSelect}
      onKeyDown={onKeyDown}
      className={`rounded-md px-3 py-2 text-sm font-semibold ${
        selected
          ? 'bg-white text-brand-800 shadow-sm ring-1 ring-slate-200'
          : 'text-slate-700 hover:text-slate-900'
      }`}
    >
      {children}
    </button>
  );
}

/** The API's validation errors by field, and any other message for the alert. */
function apiFieldErrors(err: unknown, mode: Mode): { fields: FieldErrors; rest: string | null } | null {
  if (!(err instanceof ApiError) || !err.fields) return null;
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const [key, messages] of Object.entries(err.fields)) {
    const message = messages.join(' ');
    const field = FIELDS.find((f) => f === key);
    const shownHere =
      field && (mode === 'direct' ? field === 'recipientId' || field === 'content' : field !== 'recipientId');
    if (field && shownHere) fields[field] = message;
    else rest.push(message);
  }
  if (Object.keys(fields).length === 0) return { fields, rest: rest.join(' ') || err.message };
  return { fields, rest: rest.length ? rest.join(' ') : null };
}

// ---- direct: who to write to ------------------------------------------------------------------

interface SearchState {
  status: 'loading' | 'ready' | 'error';
  /** The query the results are for. */
  q: string;
  recipients: Recipient[];
  nextCursor: string | null;
  loadingMore: boolean;
  error: string | null;
}

function useRecipientSearch(api: MessagingApi) {
  const [query, setQuery] = useState('');
  const [state, setState] = useState<SearchState>({
    status: 'loading',
    q: '',
    recipients: [],
    nextCursor: null,
    loadingMore: false,
    error: null,
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const controller = useRef<AbortController | null>(null);

  const fetchPage = useCallback(
    (q: string, cursor: string | null) => {
      controller.current?.abort();
      const c = new AbortController();
      controller.current = c;
      api
        .recipients({ q: q || undefined, cursor, limit: PAGE_SIZE }, c.signal)
        .then((page) =>
          setState((prev) => {
            const recipients = cursor
              ? [
                  ...prev.recipients,
                  ...page.recipients.filter((r) => !prev.recipients.some((p) => p.id === r.id)),
                ]
              : page.recipients;
            return {
              status: 'ready',
              q,
              recipients,
              nextCursor: page.nextCursor,
              loadingMore: false,
              error: null,
            };
          }),
        )
        .catch((err: unknown) => {
          if (isAbort(err)) return;
          setState((prev) => ({
            ...prev,
            status: cursor ? prev.status : 'error',
            q,
            loadingMore: false,
            error: errorMessage(err),
          }));
        });
    },
    [api],
  );

  useEffect(() => {
    fetchPage('', null);
    return () => {
      controller.current?.abort();
      clearTimeout(timer.current);
    };
  }, [fetchPage]);

  const run = (q: string) => {
    clearTimeout(timer.current);
    setState((prev) => ({ ...prev, status: 'loading', loadingMore: false, error: null }));
    fetchPage(q.trim(), null);
  };

  return {
    query,
    state,
    setQuery(value: string) {
      setQuery(value);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => run(value), SEARCH_DEBOUNCE_MS);
    },
    /** Search now (Enter in the box, or Try again). */
    now: () => run(query),
    loadMore() {
      if (!state.nextCursor || state.loadingMore || state.status !== 'ready') return;
      setState((prev) => ({ ...prev, loadingMore: true, error: null }));
      fetchPage(state.q, state.nextCursor);
    },
  };
}

type RecipientSearch = ReturnType<typeof useRecipientSearch>;

function RecipientPicker({
  isInstructor,
  search,
  selected,
  error,
  onSelect,
}: {
  isInstructor: boolean;
  search: RecipientSearch;
  selected: Recipient | null;
  error: string | undefined;
  onSelect(r: Recipient): void;
}) {
  const searchId = useId();
  const statusId = useId();
  const errorId = useId();
  const radioName = useId();
  const { state, query } = search;
  const who = isInstructor ? 'student' : 'instructor';
  const whoPlural = isInstructor ? 'students' : 'instructors';

  let status: string;
  if (state.status === 'loading') status = query.trim() ? 'Searching…' : `Loading ${whoPlural}…`;
  else if (state.status === 'error') status = '';
  else if (state.recipients.length === 0) {
    status = state.q
      ? `No ${whoPlural} match “${state.q}”.`
      : isInstructor
        ? 'No students to message yet: students enrolled in your classes appear here.'
        : 'No instructors to message yet: the instructors of your classes appear here.';
  } else {
    status = `${plural(state.recipients.length, who)}${state.nextCursor ? ' shown' : ''}${state.q ? ` matching “${state.q}”` : ''}.`;
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1.5">
        <label htmlFor={searchId} className="text-sm font-medium text-slate-800">
          {isInstructor ? 'Search students' : 'Search your instructors'}
        </label>
        <input
          id={searchId}
          type="search"
          data-autofocus
          data-field="recipientId"
          autoComplete="off"
          enterKeyHint="search"
          placeholder="Name or email"
          value={query}
          aria-describedby={statusId}
          onChange={(e) => search.setQuery(e.target.value)}
          onKeyDown={(e) => {
            // Enter searches; it must not send the message.
            if (e.key === 'Enter') {
              e.preventDefault();
              search.now();
            }
          }}
          className={fieldClass}
        />
      </div>

      <fieldset
        aria-describedby={error ? errorId : undefined}
        aria-busy={state.status === 'loading' || state.loadingMore}
        className="min-w-0"
      >
        <legend className="mb-1.5 text-sm font-medium text-slate-800">
          {isInstructor ? 'Choose a student' : 'Choose an instructor'}
        </legend>
        <p id={statusId} role="status" className="mb-2 text-sm text-slate-600">
          {status}
        </p>
        {state.status === 'error' ? (
          <div className="mb-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            <span role="alert">{state.error}</span>{' '}
            <button type="button" onClick={search.now} className="font-semibold underline underline-offset-2">
              Try again
            </button>
          </div>
        ) : null}
        {state.recipients.length > 0 ? (
          <div
            className={`max-h-60 overflow-y-auto rounded-lg border border-slate-200 sm:max-h-64 ${
              state.status === 'loading' ? 'opacity-60' : ''
            } ${error ? 'border-red-600' : ''}`}
          >
            <ul className="divide-y divide-slate-100">
              {state.recipients.map((r) => (
                <RecipientOption
                  key={r.id}
                  recipient={r}
                  name={radioName}
                  checked={selected?.id === r.id}
                  onSelect={onSelect}
                />
              ))}
            </ul>
            {state.nextCursor ? (
              <div className="border-t border-slate-100 p-2">
                <button
                  type="button"
                  onClick={search.loadMore}
                  aria-disabled={state.loadingMore}
                  className={`${secondaryButton} w-full py-1.5`}
                >
                  {state.loadingMore ? 'Loading…' : 'Load more'}
                </button>
              </div>
            ) : null}
          </div>
        ) : null}
        {state.loadingMore || !state.error || state.status === 'error' ? null : (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {state.error}
          </p>
        )}
        <FieldError id={errorId} message={error} />
      </fieldset>

      {selected ? (
        <div
          className="rounded-lg border border-brand-200 bg-brand-50 px-3 py-2 text-sm text-brand-900"
          aria-live="polite"
        >
          <p>
            To: <span className="font-semibold">{selected.name}</span>
          </p>
          {selected.directThreadId ? (
            <p className="mt-0.5">
              You already have a conversation with {selected.name} — your message will be added to it.
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function RecipientOption({
  recipient: r,
  name,
  checked,
  onSelect,
}: {
  recipient: Recipient;
  name: string;
  checked: boolean;
  onSelect(r: Recipient): void;
}) {
  const nameId = useId();
  const detailId = useId();
  const codes = r.classes.map((c) => c.code).join(' · ');
  return (
    <li>
      <label className="flex cursor-pointer items-start gap-3 px-3 py-2.5 hover:bg-slate-50 has-checked:bg-brand-50">
        <input
          type="radio"
          name={name}
          value={r.id}
          checked={checked}
          onChange={() => onSelect(r)}
          aria-labelledby={nameId}
          aria-describedby={codes || r.directThreadId ? detailId : undefined}
          className="mt-0.5 size-4 shrink-0 accent-brand-700"
        />
        <span className="min-w-0 flex-1">
          <span id={nameId} className="block truncate text-sm font-medium text-slate-900">
            {r.name}
          </span>
          <span id={detailId} className="flex flex-wrap justify-between gap-x-3 text-xs text-slate-600">
            {codes ? <span className="min-w-0 truncate">{codes}</span> : null}
            {r.directThreadId ? (
              <span className="shrink-0">
                <span className="sr-only">, </span>Existing conversation
              </span>
            ) : null}
          </span>
        </span>
      </label>
    </li>
  );
}

// ---- class thread -----------------------------------------------------------------------------

interface ClassesState {
  status: 'loading' | 'ready' | 'error';
  list: ComposeClass[];
  error: string | null;
  retry(): void;
}

function useComposeClasses(
  api: MessagingApi,
  enabled: boolean,
  onLoaded: (list: ComposeClass[]) => void,
): ClassesState {
  const [state, setState] = useState<Omit<ClassesState, 'retry'>>({
    status: 'loading',
    list: [],
    error: null,
  });
  const [attempt, setAttempt] = useState(0);
  const loaded = useRef(onLoaded);
  useEffect(() => {
    loaded.current = onLoaded;
  });

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    api
      .classes(controller.signal)
      .then(({ classes }) => {
        setState({ status: 'ready', list: classes, error: null });
        loaded.current(classes);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setState({ status: 'error', list: [], error: errorMessage(err) });
      });
    return () => controller.abort();
  }, [api, enabled, attempt]);

  return {
    ...state,
    retry() {
      setState({ status: 'loading', list: [], error: null });
      setAttempt((n) => n + 1);
    },
  };
}

function ClassFields({
  classes,
  classId,
  title,
  kind,
  errors,
  onClassId,
  onTitle,
  onKind,
}: {
  classes: ClassesState;
  classId: string;
  title: string;
  kind: Kind;
  errors: FieldErrors;
  onClassId(v: string): void;
  onTitle(v: string): void;
  onKind(v: Kind): void;
}) {
  const classFieldId = useId();
  const classErrorId = useId();
  const classHintId = useId();
  const titleId = useId();
  const titleErrorId = useId();
  const titleHintId = useId();
  const kindErrorId = useId();
  const kindName = useId();
  const noPrimary = classes.status === 'ready' && !classes.list.some((c) => c.isPrimary);

  return (
    <>
      <div className="flex flex-col gap-1.5">
        <label htmlFor={classFieldId} className="text-sm font-medium text-slate-800">
          Class
        </label>
        <select
          id={classFieldId}
          data-autofocus
          data-field="classId"
          value={classId}
          required
          aria-invalid={errors.classId ? true : undefined}
          aria-describedby={
            [errors.classId ? classErrorId : '', noPrimary || classes.status === 'error' ? classHintId : '']
              .filter(Boolean)
              .join(' ') || undefined
          }
          onChange={(e) => onClassId(e.target.value)}
          className={fieldClass}
        >
          {classes.status === 'loading' ? <option value="">Loading classes…</option> : null}
          {classes.status === 'error' ? <option value="">Classes could not be loaded</option> : null}
          {classes.status === 'ready' && !classId ? <option value="">Choose a class</option> : null}
          {classes.list.map((c) => (
            <option key={c.id} value={c.id} disabled={!c.isPrimary}>
              {c.name} ({c.code})
              {c.isPrimary
                ? ` · ${plural(c.enrolledCount, 'student')}`
                : ' (co-instructor: only the primary instructor can post)'}
            </option>
          ))}
        </select>
        <FieldError id={classErrorId} message={errors.classId} />
        {classes.status === 'error' ? (
          <p id={classHintId} role="alert" className="text-sm text-red-700">
            {classes.error}{' '}
            <button
              type="button"
              onClick={classes.retry}
              className="font-semibold underline underline-offset-2"
            >
              Try again
            </button>
          </p>
        ) : noPrimary ? (
          <p id={classHintId} className="text-sm text-slate-600">
            {classes.list.length === 0
              ? 'You do not teach any classes yet.'
              : 'Only a class’s primary instructor can start a class thread.'}
          </p>
        ) : null}
      </div>

      <div className="flex flex-col gap-1.5">
        <label htmlFor={titleId} className="text-sm font-medium text-slate-800">
          Title
        </label>
        <input
          id={titleId}
          type="text"
          data-field="title"
          value={title}
          maxLength={TITLE_MAX}
          required
          autoComplete="off"
          aria-invalid={errors.title ? true : undefined}
          aria-describedby={errors.title ? `${titleErrorId} ${titleHintId}` : titleHintId}
          onChange={(e) => onTitle(e.target.value)}
          className={fieldClass}
        />
        <FieldError id={titleErrorId} message={errors.title} />
        <p id={titleHintId} className="text-xs text-slate-600">
          {title.length}/{TITLE_MAX} characters
        </p>
      </div>

      <fieldset className="min-w-0" aria-describedby={errors.kind ? kindErrorId : undefined}>
        <legend className="mb-1.5 text-sm font-medium text-slate-800">Kind</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          <KindOption
            name={kindName}
            value="announcement"
            checked={kind === 'announcement'}
            onChange={onKind}
            label="Announcement"
            description="Students can read but not reply"
          />
          <KindOption
            name={kindName}
            value="discussion"
            checked={kind === 'discussion'}
            onChange={onKind}
            label="Discussion"
            description="Students can reply to everyone"
          />
        </div>
        <FieldError id={kindErrorId} message={errors.kind} />
      </fieldset>
    </>
  );
}

function KindOption({
  name,
  value,
  checked,
  onChange,
  label,
  description,
}: {
  name: string;
  value: Kind;
  checked: boolean;
  onChange(v: Kind): void;
  label: string;
  description: string;
}) {
  const labelId = useId();
  const descriptionId = useId();
  return (
    <label className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-300 px-3 py-2.5 hover:bg-slate-50 has-checked:border-brand-600 has-checked:bg-brand-50">
      <input
        type="radio"
        name={name}
        value={value}
        data-field={value === 'announcement' ? 'kind' : undefined}
        checked={checked}
        onChange={() => onChange(value)}
        aria-labelledby={labelId}
        aria-describedby={descriptionId}
        className="mt-0.5 size-4 shrink-0 accent-brand-700"
      />
      <span className="min-w-0">
        <span id={labelId} className="block text-sm font-medium text-slate-900">
          {label}
        </span>
        <span id={descriptionId} className="block text-xs text-slate-600">
          {description}
        </span>
      </span>
    </label>
  );
}
