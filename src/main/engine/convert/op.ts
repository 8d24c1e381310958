// The convert operation, run in a worker: probe, then either copy the source as it is (a lossy
// source, or the copy preset) or encode it into the transcode cache; either way a child task in the
// transfer lane puts the file into place, so a slow card never idles the encoders.
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { ffmpegName } from '../ffmpeg/read'
import { Cancelled } from '../ops/cancelled'
import { fsyncFile } from '../ops/durable'
import { exists } from '../ops/fsutil'
import { onStableSource, SourceKeptChanging, type SourceVersion } from '../ops/source'
import { checkTask, isStats } from '../ops/transfer'
import { type ChildTask, fail, type OpContext, type OpRequest, type OpResult } from '../ops/types'
import { encodeArgs } from './args'
import { cacheFile, cacheKey, cacheTempDir } from './cache-paths'
import { planCover } from './cover'
import { encode, type EncodeOutcome } from './ffmpeg'
import { type Probe, probe, ProbeError } from './probe'
import { finishTags } from './tags'

const withExtension = (path: string, ext: string) => path.slice(0, path.length - extname(path).length) + ext

export async function convertOp(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const preset = req.spec.preset
  if (!preset || !req.env) return fail('The convert task has no preset.')
  const s = checkTask(req)
  if (!isStats(s)) return s
  const src = req.src!
  try {
    // The encode is of one version of the source: one that changed while ffmpeg read it is encoded again.
    const { output, version } = await onStableSource(
      src,
      ctx.signal,
      (v) => convertVersion(req, ctx, v),
      async (o) => {
        if (o.tmp) await rm(o.tmp, { force: true })
      },
    )
    const { result, tmp, cached } = output
    if (result.kind !== 'ok') {
      if (tmp) await rm(tmp, { force: true })
      return result
    }
    if (tmp && cached) {
      await mkdir(dirname(cached), { recursive: true })
      await rename(tmp, cached)
    }
    return { ...result, source: { size: version.size, mtimeMs: Math.trunc(version.mtimeMs) } }
  } catch (err) {
    if (err instanceof Cancelled) return { kind: 'cancelled' }
    if (err instanceof SourceKeptChanging) return fail(err.message)
    throw err
  }
}

/** What one try made: the result to report, and the encode (in the cache's temporary folder) if any. */
interface Made {
  result: OpResult
  /** The encoded file, still under its temporary name. */
  tmp?: string
  /** Where it goes in the cache once the source proved stable (absent: the cache is off). */
  cached?: string
}

/**
 * One try at one version of the source: probe it, then copy it as it is, skip it, take the encode
 * from the cache, or encode it.
 */
async function convertVersion(req: OpRequest, ctx: OpContext, s: SourceVersion): Promise<Made> {
  const preset = req.spec.preset!
  const env = req.env!
  const source = await probeSource(req, s)
  if ('result' in source) return source
  // Lossy sources are copied as they are unless the preset says otherwise: no lossy-to-lossy.
  if (preset.spec.codec === 'copy' || (!source.lossless && preset.spec.lossy === 'copy'))
    return { result: copyAsIs(req, source, s) }
  if ((req.spec.overwrite ?? 'skip') === 'skip' && (await exists(req.dst!)))
    return {
      result: { kind: 'skip', reason: 'A file is already at the destination (overwrite policy: skip).' },
    }
  if (!env.ffmpeg.ok) return { result: fail(env.ffmpeg.error) }
  const target = cacheTarget(req, s)
  return (await fromCache(req, ctx, s, target)) ?? encodeInto(req, ctx, s, source, target, env.ffmpeg.path)
}

/** Probes the source; a file Ferry cannot read itself is asked of ffmpeg, whose decoding is what counts. */
async function probeSource(req: OpRequest, s: SourceVersion): Promise<Probe | Made> {
  const env = req.env!
  try {
    return await probe(req.src!, s.size, s.mtimeMs, env.ffmpeg.ok ? env.ffmpeg.path : undefined)
  } catch (err) {
    if (err instanceof ProbeError) return { result: fail(`${err.message} (${req.src})`) }
    throw err
  }
}

/** The source goes onto the device as it is (the copy preset, or a lossy source): a child copy. */
function copyAsIs(req: OpRequest, source: Probe, s: SourceVersion): OpResult {
  const src = req.src!
  // A file whose extension lies (an MP3 named .flac) is named for what it is: players go by the name.
  const dst = withExtension(req.dst!, source.realExtension ?? extname(src))
  const renamed = source.realExtension
    ? ` It is named ${source.realExtension}, as its content is, not ${extname(src)}.`
    : ''
  return {
    kind: 'ok',
    result:
      (req.spec.preset!.spec.codec === 'copy'
        ? 'Copied as it is (copy preset).'
        : `Copied as it is: ${source.codec} is lossy (the preset does not transcode lossy sources).`) +
      renamed,
    children: [{ type: 'copy', src, dst, bytes: s.size }],
  }
}

/** Where this encode lives in the transcode cache. */
interface CacheTarget {
  key: string
  /** The cached file's path (used only when the cache is on). */
  path: string
  extension: string
}

function cacheTarget(req: OpRequest, s: SourceVersion): CacheTarget {
  const preset = req.spec.preset!
  const extension = preset.extension!
  const key = cacheKey(req.src!, s.size, s.mtimeMs, preset.hash, req.spec.removeArt === true)
  return { key, path: cacheFile(req.env!.cacheDir, key, extension), extension }
}

/** The encode from the cache, when the cache is on and holds it: a child copy, and no ffmpeg. */
async function fromCache(
  req: OpRequest,
  ctx: OpContext,
  s: SourceVersion,
  target: CacheTarget,
): Promise<Made | undefined> {
  if (!req.env!.cacheEnabled) return undefined
  const hit = await stat(target.path).catch(() => undefined)
  if (!hit?.isFile()) return undefined
  ctx.progress(s.size, s.size)
  return {
    result: {
      kind: 'ok',
      result: 'From the transcode cache.',
      bytes: s.size,
      cache: { key: target.key, path: target.path, size: hit.size, hit: true },
      children: [{ type: 'copy', src: target.path, dst: req.dst!, bytes: hit.size, ownSource: true }],
    },
  }
}

/** Encodes into a temporary file of the cache's temporary folder, checks it, and finishes its tags. */
async function encodeInto(
  req: OpRequest,
  ctx: OpContext,
  s: SourceVersion,
  source: Probe,
  target: CacheTarget,
  ffmpegPath: string,
): Promise<Made> {
  const env = req.env!
  const src = req.src!
  const spec = req.spec.preset!.spec
  const removeArt = req.spec.removeArt === true
  const tmpDir = cacheTempDir(env.cacheDir)
  await mkdir(tmpDir, { recursive: true })
  await sweepTaskTemps(tmpDir, req.taskId)
  const tmp = join(tmpDir, `${req.taskId}-${randomBytes(4).toString('hex')}.${target.extension}`)
  const art = await planCover(src, spec, source, removeArt, tmp)
  try {
    const outcome = await encode({
      ffmpegPath,
      input: src,
      extraInputs: art.inputs,
      output: tmp,
      args: encodeArgs(spec, source, removeArt, art.inputs.length > 0),
      duration: source.duration,
      stallMs: env.stallMs,
      signal: ctx.signal,
      onProgress: (f) => ctx.progress(Math.round(f * s.size), s.size),
    })
    if (outcome.kind === 'cancelled') throw new Cancelled()
    const failure = await encodeFailure(outcome, source, src, env.stallMs, ffmpegPath)
    if (failure !== undefined) return { result: fail(failure), tmp }
    const decoded = outcome as Extract<EncodeOutcome, { kind: 'ok' }>
    const leftOut = await finishTags(tmp, spec, source, art.cover)
    await fsyncFile(tmp)
    const size = (await stat(tmp)).size
    // Renamed into the cache by the caller, once the source proved stable.
    const child: ChildTask = env.cacheEnabled
      ? { type: 'copy', src: target.path, dst: req.dst!, bytes: size, ownSource: true }
      : { type: 'move', src: tmp, dst: req.dst!, bytes: size, ownSource: true }
    ctx.progress(s.size, s.size)
    return {
      tmp,
      cached: env.cacheEnabled ? target.path : undefined,
      result: {
        kind: 'ok',
        result: encodeWarnings(decoded, source, art.note, leftOut),
        bytes: s.size,
        cache: env.cacheEnabled ? { key: target.key, path: target.path, size, hit: false } : undefined,
        children: [child],
      },
    }
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  } finally {
    await art.cleanup()
  }
}

/**
 * Why an encode that ran is no good (stopped, failed, or cut short), in words that say which ffmpeg
 * it came from and what that ffmpeg said; undefined when it is good.
 */
async function encodeFailure(
  outcome: Exclude<EncodeOutcome, { kind: 'cancelled' }>,
  source: Probe,
  src: string,
  stallMs: number,
  ffmpegPath: string,
): Promise<string | undefined> {
  const ffmpeg = () => ffmpegName(ffmpegPath)
  if (outcome.kind === 'stalled') {
    const secs = Math.round(stallMs / 1000)
    return `ffmpeg made no progress for ${secs} s and was stopped.${said(await ffmpeg(), outcome.stderr)}`
  }
  if (outcome.kind === 'error')
    return `ffmpeg could not convert ${src}.${said(await ffmpeg(), outcome.stderr || outcome.message)}`
  // ffmpeg exits 0 on a truncated or damaged file, having encoded what it could read.
  if (source.duration > 1 && outcome.decoded < source.duration * 0.97) {
    const words = [...outcome.errors, outcome.stderr].join('\n')
    return `The file is truncated or damaged: ffmpeg could decode ${outcome.decoded.toFixed(1)} s of its ${source.duration.toFixed(1)} s (${src}).${said(await ffmpeg(), words)}`
  }
  return undefined
}

/** What a good encode still has to say: decoding errors, damaged tags, the cover left out. */
function encodeWarnings(
  outcome: Extract<EncodeOutcome, { kind: 'ok' }>,
  source: Probe,
  coverNote: string | undefined,
  tagsLeftOut: string | undefined,
): string | undefined {
  return (
    [
      outcome.errors.length
        ? `Converted, but ffmpeg reported decoding errors:${lastLines(outcome.errors.join('\n'))}`
        : undefined,
      source.unreadTags
        ? `Its tags are damaged (${source.unreadTags.replace(/\.?$/, '')}): only what ffmpeg could read of them was kept, and any cover they hold was left out.`
        : undefined,
      coverNote,
      tagsLeftOut,
    ]
      .filter(Boolean)
      .join(' ') || undefined
  )
}

/**
 * What ffmpeg prints that says nothing about why it failed: its listing of inputs and outputs (indented
 * under "Input #0…" and "Output #0…"), progress and summary lines.
 */
const NOT_WORDS = /^(\s|Input #|Output #|Stream mapping:|Press \[q\]|size=|frame=|video:|\[[^\]]+\] Qavg)/

function lastLines(stderr: string): string {
  const lines = stderr
    .split('\n')
    .filter((l) => l.trim() && !NOT_WORDS.test(l))
    .map((l) => l.trim())
    .slice(-4)
  return lines.length ? ` ffmpeg said: ${lines.join(' | ')}` : ''
}

/** " ffmpeg 5.1.9 (/usr/bin/ffmpeg) said: <its last words>": which ffmpeg failed, and why in its words. */
function said(ffmpeg: string, stderr: string): string {
  const words = lastLines(stderr)
  return words ? words.replace(/^ ffmpeg said:/, ` ${ffmpeg} said:`) : ` ${ffmpeg} gave no reason.`
}

/** Removes what an earlier attempt of this task left in the cache's temporary folder. */
async function sweepTaskTemps(dir: string, taskId: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  await Promise.all(
    names.filter((n) => n.startsWith(`${taskId}-`)).map((n) => rm(join(dir, n), { force: true })),
  )
}
