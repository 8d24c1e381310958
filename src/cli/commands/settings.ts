import type { CommandInput } from '../../shared/contract'
import { FerryError } from '../../shared/errors'
import { type FerrySettings, UI_THEMES } from '../../shared/model'
import { delimiter, resolve } from 'node:path'
import { withSession } from '../connect'

const out = (text: string) => process.stdout.write(`${text}\n`)
const NUMERIC = ['cache.maxBytes', 'convert.stallSeconds', 'workers.convert', 'workers.transfer'] as const
/** Acted on by the desktop app (tray, login item, notifications); stored for it by every client. */
const BOOLEAN = ['ui.closeToTray', 'ui.startAtLogin', 'ui.notifications'] as const
const KEYS = [...NUMERIC, 'ffmpegPath', ...BOOLEAN, 'ui.theme', 'mountRoots']

function print(s: FerrySettings): void {
  for (const [k, v] of Object.entries(s))
    out(`${k.padEnd(22)} ${v === null ? '(automatic)' : Array.isArray(v) ? v.join(delimiter) : String(v)}`)
}

/** `ferry settings`: what the engine runs with. */
export async function settingsShow(dataDir: string | undefined, json?: boolean): Promise<number> {
  const s = await withSession(dataDir, ({ api }) => api.invoke('settings.get'))
  if (json) out(JSON.stringify(s, null, 2))
  else print(s)
  return 0
}

/**
 * `ferry settings set KEY VALUE`. The CLI is where a free path for ffmpeg may be given: a page (the
 * web UI, the app's window) may only pick one of the builds Ferry found.
 */
export async function settingsSet(dataDir: string | undefined, key: string, value: string): Promise<number> {
  let change: CommandInput<'settings.set'>
  if (key === 'ffmpegPath') {
    change = { ffmpegPath: value === 'auto' || value === '' ? null : value }
  } else if ((NUMERIC as readonly string[]).includes(key)) {
    const n = Number(value)
    if (!Number.isInteger(n))
      throw new FerryError('invalid_input', `${key} is a whole number (got "${value}").`)
    change = { [key]: n }
  } else if ((BOOLEAN as readonly string[]).includes(key)) {
    if (value !== 'true' && value !== 'false')
      throw new FerryError('invalid_input', `${key} is true or false (got "${value}").`)
    change = { [key]: value === 'true' }
  } else if (key === 'ui.theme') {
    const theme = UI_THEMES.find((t) => t === value)
    if (!theme) throw new FerryError('invalid_input', `ui.theme is ${UI_THEMES.join(', ')} (got "${value}").`)
    change = { 'ui.theme': theme }
  } else if (key === 'mountRoots') {
    // A path list, as PATH is written; "auto" for the platform's own.
    const list = value.split(delimiter).filter(Boolean)
    change = { mountRoots: value === 'auto' || !list.length ? null : list.map((p) => resolve(p)) }
  } else {
    throw new FerryError('invalid_input', `There is no setting "${key}". Settings: ${KEYS.join(', ')}.`)
  }
  const s = await withSession(dataDir, ({ api }) => api.invoke('settings.set', change))
  print(s)
  return 0
}
