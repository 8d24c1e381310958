import { create } from 'zustand'
import type { QueueProgress } from '../../../shared/model'
import { api } from '../api'

interface ProgressStore {
  progress?: QueueProgress
  api: { start(): void }
}

let started = false

/**
 * The queue's live progress: one snapshot from the engine, then its `queue.progress` events (the
 * engine sends at most 10 a second, whatever the task rate). The header, the workers panel and the
 * queue view all read it; nothing polls.
 */
export const useProgress = create<ProgressStore>((set) => ({
  api: {
    start() {
      if (started) return
      started = true
      let lastEvent = 0
      api.on('queue.progress', (progress) => {
        lastEvent = Date.now()
        set({ progress })
      })
      // After a reconnect the engine's events resume by themselves; a changed queue asks for a snapshot,
      // unless progress events are flowing (the engine is working and sends them with each change):
      // a snapshot then would double the redraws, past 10 a second.
      api.on('queue.changed', () => {
        if (Date.now() - lastEvent < 1000) return
        void api.invoke('queue.progress').then((progress) => set({ progress }))
      })
      void api.invoke('queue.progress').then(
        (progress) => set({ progress }),
        () => undefined,
      )
    },
  },
}))
