// A labelled <select> of the Materials page's forms.
export function SelectField({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  options: ReadonlyArray<readonly [value: string, label: string]>;
}) {
  return (
    <label className="flex min-w-36 flex-col text-sm font-medium text-slate-700">
      {label}
      <select
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="mt-1 rounded-lg border border-slate-300 px-3 py-2 text-sm font-normal"
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
