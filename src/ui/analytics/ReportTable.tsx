'use client';
// A report table with its CSV export: the same header and values feed both, so the file is what the
// screen shows (cells may render a link; the file gets the value).
import type { ReactNode } from 'react';
import { DataTable } from '@/ui/DataTable';
import { secondaryButton } from '@/ui/buttons';
import { toCsv, type TCell } from './csv';

export interface TReportRow {
  key: string;
  values: readonly TCell[];
  /** What the cells show, when not the values themselves. */
  cells?: readonly ReactNode[];
}

export function ReportTable({
  caption,
  header,
  rows,
  filename,
  empty,
}: {
  caption: string;
  header: readonly string[];
  rows: readonly TReportRow[];
  filename: string;
  empty: string;
}) {
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600">
          {rows.length} {rows.length === 1 ? 'row' : 'rows'}
        </p>
        {rows.length > 0 && (
          // A data: link, not a script-made download: it works the same in every browser and the file
          // is exactly the table shown (tables here are small: at most a year of days).
          <a
            className={`${secondaryButton} px-3 py-1.5`}
            download={filename}
            href={`data:text/csv;charset=utf-8,${encodeURIComponent(
              toCsv(
                header,
                rows.map((r) => r.values),
              ),
            )}`}
          >
            Download CSV<span className="sr-only">: {caption}</span>
          </a>
        )}
      </div>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
          {empty}
        </p>
      ) : (
        <DataTable
          caption={caption}
          columns={header.map((label) => ({ label }))}
          rows={rows.map((r) => ({ key: r.key, cells: r.cells ?? r.values.map((v) => v ?? '—') }))}
        />
      )}
    </div>
  );
}
