/// <reference types="vite/client" />
import type { FerryBridge } from '../../shared/ipc'

declare global {
  interface Window {
    /** Present only inside the desktop app (set by the preload). */
    ferry?: FerryBridge
  }
}
