/** An indeterminate progress indicator; give it a label when it stands alone. */
export function Spinner({ size = 'sm', label }: { size?: 'sm' | 'lg'; label?: string }) {
  const spinner = (
    <span className={`ui-spinner ${size === 'lg' ? 'ui-spinner--lg' : ''}`} aria-hidden="true" />
  );
  if (!label) return spinner;
  return (
    <output className="ui-spinner-status">
      {spinner}
      <span className="visually-hidden">{label}</span>
    </output>
  );
}
