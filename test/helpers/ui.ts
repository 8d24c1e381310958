// Component tests run the real renderer code against a real engine in this process: window.ferry
// is the same bridge the preload exposes, carried in-process to an Engine (the one stand-in: no
// Electron IPC). Import renderer modules only after installBridge, since the api picks its transport
// when it loads.
import { configure } from '@testing-library/react'
import { toErrorShape } from '../../src/shared/errors'
import type { FerryBridge } from '../../src/shared/ipc'
import type { Engine } from '../../src/main/engine/engine'

// Waits as long as a person would on a loaded 2-core machine (real workers, ffmpeg and another test
// file share it): Testing Library's 1 s default failed 'pauses and resumes' under load.
configure({ asyncUtilTimeout: 10_000 })

export function installBridge(engine: Engine): FerryBridge {
  const bridge: FerryBridge = {
    async invoke(command, input) {
      try {
        return { ok: true, value: await engine.invoke(command, input, 'page') }
      } catch (err) {
        return { ok: false, error: toErrorShape(err) }
      }
    },
    on(event, listener) {
      return engine.subscribe((name, payload) => {
        if (name === event) listener(payload)
      })
    },
    pathForFile: (file) => (file as File & { path?: string }).path ?? file.name,
  }
  ;(window as unknown as { ferry: FerryBridge }).ferry = bridge
  return bridge
}
