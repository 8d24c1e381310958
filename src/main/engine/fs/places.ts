import { lstat } from 'node:fs/promises'
import { homedir, userInfo } from 'node:os'
import { basename, dirname, join } from 'node:path'
import type { FoundName, Places } from '../../../shared/browse'
import type { EngineContext } from '../context'
import { isDir } from '../ops/fsutil'
import { listFolder } from './list'
import { recentDestinations, recentSources, RECENT_MAX } from './recent'

/** Mounted devices shown under each mount root, at most. */
const MOUNTS_PER_ROOT = 30

function user(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? ''
  }
}

/** The mount roots of this machine that exist, each followed by the folders in it (the devices). */
async function mounts(): Promise<string[]> {
  const name = user()
  const roots = [
    ...(name ? [join('/media', name), join('/run/media', name)] : []),
    '/media',
    '/mnt',
    '/Volumes',
  ]
  const out: string[] = []
  for (const root of roots) {
    if (out.includes(root) || !(await isDir(root))) continue
    out.push(root)
    const listing = await listFolder(root).catch(() => undefined)
    for (const f of listing?.folders.slice(0, MOUNTS_PER_ROOT) ?? [])
      if (f.readable && !roots.includes(f.path) && !out.includes(f.path)) out.push(f.path)
  }
  return out
}

async function existing(paths: string[], max: number, folder: boolean): Promise<string[]> {
  const out: string[] = []
  for (const p of paths) {
    if (out.length >= max) break
    const there = folder
      ? await isDir(p)
      : await lstat(p).then(
          () => true,
          () => false,
        )
    if (there) out.push(p)
  }
  return out
}

/**
 * Where a name a browser handed over (without its folder) most likely is: a source added before, or
 * one of a profile's, of that name; or an entry of that name in one of them, or beside one.
 */
async function findNames(names: string[], roots: string[], home: string): Promise<FoundName[]> {
  const found: FoundName[] = []
  const bases = [...new Set([...roots, join(home, 'Music'), home])]
  for (const name of [...new Set(names)]) {
    const candidates = bases.flatMap((r) => [
      ...(basename(r) === name ? [r] : []),
      join(r, name),
      join(dirname(r), name),
    ])
    for (const c of [...new Set(candidates)]) {
      const s = await lstat(c).catch(() => undefined)
      if (!s || (!s.isFile() && !s.isDirectory() && !s.isSymbolicLink())) continue
      found.push({ name, path: c, kind: (await isDir(c)) ? 'folder' : 'file' })
      break
    }
  }
  return found
}

export async function places(ctx: EngineContext, near: string[]): Promise<Places> {
  const home = homedir()
  const profiles = ctx.profiles.list().map((p) => ({
    name: p.name,
    sources: p.sources,
    destination: p.destination,
  }))
  const sources = await existing(recentSources(ctx.settings), RECENT_MAX, false)
  const destinations = await existing(recentDestinations(ctx.settings, ctx.db), RECENT_MAX, true)
  const roots = [...sources, ...profiles.flatMap((p) => p.sources)]
  return {
    home,
    mounts: await mounts(),
    recentDestinations: destinations,
    recentSources: sources,
    profiles,
    found: near.length ? await findNames(near, roots, home) : [],
  }
}
