'use client';
// The new-message form inside the dialog: a header with Close, the Direct / Class tabs (instructors
// only), the fields of the chosen kind, the message, and Cancel / Send.
import { useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { primaryButton, secondaryButton } from '@/ui/buttons';
import { ClassFields } from './ClassFields';
import { CONTENT_MAX, type FieldErrors, type Mode } from './compose-rules';
import { DirectFields } from './DirectFields';
import { LabelledField, fieldClass } from './form-parts';
import { useCompose, type Compose } from './use-compose';
import type { TRecipient } from '@/messaging/list-recipients';

export function ComposeForm({
  initialMode,
  initialRecipient = null,
  initialClassId = '',
  headingId,
  pendingRef,
  onCancel,
  onCreated,
}: {
  initialMode: Mode;
  initialRecipient?: TRecipient | null;
  initialClassId?: string;
  headingId: string;
  pendingRef: RefObject<boolean>;
  onCancel(): void;
  onCreated(threadId: string): void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const panelId = useId();
  const form = useCompose({
    initialMode,
    initialRecipient,
    initialClassId,
    pendingRef,
    onCreated,
    focusField: (field) => formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus(),
  });
  const { isInstructor, mode, values, fieldErrors, change } = form;

  return (
    <form ref={formRef} noValidate onSubmit={form.submit} className="flex h-full max-h-[inherit] flex-col">
      <FormHeader headingId={headingId} pending={form.pending} onCancel={onCancel} />
      <div className="min-h-0 flex-1 overflow-y-auto overscroll-contain px-4 py-4 sm:px-5">
        {isInstructor ? <ModeTabs mode={mode} panelId={panelId} onChoose={form.chooseMode} /> : null}
        <div
          id={panelId}
          // Not labelled by its tab on purpose: "Direct message" would also match getByLabel('Message').
          role={isInstructor ? 'tabpanel' : undefined}
          className="flex flex-col gap-4"
        >
          {mode === 'direct' ? (
            <DirectFields
              isInstructor={isInstructor}
              search={form.search}
              selected={values.recipient}
              error={fieldErrors.recipientId}
              onSelect={(r) => change('recipient', r)}
            />
          ) : (
            <ClassFields
              classes={form.classes}
              classId={values.classId}
              title={values.title}
              kind={values.kind}
              urgent={values.urgent}
              errors={fieldErrors}
              onClassId={(v) => change('classId', v)}
              onTitle={(v) => change('title', v)}
              onKind={(v) => change('kind', v)}
              onUrgent={(v) => change('urgent', v)}
            />
          )}
          <ContentField
            value={values.content}
            errors={fieldErrors}
            onChange={(v) => change('content', v)}
            onSend={() => formRef.current?.requestSubmit()}
          />
        </div>
      </div>
      <FormFooter form={form} onCancel={onCancel} />
    </form>
  );
}

function FormHeader({
  headingId,
  pending,
  onCancel,
}: {
  headingId: string;
  pending: boolean;
  onCancel(): void;
}) {
  return (
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
  );
}

const TABS: { mode: Mode; label: string }[] = [
  { mode: 'direct', label: 'Direct message' },
  { mode: 'class', label: 'Class thread' },
];

/** Two tabs with the arrow keys, Home and End of the ARIA tabs pattern; choosing follows focus. */
function ModeTabs({ mode, panelId, onChoose }: { mode: Mode; panelId: string; onChoose(m: Mode): void }) {
  const ids: Record<Mode, string> = { direct: useId(), class: useId() };

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>) {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    const next: Mode =
      e.key === 'Home' ? 'direct' : e.key === 'End' ? 'class' : mode === 'direct' ? 'class' : 'direct';
    onChoose(next);
    document.getElementById(ids[next])?.focus();
  }

  return (
    <div
      role="tablist"
      aria-label="Kind of conversation"
      className="mb-4 grid grid-cols-2 gap-1 rounded-lg bg-slate-100 p-1"
    >
      {TABS.map((tab) => (
        <ModeTab
          key={tab.mode}
          id={ids[tab.mode]}
          panelId={panelId}
          selected={mode === tab.mode}
          onSelect={() => onChoose(tab.mode)}
          onKeyDown={onKeyDown}
        >
          {tab.label}
        </ModeTab>
      ))}
    </div>
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

function ContentField({
  value,
  errors,
  onChange,
  onSend,
}: {
  value: string;
  errors: FieldErrors;
  onChange(v: string): void;
  onSend(): void;
}) {
  return (
    <LabelledField
      label="Message"
      error={errors.content}
      hint={(id) => (
        <p id={id} className="text-xs text-slate-600">
          Ctrl+Enter (⌘+Enter on a Mac) sends.
        </p>
      )}
    >
      {(control) => (
        <textarea
          {...control}
          data-field="content"
          rows={5}
          value={value}
          maxLength={CONTENT_MAX}
          required
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              onSend();
            }
          }}
          className={`${fieldClass} min-h-28 resize-y`}
        />
      )}
    </LabelledField>
  );
}

function FormFooter({ form, onCancel }: { form: Compose; onCancel(): void }) {
  const { formError, pending, sendBlocked } = form;
  return (
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
  );
}
