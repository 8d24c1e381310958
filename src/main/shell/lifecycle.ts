// Closing and quitting. Closing the window hides it in the tray (ui.closeToTray, when there is a
// tray); otherwise it quits. Every way of quitting (the tray's Quit, the app menu, Cmd+Q, closing the
// window without a tray) goes through before-quit, where Ferry asks first while tasks are left: they
// stay in the queue and resume at the next start, but the person may not expect the work to stop.
import { app, type BrowserWindow, dialog } from 'electron'
import { tasksLeft } from './tray-model'
import type { ShellEngine } from './tray'

export interface LifecycleOptions {
  win: BrowserWindow
  engine: ShellEngine
  /** Whether a tray icon exists to bring the window back from. */
  hasTray(): boolean
  /** Closes what runs (IPC, server, engine); the app exits when it settles. */
  shutdown(): Promise<unknown>
}

export const quitQuestion = (left: number) => ({
  message: `${left.toLocaleString('en-US')} ${left === 1 ? 'task' : 'tasks'} still to run: quit anyway?`,
  detail: 'They resume when Ferry starts again.',
})

export function manageLifecycle(opts: LifecycleOptions): void {
  const { win, engine } = opts
  /** Set once the person confirmed (or nothing was left): the quit is let through. */
  let confirmed = false
  let asking = false
  let shuttingDown = false

  async function requestQuit(): Promise<void> {
    if (asking || confirmed) return
    asking = true
    try {
      const progress = await engine.api.invoke('queue.progress', {}).catch(() => null)
      const left = tasksLeft(progress)
      if (left > 0) {
        const visible = !win.isDestroyed() && win.isVisible()
        const options = {
          type: 'question' as const,
          buttons: ['Quit Anyway', 'Cancel'],
          defaultId: 1,
          cancelId: 1,
          title: 'Quit Ferry',
          ...quitQuestion(left),
        }
        const { response } = visible
          ? await dialog.showMessageBox(win, options)
          : await dialog.showMessageBox(options)
        if (response !== 0) return
      }
      confirmed = true
    } finally {
      asking = false
    }
    app.quit()
  }

  win.on('close', (event) => {
    if (confirmed || shuttingDown) return
    event.preventDefault()
    void engine.api
      .invoke('settings.get')
      .then((s) => s['ui.closeToTray'])
      .catch(() => false)
      .then((toTray) => {
        if (toTray && opts.hasTray()) win.hide()
        else return requestQuit()
      })
  })

  app.on('before-quit', (event) => {
    if (confirmed || shuttingDown) return
    event.preventDefault()
    void requestQuit()
  })

  app.on('window-all-closed', () => app.quit())

  app.on('will-quit', (event) => {
    event.preventDefault()
    if (shuttingDown) return
    shuttingDown = true
    confirmed = true
    void opts.shutdown().finally(() => app.exit(0))
  })
}
