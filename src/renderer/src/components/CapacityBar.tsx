import type { DeviceCapacity } from '../../../shared/sync-status'
import { formatBytes } from './format'
import './CapacityBar.css'

/** What the next sync would change on the device, from its plan. */
export interface CapacityChange {
  write: number
  free: number
}

const pct = (n: number, total: number) => (total > 0 ? `${Math.max(0, (n / total) * 100)}%` : '0%')

/**
 * A device's space as music players' managers show it: Ferry's files, other files and free space,
 * and what the next sync would add (+) and free (−). The bar is one image with a spoken summary; the
 * legend under it says the same in words.
 */
export function CapacityBar({
  capacity,
  change,
  label,
}: {
  capacity: DeviceCapacity
  change?: CapacityChange | null
  label: string
}) {
  const { totalBytes: total, freeBytes: free, ferryBytes: ferry, otherBytes: other } = capacity
  const freed = Math.min(change?.free ?? 0, ferry)
  const write = change?.write ?? 0
  const room = free + freed
  const fits = write <= room
  const freeAfter = room - write
  const parts = [
    { key: 'ferry', bytes: ferry - freed },
    { key: 'freed', bytes: freed },
    { key: fits ? 'added' : 'overflow', bytes: Math.min(write, room) },
    { key: 'other', bytes: other },
  ]
  const summary =
    `Ferry's files ${formatBytes(ferry)}, other files ${formatBytes(other)}, free ${formatBytes(free)} of ${formatBytes(total)}` +
    (change
      ? `; the next sync writes ${formatBytes(write)} and frees ${formatBytes(change.free)}, ${fits ? `leaving ${formatBytes(freeAfter)} free` : `${formatBytes(write - room)} more than there is room for`}`
      : '')
  return (
    <div className="capacity" role="group" aria-label={label}>
      <div className="capacity-bar" role="img" aria-label={summary}>
        {parts.map((p) =>
          p.bytes > 0 ? (
            <div
              key={p.key}
              className={`capacity-seg ${p.key}`}
              style={{ width: pct(p.bytes, total) }}
              data-bytes={p.bytes}
            />
          ) : null,
        )}
      </div>
      <ul className="capacity-legend">
        <li>
          <span className="swatch ferry" aria-hidden />
          Ferry <span className="num">{formatBytes(ferry)}</span>
        </li>
        <li>
          <span className="swatch other" aria-hidden />
          Other <span className="num">{formatBytes(other)}</span>
        </li>
        <li>
          <span className="swatch free" aria-hidden />
          Free <span className="num">{formatBytes(free)}</span>
          <span className="muted"> of </span>
          <span className="num muted">{formatBytes(total)}</span>
        </li>
        {change && (
          <li className="capacity-change">
            Next sync: {write === 0 && change.free === 0 && 'nothing to write or free'}
            {write > 0 && (
              <>
                <span className="num added-text">+{formatBytes(write)}</span> to write
              </>
            )}
            {write > 0 && change.free > 0 && ', '}
            {change.free > 0 && (
              <>
                <span className="num freed-text">−{formatBytes(change.free)}</span> to free
              </>
            )}
            {!fits && <span className="bad"> · short by {formatBytes(write - room)}</span>}
          </li>
        )}
      </ul>
    </div>
  )
}
