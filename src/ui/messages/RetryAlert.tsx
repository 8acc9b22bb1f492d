// A failed read inside a pane: what could not be done, why, and a way to try again.
export function RetryAlert({
  what,
  error,
  onRetry,
}: {
  what: string;
  error: string | null;
  onRetry(): void;
}) {
  return (
    <div role="alert" className="m-3 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900">
      <p>
        {what} {error}
      </p>
      <button
        type="button"
        onClick={onRetry}
        className="mt-2 rounded-md bg-red-700 px-3 py-1.5 text-xs font-semibold text-white hover:bg-red-800"
      >
        Try again
      </button>
    </div>
  );
}
