// Start at login (the ui.startAtLogin setting) and starting hidden in the tray when launched that way.
// macOS and Windows: Electron's login item (Windows passes `--hidden`; macOS says wasOpenedAtLogin).
// Linux: Electron has no login item there, so an XDG autostart entry (~/.config/autostart/ferry.desktop)
// that runs the app with `--hidden` — the AppImage's own path when run from one, since the mounted
// executable inside it changes at every start.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { app } from 'electron'

export const HIDDEN_ARG = '--hidden'

export interface LoginEnv {
  platform: NodeJS.Platform
  /** The program to start: process.execPath, or $APPIMAGE inside an AppImage. */
  exec: string
  /** Linux: where autostart/ is ($XDG_CONFIG_HOME); app.getPath('appData') when not given. */
  configDir?: string
}

export function loginEnv(env: NodeJS.ProcessEnv = process.env): LoginEnv {
  return {
    platform: process.platform,
    exec: env.APPIMAGE || process.execPath,
  }
}

/** One Exec argument quoted as the Desktop Entry spec asks (quotes around, \ " ` $ escaped). */
function quoteExecArg(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`
}

export function autostartEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Ferry',
    'Comment=Keeps a portable copy of your music library on a device',
    `Exec=${[exec, HIDDEN_ARG].map(quoteExecArg).join(' ')}`,
    'Icon=ferry',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

export const autostartFile = (configDir: string) => join(configDir, 'autostart', 'ferry.desktop')

/**
 * Makes the system start Ferry at login, or not. Only a packaged app registers itself: an unpackaged
 * one would register the bare Electron binary, which opens its default app.
 */
export function applyLoginItem(enabled: boolean, env: LoginEnv): 'on' | 'off' | 'unpackaged' {
  if (!app.isPackaged) return 'unpackaged'
  if (env.platform === 'linux') {
    const configDir = env.configDir ?? app.getPath('appData')
    const file = autostartFile(configDir)
    if (enabled) {
      const entry = autostartEntry(env.exec)
      if (!existsSync(file) || readFileSync(file, 'utf8') !== entry) {
        mkdirSync(join(configDir, 'autostart'), { recursive: true })
        writeFileSync(file, entry)
      }
    } else {
      rmSync(file, { force: true })
    }
  } else {
    app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] })
  }
  return enabled ? 'on' : 'off'
}

/** Launched by the login item: with --hidden (Windows, Linux), or as macOS reports it. */
export function openedAtLogin(hiddenArg: boolean, platform: NodeJS.Platform = process.platform): boolean {
  if (hiddenArg) return true
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true
}
