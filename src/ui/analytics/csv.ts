// CSV export of a report table: RFC 4180 quoting, and a leading apostrophe on cells a spreadsheet
// would run as a formula (names are user input).
export type TCell = string | number | null;

export function toCsv(header: readonly string[], rows: readonly (readonly TCell[])[]): string {
  const cell = (v: TCell) => {
    let s = v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
