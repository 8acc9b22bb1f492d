'use client';
// What stands in for a stored message while it is edited or its deletion confirmed: the edit box
// and the confirmation, each ending in its action button and Cancel.
import type { MessageEdit } from './use-message-edit';

const BUTTONS = {
  edit: {
    action:
      'rounded-md bg-brand-700 px-2 py-1 text-xs font-semibold text-white hover:bg-brand-800 disabled:opacity-60',
    cancel: 'rounded-md px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100',
  },
  delete: {
    action: 'rounded-md bg-red-700 px-2 py-1 font-semibold text-white hover:bg-red-800 disabled:opacity-60',
    cancel: 'rounded-md px-2 py-1 font-medium text-slate-700 hover:bg-slate-100',
  },
} as const;

type Kind = keyof typeof BUTTONS;

/** The action: it says what it is doing while its request runs. */
function ActionButton({
  kind,
  label,
  busyLabel,
  edit,
  disabled,
  autoFocus,
  onClick,
}: {
  kind: Kind;
  label: string;
  busyLabel: string;
  edit: MessageEdit;
  disabled: boolean;
  autoFocus?: boolean;
  onClick(): void;
}) {
  return (
    <button
      type="button"
      autoFocus={autoFocus}
      disabled={disabled}
      onClick={onClick}
      className={BUTTONS[kind].action}
    >
      {edit.busy ? busyLabel : label}
    </button>
  );
}

function CancelButton({ kind, edit }: { kind: Kind; edit: MessageEdit }) {
  return (
    <button type="button" onClick={edit.cancel} className={BUTTONS[kind].cancel}>
      Cancel
    </button>
  );
}

export function EditForm({ messageId, edit }: { messageId: string; edit: MessageEdit }) {
  return (
    <div className="w-full min-w-64">
      <label className="sr-only" htmlFor={`edit-${messageId}`}>
        Edit message
      </label>
      <textarea
        id={`edit-${messageId}`}
        autoFocus
        value={edit.draft}
        onChange={(e) => edit.setDraft(e.target.value)}
        onKeyDown={edit.editKeys}
        className="block max-h-60 min-h-16 w-full rounded-lg border border-brand-600 px-3 py-2 text-sm [field-sizing:content]"
      />
      <div className="mt-1 flex justify-end gap-2">
        <CancelButton kind="edit" edit={edit} />
        <ActionButton
          kind="edit"
          label="Save"
          busyLabel="Saving…"
          edit={edit}
          disabled={!edit.canSave}
          onClick={edit.save}
        />
      </div>
    </div>
  );
}

export function ConfirmDelete({ edit }: { edit: MessageEdit }) {
  return (
    <div role="group" aria-label="Confirm delete" className="mt-1 flex items-center gap-2 text-xs">
      <span className="text-slate-700">Delete this message for everyone?</span>
      <ActionButton
        kind="delete"
        label="Delete"
        busyLabel="Deleting…"
        edit={edit}
        disabled={edit.busy}
        autoFocus
        onClick={edit.remove}
      />
      <CancelButton kind="delete" edit={edit} />
    </div>
  );
}
