// The last item of a paged list: a button that loads the next page (and, with `itemRef`, the
// element an observer watches to load it on scroll).
import type { Ref } from 'react';

export function LoadMoreItem({
  onLoad,
  loading,
  label,
  itemRef,
}: {
  onLoad: () => void;
  loading: boolean;
  label: string;
  itemRef?: Ref<HTMLLIElement>;
}) {
  return (
    <li ref={itemRef} className="p-3 text-center">
      <button
        type="button"
        onClick={onLoad}
        disabled={loading}
        className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline disabled:text-slate-500"
      >
        {loading ? 'Loading…' : label}
      </button>
    </li>
  );
}
