// A one-path icon drawn in a 20×20 box in the text's colour. Decorative: the button or text next
// to it says what it means.
export function Icon({ path, className = 'size-4' }: { path: string; className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className={className} fill="currentColor">
      <path d={path} />
    </svg>
  );
}
