// System notifications from a browser tab (the web UI against `ferry serve`). The desktop app's main
// process notifies by itself (following the ui.notifications setting), so this never runs there: a
// person would get every notification twice. In a tab, the person turns them on in Settings; the
// browser asks for permission then. The choice is this browser's (kept in localStorage), as the
// permission is.
import { create } from 'zustand'
import { transport } from '../api'
import { show, type ShowTarget } from './show'

const KEY = 'ferry.browserNotifications'

/**
 * unsupported: the desktop app (it notifies from its main process), or a browser without the API
 * (it needs https or localhost). denied: the browser refuses this site (only its own settings can
 * change that). off / on: the person's choice, with the permission granted for on.
 */
export type BrowserNotifications = 'unsupported' | 'denied' | 'off' | 'on'

function supported(): boolean {
  return transport === 'websocket' && typeof Notification === 'function'
}

function initial(): BrowserNotifications {
  if (!supported()) return 'unsupported'
  if (Notification.permission === 'denied') return 'denied'
  let wanted = false
  try {
    wanted = localStorage.getItem(KEY) === 'on'
  } catch {
    // Storage off: notifications stay off.
  }
  return wanted && Notification.permission === 'granted' ? 'on' : 'off'
}

interface NotifyStore {
  state: BrowserNotifications
  api: {
    /** Turns them on: asks the browser for permission first (on this click). */
    enable(): Promise<void>
    disable(): void
  }
}

function remember(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off')
  } catch {
    // As above.
  }
}

export const useBrowserNotifications = create<NotifyStore>((set) => ({
  state: initial(),
  api: {
    async enable() {
      if (!supported()) return
      const permission =
        Notification.permission === 'default'
          ? await Notification.requestPermission()
          : Notification.permission
      const state = permission === 'granted' ? 'on' : permission === 'denied' ? 'denied' : 'off'
      remember(state === 'on')
      set({ state })
    },
    disable() {
      remember(false)
      set({ state: supported() ? 'off' : 'unsupported' })
    },
  },
}))

/**
 * A system notification for what a toast says, when the person allowed them and is not looking at
 * the page (a hidden tab or another window in front); looking at it, the toast says it. Clicking
 * the notification brings the tab forward at the view the toast's button opens.
 */
export function notifyBrowser(item: { id: number; title: string; body: string; target: ShowTarget }): void {
  if (useBrowserNotifications.getState().state !== 'on' || !supported()) return
  if (Notification.permission !== 'granted') return
  if (document.visibilityState === 'visible' && document.hasFocus()) return
  try {
    const n = new Notification(item.title, { body: item.body, tag: `ferry-batch-${item.id}` })
    n.onclick = () => {
      window.focus()
      show(item.target)
      n.close()
    }
  } catch {
    // Some browsers allow notifications only from a service worker; the toast is there anyway.
  }
}
