// The convert operation, run in a worker: probe, then either copy the source as it is (a lossy
// source, or the copy preset) or encode it into the transcode cache; either way a child task in the
// transfer lane puts the file into place, so a slow card never idles the encoders.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { ffmpegName } from '../ffmpeg/read'
import { Cancelled } from '../ops/cancelled'
import { exists } from '../ops/fsutil'
import { onStableSource, SourceKeptChanging, type SourceVersion } from '../ops/source'
import { checkTask, isStats } from '../ops/transfer'
import { type ChildTask, fail, type OpContext, type OpRequest, type OpResult } from '../ops/types'
import { encodeArgs } from './args'
import { cacheFile, cacheKey, cacheTempDir } from './cache-paths'
import { planCover } from './cover'
import { encode } from './ffmpeg'
import { probe, ProbeError } from './probe'
import { finishTags } from './tags'

const withExtension = (path: string, ext: string) => path.slice(0, path.length - extname(path).length) + ext

export async function convertOp(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const preset = req.spec.preset
  if (!preset || !req.env) return fail('The convert task has no preset.')
  const s = await checkTask(req)
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

async function convertVersion(req: OpRequest, ctx: OpContext, s: SourceVersion): Promise<Made> {
  const preset = req.spec.preset!
  const env = req.env!
  const src = req.src!
  const policy = req.spec.overwrite ?? 'skip'

  let source
  try {
    // A file Ferry cannot read itself is asked of ffmpeg, whose decoding is what counts.
    source = await probe(src, s.size, s.mtimeMs, env.ffmpeg.ok ? env.ffmpeg.path : undefined)
  } catch (err) {
    if (err instanceof ProbeError) return { result: fail(`${err.message} (${src})`) }
    throw err
  }

  // Lossy sources are copied as they are unless the preset says otherwise: no lossy-to-lossy.
  if (preset.spec.codec === 'copy' || (!source.lossless && preset.spec.lossy === 'copy')) {
    // A file whose extension lies (an MP3 named .flac) is named for what it is: players go by the name.
    const dst = withExtension(req.dst!, source.realExtension ?? extname(src))
    const renamed = source.realExtension
      ? ` It is named ${source.realExtension}, as its content is, not ${extname(src)}.`
      : ''
    return {
      result: {
        kind: 'ok',
        result:
          (preset.spec.codec === 'copy'
            ? 'Copied as it is (copy preset).'
            : `Copied as it is: ${source.codec} is lossy (the preset does not transcode lossy sources).`) +
          renamed,
        children: [{ type: 'copy', src, dst, bytes: s.size }],
      },
    }
  }

  const dst = req.dst!
  if (policy === 'skip' && (await exists(dst)))
    return {
      result: { kind: 'skip', reason: 'A file is already at the destination (overwrite policy: skip).' },
    }
  if (!env.ffmpeg.ok) return { result: fail(env.ffmpeg.error) }

  const { cacheDir, cacheEnabled } = env
  const ext = preset.extension!
  const key = cacheKey(src, s.size, s.mtimeMs, preset.hash, req.spec.removeArt === true)
  const cached = cacheFile(cacheDir, key, ext)
  if (cacheEnabled) {
    const hit = await stat(cached).catch(() => undefined)
    if (hit?.isFile()) {
      ctx.progress(s.size, s.size)
      return {
        result: {
          kind: 'ok',
          result: 'From the transcode cache.',
          bytes: s.size,
          cache: { key, path: cached, size: hit.size, hit: true },
          children: [{ type: 'copy', src: cached, dst, bytes: hit.size }],
        },
      }
    }
  }

  const tmpDir = cacheTempDir(cacheDir)
  await mkdir(tmpDir, { recursive: true })
  await sweepTaskTemps(tmpDir, req.taskId)
  const tmp = join(tmpDir, `${req.taskId}-${randomBytes(4).toString('hex')}.${ext}`)
  const art = await planCover(src, preset.spec, source, req.spec.removeArt === true, tmp)
  try {
    const outcome = await encode({
      ffmpegPath: env.ffmpeg.path,
      input: src,
      extraInputs: art.inputs,
      output: tmp,
      args: encodeArgs(preset.spec, source, req.spec.removeArt === true, art.inputs.length > 0),
      duration: source.duration,
      stallMs: env.stallMs,
      signal: ctx.signal,
      onProgress: (f) => ctx.progress(Math.round(f * s.size), s.size),
    })
    if (outcome.kind === 'cancelled') throw new Cancelled()
    // Every failure says which ffmpeg it came from, and what that ffmpeg said.
    const ffmpeg = () => ffmpegName(env.ffmpeg.ok ? env.ffmpeg.path : '')
    if (outcome.kind === 'stalled') {
      const secs = Math.round(env.stallMs / 1000)
      return {
        result: fail(
          `ffmpeg made no progress for ${secs} s and was stopped.${said(await ffmpeg(), outcome.stderr)}`,
        ),
        tmp,
      }
    }
    if (outcome.kind === 'error') {
      return {
        result: fail(
          `ffmpeg could not convert ${src}.${said(await ffmpeg(), outcome.stderr || outcome.message)}`,
        ),
        tmp,
      }
    }
    // ffmpeg exits 0 on a truncated or damaged file, having encoded what it could read.
    if (source.duration > 1 && outcome.decoded < source.duration * 0.97) {
      const words = [...outcome.errors, outcome.stderr].join('\n')
      return {
        tmp,
        result: fail(
          `The file is truncated or damaged: ffmpeg could decode ${outcome.decoded.toFixed(1)} s of its ${source.duration.toFixed(1)} s (${src}).${said(await ffmpeg(), words)}`,
        ),
      }
    }
    const leftOut = await finishTags(tmp, preset.spec, source, art.cover)
    await fsyncFile(tmp)
    const size = (await stat(tmp)).size
    // Renamed into the cache by the caller, once the source proved stable.
    const child: ChildTask = cacheEnabled
      ? { type: 'copy', src: cached, dst, bytes: size }
      : { type: 'move', src: tmp, dst, bytes: size }
    ctx.progress(s.size, s.size)
    const warning =
      [
        outcome.errors.length
          ? `Converted, but ffmpeg reported decoding errors:${lastLines(outcome.errors.join('\n'))}`
          : undefined,
        source.unreadTags
          ? `Its tags are damaged (${source.unreadTags.replace(/\.?$/, '')}): only what ffmpeg could read of them was kept, and any cover they hold was left out.`
          : undefined,
        art.note,
        leftOut,
      ]
        .filter(Boolean)
        .join(' ') || undefined
    return {
      tmp,
      cached: cacheEnabled ? cached : undefined,
      result: {
        kind: 'ok',
        result: warning,
        bytes: s.size,
        cache: cacheEnabled ? { key, path: cached, size, hit: false } : undefined,
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

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

/** Removes what an earlier attempt of this task left in the cache's temporary folder. */
async function sweepTaskTemps(dir: string, taskId: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  await Promise.all(
    names.filter((n) => n.startsWith(`${taskId}-`)).map((n) => rm(join(dir, n), { force: true })),
  )
}
