import type { ReactNode } from 'react';
import { Email } from './Email';

export interface Column {
  label: string;
  /** Extra classes for the column's header and cells, e.g. 'hidden sm:table-cell'. */
  className?: string;
}

/**
 * A simple bordered table. If it is still too wide it scrolls sideways inside a focusable region,
 * so keyboard users can scroll it too.
 */
export function DataTable({
  caption,
  columns,
  rows,
}: {
  caption: string;
  columns: readonly Column[];
  rows: readonly { key: string; cells: readonly ReactNode[] }[];
}) {
  return (
    <div
      role="region"
      aria-label={caption}
      tabIndex={0}
      className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            {columns.map((c) => (
              <th
                key={c.label}
                scope="col"
                className={`px-4 py-2.5 font-semibold text-slate-700 ${c.className ?? ''}`}
              >
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, i) => (
                <td
                  key={columns[i]?.label ?? i}
                  className={`px-4 py-3 align-top text-slate-700 ${columns[i]?.className ?? ''}`}
                >
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A person's name, with their email under it on phones (where the Email column is hidden). */
export function NameCell({ name, email }: { name: string; email: string }) {
  return (
    <>
      <span className="block font-medium text-slate-900">{name}</span>
      <Email address={email} className="block text-xs text-slate-600 sm:hidden" />
    </>
  );
}

export const emailColumn: Column = { label: 'Email', className: 'hidden sm:table-cell' };
