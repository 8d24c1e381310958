// The list's rows without holding them: a header per batch, then (unless collapsed) its tasks.
// 100k tasks are 100k row indices, not 100k objects; a lookup is a binary search over the batches.
import type { Batch } from '../../../../shared/model'

export type Row = { kind: 'batch'; batchId: number } | { kind: 'task'; batchId: number; i: number }

export interface Layout {
  count: number
  row(index: number): Row
  /** The row index of a batch's task `i` (-1 when hidden or unknown). */
  indexOf(batchId: number, i: number): number
  /** The row index of a batch's header (-1 when not shown). */
  headerOf(batchId: number): number
}

/** How many of a batch's tasks the list shows under the current filter. */
export function shownCount(batch: Batch): number {
  if (batch.matching !== undefined) return batch.matching
  return Object.values(batch.counts).reduce((a, b) => a + b, 0)
}

/** What decides the layout: the batches shown, their sizes, which are collapsed. Equal keys, equal layouts. */
export function layoutKey(batches: readonly Batch[], collapsed: ReadonlySet<number>): string {
  return batches.map((b) => `${b.id}:${collapsed.has(b.id) ? 'c' : shownCount(b)}`).join(',')
}

export function layout(batches: readonly Batch[], collapsed: ReadonlySet<number>): Layout {
  const ids = batches.map((b) => b.id)
  const starts: number[] = []
  const sizes: number[] = []
  let count = 0
  for (const b of batches) {
    starts.push(count)
    const n = collapsed.has(b.id) ? 0 : shownCount(b)
    sizes.push(n)
    count += 1 + n
  }
  const find = (index: number) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= index) lo = mid
      else hi = mid - 1
    }
    return lo
  }
  return {
    count,
    row(index) {
      const k = find(index)
      const i = index - starts[k]! - 1
      return i < 0 ? { kind: 'batch', batchId: ids[k]! } : { kind: 'task', batchId: ids[k]!, i }
    },
    indexOf(batchId, i) {
      const k = ids.indexOf(batchId)
      return k < 0 || i < 0 || i >= sizes[k]! ? -1 : starts[k]! + 1 + i
    },
    headerOf(batchId) {
      const k = ids.indexOf(batchId)
      return k < 0 ? -1 : starts[k]!
    },
  }
}
