// Exposes `window.ferry` to the renderer: contract names only, never ipcRenderer itself.
import { contextBridge, type IpcRendererEvent, ipcRenderer, webUtils } from 'electron'
import { isCommandName, isEventName } from '../shared/contract'
import {
  CHOOSE_FFMPEG_CHANNEL,
  type ChooseFfmpegResult,
  EVENT_CHANNEL,
  type FerryBridge,
  INVOKE_CHANNEL,
  type InvokeResult,
  SHELL_CHANNEL,
  type ShellRequest,
} from '../shared/ipc'

const bridge: FerryBridge = {
  invoke(command, input) {
    if (!isCommandName(command)) {
      return Promise.resolve({
        ok: false,
        error: {
          name: 'FerryError',
          code: 'unknown_command',
          message: `Unknown command: ${JSON.stringify(command)}.`,
        },
      } satisfies InvokeResult)
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, command, input) as Promise<InvokeResult>
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`Unknown event: ${JSON.stringify(event)}.`)
    const forward = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(EVENT_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward)
    }
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
  // Asks the main process to let the user pick and confirm ffmpeg; takes nothing from the page.
  chooseFfmpeg: () => ipcRenderer.invoke(CHOOSE_FFMPEG_CHANNEL) as Promise<ChooseFfmpegResult>,
  onShell(listener) {
    const forward = (_e: IpcRendererEvent, request: ShellRequest) => listener(request)
    ipcRenderer.on(SHELL_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(SHELL_CHANNEL, forward)
    }
  },
}

contextBridge.exposeInMainWorld('ferry', bridge)
