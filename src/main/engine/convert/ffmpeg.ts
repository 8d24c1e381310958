// The one place that runs ffmpeg to encode. fluent-ffmpeg is archived upstream: nothing outside this
// file may depend on its API, so that replacing it means rewriting this file only.
import { constants, setPriority } from 'node:os'
import ffmpeg from 'fluent-ffmpeg'

export interface EncodeJob {
  ffmpegPath: string
  input: string
  /** More inputs after the source (the cover, as an image file), each with its input options. */
  extraInputs?: { path: string; options?: string[] }[]
  output: string
  /** Output options, as an argument array (never a shell string). */
  args: string[]
  /** The source's duration in seconds, for the percentage; 0 when unknown. */
  duration: number
  /** No progress for this long kills ffmpeg. */
  stallMs: number
  signal: AbortSignal
  onProgress(fraction: number): void
}

/**
 * fluent-ffmpeg checks a command's `-f` and `-acodec` against `ffmpeg -formats` and `ffmpeg -encoders`,
 * which it runs before a process's first encode (≈ 80 ms each with a dynamically linked ffmpeg, two
 * processes per worker). Ferry passes neither as fluent-ffmpeg would see them but `-f`, and the engine
 * has already checked the encoders (ffmpeg/inspect.ts); a muxer ffmpeg lacks is refused by ffmpeg
 * itself, in words the task reports. So every format and no encoder are answered from here.
 */
const ANY_FORMAT = new Proxy({} as Record<string, { canMux: boolean; canDemux: boolean }>, {
  has: () => true,
  get: () => ({ canMux: true, canDemux: true, description: '' }),
})
type Answer<T> = (cb: (err: Error | null, data: T) => void) => void
interface Capabilities {
  availableFormats: Answer<typeof ANY_FORMAT>
  availableEncoders: Answer<Record<string, never>>
}

/**
 * An encode runs below normal priority: the app, the engine and the copies onto the device stay
 * responsive while every core encodes (and a copy waiting for a core does not leave the card idle).
 */
function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    setPriority(pid, constants.priority.PRIORITY_BELOW_NORMAL)
  } catch {
    // not allowed here (or the process is gone already): it runs at normal priority
  }
}

export type EncodeOutcome =
  /**
   * `decoded`: seconds of audio ffmpeg got through; `errors`: decoding errors it reported on the way;
   * `stderr`: its last lines.
   */
  | { kind: 'ok'; decoded: number; errors: string[]; stderr: string }
  | { kind: 'cancelled' }
  | { kind: 'stalled'; stderr: string }
  | { kind: 'error'; message: string; stderr: string }

/** Enough to reach past the listing of inputs and outputs ffmpeg prints after an error's words. */
const STDERR_LINES = 30

/** "HH:MM:SS.cc" → seconds. */
function seconds(timemark: string): number {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(timemark.trim())
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 0
}

/**
 * Encodes one file. Resolves (never rejects) with what happened: ffmpeg's last stderr lines come
 * with a failure, so the task can say why in ffmpeg's own words.
 */
export function encode(job: EncodeJob): Promise<EncodeOutcome> {
  return new Promise((resolve) => {
    const tail: string[] = []
    const errors: string[] = []
    let decoded = 0
    let settled = false
    let reason: 'cancelled' | 'stalled' | undefined
    let stallTimer: ReturnType<typeof setTimeout> | undefined
    let started = false

    const command = ffmpeg(job.input).setFfmpegPath(job.ffmpegPath).inputOptions(['-hide_banner', '-nostdin'])
    const answers = command as unknown as Capabilities
    answers.availableFormats = (cb) => cb(null, ANY_FORMAT)
    answers.availableEncoders = (cb) => cb(null, {})
    for (const extra of job.extraInputs ?? []) {
      command.input(extra.path)
      if (extra.options?.length) command.inputOptions(...extra.options)
    }
    // Spread, never one array: fluent-ffmpeg splits an array's items at their space when they have one
    // ("comment=Cover (front)" would become two arguments); with several arguments it takes them as they are.
    command.outputOptions(...job.args).output(job.output)

    const finish = (outcome: EncodeOutcome) => {
      if (settled) return
      settled = true
      if (stallTimer) clearTimeout(stallTimer)
      job.signal.removeEventListener('abort', onAbort)
      resolve(outcome)
    }
    const kill = (why: 'cancelled' | 'stalled') => {
      reason ??= why
      if (started) command.kill('SIGKILL')
      // Still in fluent-ffmpeg's capability checks: nothing of ours runs yet, so just stop waiting.
      else finish(why === 'cancelled' ? { kind: 'cancelled' } : { kind: 'stalled', stderr: '' })
    }
    const armStall = () => {
      if (stallTimer) clearTimeout(stallTimer)
      stallTimer = setTimeout(() => kill('stalled'), job.stallMs)
    }
    const onAbort = () => kill('cancelled')

    command
      .on('start', () => {
        started = true
        lowerPriority((command as unknown as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid)
        if (reason) kill(reason)
        else armStall()
      })
      // Progress is read from ffmpeg's own "time=" lines here: a 'progress' listener would make
      // fluent-ffmpeg run ffprobe on every input first (≈ 80 ms a file with a dynamically linked
      // ffmpeg), for a duration the probe already gave us.
      .on('stderr', (line: string) => {
        tail.push(line)
        if (tail.length > STDERR_LINES) tail.shift()
        const time = /time=\s*(\d+:\d{2}:\d{2}(?:\.\d+)?)/.exec(line)
        if (time) {
          decoded = Math.max(decoded, seconds(time[1]!))
          armStall()
          if (job.duration > 0) job.onProgress(Math.min(1, decoded / job.duration))
        }
        if (/error while decoding|invalid data|decode_frame\(\) failed/i.test(line) && errors.length < 5)
          errors.push(line.trim())
      })
      .on('end', () => finish({ kind: 'ok', decoded, errors, stderr: tail.join('\n') }))
      .on('error', (err: Error) => {
        const stderr = tail.join('\n')
        if (reason === 'cancelled') finish({ kind: 'cancelled' })
        else if (reason === 'stalled') finish({ kind: 'stalled', stderr })
        else finish({ kind: 'error', message: err.message, stderr })
      })

    if (job.signal.aborted) return finish({ kind: 'cancelled' })
    job.signal.addEventListener('abort', onAbort)
    armStall()
    command.run()
  })
}
