'use client';
// A direct message's recipient: a search box, the matching people as radio buttons (a page at a
// time), and a note naming who the message goes to and whether it joins an existing conversation.
import { useId } from 'react';
import type { TRecipient } from '@/messaging/list-recipients';
import { secondaryButton } from '@/ui/buttons';
import { plural } from '@/ui/format';
import { FieldError, fieldClass } from './form-parts';
import type { RecipientSearch } from './use-recipient-search';

export function DirectFields({
  isInstructor,
  search,
  selected,
  error,
  onSelect,
}: {
  isInstructor: boolean;
  search: RecipientSearch;
  selected: TRecipient | null;
  error: string | undefined;
  onSelect(r: TRecipient): void;
}) {
  const statusId = useId();
  return (
    <div className="flex flex-col gap-3">
      <SearchBox isInstructor={isInstructor} search={search} statusId={statusId} />
      <RecipientChoice
        isInstructor={isInstructor}
        search={search}
        statusId={statusId}
        selected={selected}
        error={error}
        onSelect={onSelect}
      />
      {selected ? <SelectedRecipient recipient={selected} /> : null}
    </div>
  );
}

function SearchBox({
  isInstructor,
  search,
  statusId,
}: {
  isInstructor: boolean;
  search: RecipientSearch;
  statusId: string;
}) {
  const searchId = useId();
  return (
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
        value={search.query}
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
  );
}

/** The line under the legend: what is loading, how many match, or why there is no one. */
function searchStatus(search: RecipientSearch, isInstructor: boolean): string {
  const { results } = search;
  const who = isInstructor ? 'student' : 'instructor';
  const whoPlural = isInstructor ? 'students' : 'instructors';
  if (results.status === 'loading') return search.query.trim() ? 'Searching…' : `Loading ${whoPlural}…`;
  if (results.status === 'error') return '';
  const q = results.query;
  if (results.items.length === 0) {
    if (q) return `No ${whoPlural} match “${q}”.`;
    return isInstructor
      ? 'No students to message yet: students enrolled in your classes appear here.'
      : 'No instructors to message yet: the instructors of your classes appear here.';
  }
  return `${plural(results.items.length, who)}${results.nextCursor ? ' shown' : ''}${q ? ` matching “${q}”` : ''}.`;
}

function RecipientChoice({
  isInstructor,
  search,
  statusId,
  selected,
  error,
  onSelect,
}: {
  isInstructor: boolean;
  search: RecipientSearch;
  statusId: string;
  selected: TRecipient | null;
  error: string | undefined;
  onSelect(r: TRecipient): void;
}) {
  const errorId = useId();
  const { results } = search;
  return (
    <fieldset
      aria-describedby={error ? errorId : undefined}
      aria-busy={results.status === 'loading' || results.loadingMore}
      className="min-w-0"
    >
      <legend className="mb-1.5 text-sm font-medium text-slate-800">
        {isInstructor ? 'Choose a student' : 'Choose an instructor'}
      </legend>
      <p id={statusId} role="status" className="mb-2 text-sm text-slate-600">
        {searchStatus(search, isInstructor)}
      </p>
      {results.status === 'error' ? (
        <div className="mb-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <span role="alert">{results.error}</span>{' '}
          <button type="button" onClick={search.now} className="font-semibold underline underline-offset-2">
            Try again
          </button>
        </div>
      ) : null}
      {results.items.length > 0 ? (
        <RecipientList search={search} selected={selected} invalid={!!error} onSelect={onSelect} />
      ) : null}
      {results.loadingMore || !results.error || results.status === 'error' ? null : (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {results.error}
        </p>
      )}
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}

function RecipientList({
  search: { results },
  selected,
  invalid,
  onSelect,
}: {
  search: RecipientSearch;
  selected: TRecipient | null;
  invalid: boolean;
  onSelect(r: TRecipient): void;
}) {
  const radioName = useId();
  return (
    <div
      className={`max-h-60 overflow-y-auto rounded-lg border border-slate-200 sm:max-h-64 ${
        results.status === 'loading' ? 'opacity-60' : ''
      } ${invalid ? 'border-red-600' : ''}`}
    >
      <ul className="divide-y divide-slate-100">
        {results.items.map((r) => (
          <RecipientOption
            key={r.id}
            recipient={r}
            name={radioName}
            checked={selected?.id === r.id}
            onSelect={onSelect}
          />
        ))}
      </ul>
      {results.nextCursor ? (
        <div className="border-t border-slate-100 p-2">
          <button
            type="button"
            onClick={results.loadMore}
            aria-disabled={results.loadingMore}
            className={`${secondaryButton} w-full py-1.5`}
          >
            {results.loadingMore ? 'Loading…' : 'Load more'}
          </button>
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
  recipient: TRecipient;
  name: string;
  checked: boolean;
  onSelect(r: TRecipient): void;
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

function SelectedRecipient({ recipient }: { recipient: TRecipient }) {
  return (
    <div
      className="rounded-lg border border-brand-200 bg-brand-50 px-3 py-2 text-sm text-brand-900"
      aria-live="polite"
    >
      <p>
        To: <span className="font-semibold">{recipient.name}</span>
      </p>
      {recipient.directThreadId ? (
        <p className="mt-0.5">
          You already have a conversation with {recipient.name} — your message will be added to it.
        </p>
      ) : null}
    </div>
  );
}
