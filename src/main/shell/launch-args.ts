// What a launch of the app asks for, from its command line: paths to add (a file manager's "Open
// with Ferry", `ferry-app ALBUM…`), `--sync PROFILE`, and `--hidden` (the login item). The first
// instance reads its own; a second launch hands its arguments over (second-instance). Pure: the
// file system is asked through `exists`.
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface LaunchArgs {
  /** Existing files and folders, absolute, in order, without repeats. */
  paths: string[]
  /** Profiles to sync now (`--sync NAME`, repeatable). */
  sync: string[]
  /** Start in the tray without showing the window (the login item passes it). */
  hidden: boolean
}

export interface ParseOptions {
  /** Where relative paths are resolved: the launching shell's working directory. */
  cwd: string
  exists(path: string): boolean
  /** The app's own folder (an unpackaged `electron .` passes it as an argument): never a path to add. */
  appPath?: string
}

/** Options of ours that take a value (as `--opt VALUE` or `--opt=VALUE`). */
const WITH_VALUE = new Set(['--sync', '--data-dir'])

/**
 * The arguments after the program: the executable goes, and in an unpackaged run (`electron .`,
 * process.defaultApp) the app path after it.
 */
export function userArgs(argv: readonly string[], defaultApp: boolean): string[] {
  return argv.slice(defaultApp ? 2 : 1)
}

/**
 * Reads our options and paths; every other option (Chromium's and Electron's `--no-sandbox`,
 * `--enable-features=…`, macOS's `-psn_…`) is ignored, and a value never becomes a path.
 * After `--`, everything is a path.
 */
export function parseLaunchArgs(args: readonly string[], opts: ParseOptions): LaunchArgs {
  const out: LaunchArgs = { paths: [], sync: [], hidden: false }
  const app = opts.appPath ? resolve(opts.appPath) : undefined
  const addPath = (raw: string) => {
    let path = raw
    if (/^file:\/\//i.test(raw)) {
      try {
        path = fileURLToPath(raw) // file managers pass URIs for %U
      } catch {
        return
      }
    }
    if (path === '') return
    const full = isAbsolute(path) ? resolve(path) : resolve(opts.cwd, path)
    if (full === app || out.paths.includes(full) || !opts.exists(full)) return
    out.paths.push(full)
  }
  let onlyPaths = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (onlyPaths) {
      addPath(arg)
      continue
    }
    if (arg === '--') {
      onlyPaths = true
      continue
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (arg !== '-') addPath(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(0, eq) : arg
    let value: string | undefined
    if (WITH_VALUE.has(name)) {
      if (eq > 0) value = arg.slice(eq + 1)
      else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) value = args[++i] // a switch is no value
    }
    if (name === '--sync' && value && !out.sync.includes(value)) {
      out.sync.push(value)
    }
    if (name === '--hidden') out.hidden = true
  }
  return out
}

/** What a second instance hands over (requestSingleInstanceLock's additionalData). */
export interface HandOver {
  args: string[]
  cwd: string
}

export function isHandOver(data: unknown): data is HandOver {
  if (!data || typeof data !== 'object') return false
  const d = data as Record<string, unknown>
  return (
    Array.isArray(d.args) &&
    d.args.length <= 10_000 &&
    d.args.every((a) => typeof a === 'string') &&
    typeof d.cwd === 'string'
  )
}
