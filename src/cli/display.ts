import { type QueueProgress, waitingMessage } from '../shared/model'
import { bar, ellipsize, formatBytes, formatDuration } from './format'

/** The lines of the live display: one overall bar, then one line per worker. */
export function progressLines(p: QueueProgress, width = 100): string[] {
  const done = p.counts.ok + p.counts.skip + p.counts.fail + p.counts.cancelled
  const fraction = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.total > 0 ? done / p.total : 1
  const parts = [
    `${bar(fraction, 24)} ${done}/${p.total} tasks`,
    `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}`,
    `${formatBytes(p.rate)}/s`,
    `ETA ${formatDuration(p.eta)}`,
  ]
  // Everything left waits for a device: say so on the line a log keeps, instead of a frozen ETA.
  if (p.waitingFor.length && p.counts.active === 0) parts.splice(2, 2, waitingMessage(p.waitingFor[0]!))
  if (p.counts.fail) parts.push(`${p.counts.fail} failed`)
  if (p.paused) parts.push('PAUSED')
  const lines = [parts.join('  ')]
  for (const w of p.workers) {
    const head = `  ${w.lane} ${w.slot + 1}: `
    if (!w.task) {
      lines.push(`${head}idle`)
      continue
    }
    const pct = w.bytesTotal > 0 ? ` ${Math.floor((100 * w.bytesDone) / w.bytesTotal)}%` : ''
    lines.push(head + ellipsize(w.task, width - head.length - pct.length) + pct)
  }
  for (const r of p.waitingFor) lines.push(`  ${waitingMessage(r)}: ${r.tasks} tasks`)
  return lines
}

/**
 * Redraws the display in place on a terminal; elsewhere (a log, a pipe) prints a line every few
 * seconds, so logs stay readable.
 */
export class LiveDisplay {
  private drawn = 0
  private lastPlain = 0

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  update(p: QueueProgress): void {
    const lines = progressLines(p, this.out.columns ?? 100)
    if (this.out.isTTY) {
      const up = this.drawn ? `\x1b[${this.drawn}A` : ''
      this.out.write(`${up}\x1b[J${lines.join('\n')}\n`)
      this.drawn = lines.length
    } else if (Date.now() - this.lastPlain > 5000) {
      this.lastPlain = Date.now()
      this.out.write(`${lines[0]}\n`)
    }
  }

  finish(p: QueueProgress): void {
    if (this.out.isTTY) this.update(p)
    else this.out.write(`${progressLines(p)[0]}\n`)
  }
}
