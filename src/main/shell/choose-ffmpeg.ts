// The desktop's trusted way to set the ffmpeg program: the main process asks the user with native
// dialogs. A page may ask for the dialog, never name the program (see engine/caller-policy.ts).
import { execFile } from 'node:child_process'
import { type BrowserWindow, dialog } from 'electron'
import type { FerrySettings } from '../../shared/model'
import type { Caller } from '../engine/api'

/** How long a chosen program may take to print its version. */
export const VERSION_TIMEOUT_MS = 5000

export interface SettingsTarget {
  invoke(name: unknown, input: unknown, caller?: Caller): Promise<unknown>
}

export type Probe = { ok: true; line: string } | { ok: false; error: string }

/** Dialog text from a program's output: one line, printable, not too long. */
function tidy(text: string): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}

/** Runs `program -version` (no shell) and returns the first line it prints, or why it did not. */
export function probeVersion(program: string, timeoutMs = VERSION_TIMEOUT_MS): Promise<Probe> {
  return new Promise((done) => {
    execFile(
      program,
      ['-version'],
      { timeout: timeoutMs, maxBuffer: 1 << 20, windowsHide: true, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const first = tidy(stdout.split(/\r?\n/).find((l) => l.trim() !== '') ?? '')
        const last = tidy(stderr.trim().split(/\r?\n/).pop() ?? '')
        if (!err) {
          done(first ? { ok: true, line: first } : { ok: false, error: 'It printed nothing.' })
        } else if (err.killed) {
          done({ ok: false, error: `It did not answer within ${timeoutMs / 1000} s.` })
        } else if (err.signal) {
          done({ ok: false, error: `It was stopped by ${err.signal}${last ? `: ${last}` : '.'}` })
        } else if (typeof err.code === 'number') {
          done({ ok: false, error: `It exited with code ${err.code}${last ? `: ${last}` : '.'}` })
        } else {
          done({ ok: false, error: `It could not be run: ${tidy(err.message)}` })
        }
      },
    )
  })
}

/**
 * Open dialog → `-version` → confirmation naming the path and what it printed → settings.set as a
 * trusted caller, only on "Use". Resolves to the new settings, or null when the user cancels.
 */
export async function chooseFfmpeg(
  engine: SettingsTarget,
  win: BrowserWindow,
  timeoutMs = VERSION_TIMEOUT_MS,
): Promise<FerrySettings | null> {
  const picked = await dialog.showOpenDialog(win, {
    title: 'Choose the ffmpeg program',
    buttonLabel: 'Choose',
    properties: ['openFile', 'dontAddToRecent'],
    ...(process.platform === 'win32' ? { filters: [{ name: 'Programs', extensions: ['exe'] }] } : {}),
  })
  const path = picked.filePaths[0]
  if (picked.canceled || picked.filePaths.length !== 1 || !path) return null
  const probe = await probeVersion(path, timeoutMs)
  const { response } = await dialog.showMessageBox(win, {
    type: probe.ok ? 'question' : 'warning',
    title: 'Ferry',
    message: probe.ok
      ? 'Use this program as ffmpeg? Ferry will run it to convert your music.'
      : 'This program did not answer as ffmpeg does. Use it anyway?',
    detail: `${path}\n\n${probe.ok ? probe.line : probe.error}`,
    buttons: ['Use', 'Cancel'],
    defaultId: probe.ok ? 0 : 1,
    cancelId: 1,
    noLink: true,
  })
  if (response !== 0) return null
  return (await engine.invoke('settings.set', { ffmpegPath: path }, 'trusted')) as FerrySettings
}
