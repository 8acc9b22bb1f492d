// The new-message form's shared field look: a labelled control with its error and hint under it,
// both read with the control.
import { useId, type ReactNode } from 'react';

export const fieldClass =
  'w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 aria-invalid:border-red-600';

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-red-700">
      {message}
    </p>
  );
}

export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export function LabelledField({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error: string | undefined;
  /** The line under the field, given its id; null when there is nothing to say. */
  hint: ((id: string) => ReactNode) | null;
  children(control: ControlProps): ReactNode;
}) {
  const id = useId();
  const errorId = useId();
  const hintId = useId();
  const describedBy = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ');
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      <FieldError id={errorId} message={error} />
      {hint?.(hintId)}
    </div>
  );
}
