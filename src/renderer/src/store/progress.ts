import { create } from 'zustand'
import type { QueueProgress } from '../../../shared/model'
import { api } from '../api'
import { hidden, onShown } from './visible'

interface ProgressStore {
  progress?: QueueProgress
  api: { start(): void }
}

/**
 * The page shows progress at most this often while the queue works: 4 times a second reads as live
 * (the counts, bytes, rate and workers' percentages change too fast to read anyway), and each update
 * redraws the header, the workers panel and the filters' counts — a cost the engine's copy shares two
 * cores with (bench/ui.bench.mjs). A change anyone would see at once (paused or not, work under way
 * or not) is shown at once; nothing is drawn while the page is hidden (the latest is shown when it is
 * shown again).
 */
export const SHOW_MS = 250

let started = false

/** The queue is working (something pending or active) or not. */
const busy = (p: QueueProgress) => p.counts.pending + p.counts.active > 0

/**
 * The queue's live progress: one snapshot from the engine, then its `queue.progress` events (the
 * engine sends at most 10 a second, whatever the task rate; the page shows at most 4 of them, the
 * latest). The header, the workers panel and the queue view all read it; nothing polls.
 */
export const useProgress = create<ProgressStore>((set, get) => {
  let shownAt = 0
  let latest: QueueProgress | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const showNow = (progress: QueueProgress) => {
    if (timer) clearTimeout(timer)
    timer = undefined
    latest = undefined
    shownAt = Date.now()
    set({ progress })
  }
  const receive = (progress: QueueProgress) => {
    const shown = get().progress
    // Hidden (in the tray, a background tab): kept, and shown when the page is.
    if (shown && hidden()) {
      latest = progress
      return
    }
    const wait = shownAt + SHOW_MS - Date.now()
    if (!shown || wait <= 0 || shown.paused !== progress.paused || busy(shown) !== busy(progress))
      return showNow(progress)
    latest = progress
    timer ??= setTimeout(() => latest && showNow(latest), wait)
  }
  return {
    api: {
      start() {
        if (started) return
        started = true
        onShown(() => latest && showNow(latest))
        let lastEvent = 0
        api.on('queue.progress', (progress) => {
          lastEvent = Date.now()
          receive(progress)
        })
        // After a reconnect the engine's events resume by themselves; a changed queue asks for a
        // snapshot, unless progress events are flowing (the engine is working and sends them with each
        // change): a snapshot then would only add redraws.
        api.on('queue.changed', () => {
          if (Date.now() - lastEvent < 1000) return
          void api.invoke('queue.progress').then(receive)
        })
        void api.invoke('queue.progress').then(receive, () => undefined)
      },
    },
  }
})
