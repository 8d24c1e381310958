/** A bar with an accessible value: `label` names it for screen readers. */
export function ProgressBar({
  value,
  label,
  tone,
}: {
  value: number
  label: string
  tone?: 'ok' | 'bad' | 'paused'
}) {
  const pct = Math.max(0, Math.min(100, Math.round(value * 100)))
  return (
    <div
      className={`progress ${tone ?? ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  )
}
