'use client';
// A class thread's fields: the class (only a primary instructor's classes can be chosen), its title,
// and whether students may reply (discussion) or only read (announcement).
import { useId } from 'react';
import { plural } from '@/ui/format';
import { TITLE_MAX, type FieldErrors, type Kind } from './compose-rules';
import { FieldError, LabelledField, fieldClass } from './form-parts';
import { noPrimaryClass, type TaughtClasses } from './use-taught-classes';

export function ClassFields({
  classes,
  classId,
  title,
  kind,
  urgent,
  errors,
  onClassId,
  onTitle,
  onKind,
  onUrgent,
}: {
  classes: TaughtClasses;
  classId: string;
  title: string;
  kind: Kind;
  urgent: boolean;
  errors: FieldErrors;
  onClassId(v: string): void;
  onTitle(v: string): void;
  onKind(v: Kind): void;
  onUrgent(v: boolean): void;
}) {
  return (
    <>
      <ClassSelect classes={classes} classId={classId} error={errors.classId} onChange={onClassId} />
      <TitleField title={title} error={errors.title} onChange={onTitle} />
      <KindChoice kind={kind} error={errors.kind} onChange={onKind} />
      {kind === 'announcement' ? (
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            checked={urgent}
            onChange={(e) => onUrgent(e.target.checked)}
            className="mt-1"
          />
          <span>
            <span className="font-medium text-slate-900">Urgent</span>
            <span className="block text-slate-500">
              Emailed at once to students who are away (never during their quiet hours).
            </span>
          </span>
        </label>
      ) : null}
    </>
  );
}

function ClassSelect({
  classes,
  classId,
  error,
  onChange,
}: {
  classes: TaughtClasses;
  classId: string;
  error: string | undefined;
  onChange(v: string): void;
}) {
  const hinted = noPrimaryClass(classes) || classes.status === 'error';
  return (
    <LabelledField
      label="Class"
      error={error}
      hint={hinted ? (id) => <ClassHint classes={classes} id={id} /> : null}
    >
      {(control) => (
        <select
          {...control}
          data-autofocus
          data-field="classId"
          value={classId}
          required
          onChange={(e) => onChange(e.target.value)}
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
      )}
    </LabelledField>
  );
}

/** Why the list cannot be used: it failed to load, or nothing in it can be posted to. */
function ClassHint({ classes, id }: { classes: TaughtClasses; id: string }) {
  if (classes.status === 'error') {
    return (
      <p id={id} role="alert" className="text-sm text-red-700">
        {classes.error}{' '}
        <button type="button" onClick={classes.retry} className="font-semibold underline underline-offset-2">
          Try again
        </button>
      </p>
    );
  }
  return (
    <p id={id} className="text-sm text-slate-600">
      {classes.list.length === 0
        ? 'You do not teach any classes yet.'
        : 'Only a class’s primary instructor can start a class thread.'}
    </p>
  );
}

function TitleField({
  title,
  error,
  onChange,
}: {
  title: string;
  error: string | undefined;
  onChange(v: string): void;
}) {
  return (
    <LabelledField
      label="Title"
      error={error}
      hint={(id) => (
        <p id={id} className="text-xs text-slate-600">
          {title.length}/{TITLE_MAX} characters
        </p>
      )}
    >
      {(control) => (
        <input
          {...control}
          type="text"
          data-field="title"
          value={title}
          maxLength={TITLE_MAX}
          required
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
          className={fieldClass}
        />
      )}
    </LabelledField>
  );
}

const KINDS: { value: Kind; label: string; description: string }[] = [
  { value: 'announcement', label: 'Announcement', description: 'Students can read but not reply' },
  { value: 'discussion', label: 'Discussion', description: 'Students can reply to everyone' },
];

function KindChoice({
  kind,
  error,
  onChange,
}: {
  kind: Kind;
  error: string | undefined;
  onChange(v: Kind): void;
}) {
  const errorId = useId();
  const name = useId();
  return (
    <fieldset className="min-w-0" aria-describedby={error ? errorId : undefined}>
      <legend className="mb-1.5 text-sm font-medium text-slate-800">Kind</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {KINDS.map((k) => (
          <KindOption key={k.value} name={name} checked={kind === k.value} onChange={onChange} {...k} />
        ))}
      </div>
      <FieldError id={errorId} message={error} />
    </fieldset>
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
