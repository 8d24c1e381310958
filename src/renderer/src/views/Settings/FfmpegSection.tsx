import { CheckCircle2, FolderOpen, RotateCw } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import type { FfmpegCandidateInfo, FfmpegInfo, FfmpegSource, FerrySettings } from '../../../../shared/model'
import { ErrorText } from '../../components/ErrorText'
import { settingsActions } from '../../store/settings'
import { useSystem } from '../../store/system'

const SOURCE: Record<FfmpegSource, string> = {
  setting: 'set in Settings',
  env: 'FFMPEG_PATH',
  bundled: 'bundled with Ferry',
  path: 'on PATH',
}

/** A build the page may pick: one that ran when Ferry looked (the engine refuses any other path). */
const selectable = (c: FfmpegCandidateInfo) => c.version !== null && c.verdict !== 'duplicate'

/**
 * The ffmpeg in use, every build Ferry found with why it is or is not used, and the choice between
 * them: Automatic, or one of the builds found. A free path goes through the engine, which refuses it
 * from a page and says what to run instead; the desktop app adds its own confirmed picker.
 */
export function FfmpegSection({ settings }: { settings: FerrySettings }) {
  const { info, error, loading } = useSystem()
  const { testing, refusal, status, pick, test, choose, clearRefusal } = useFfmpegActions()
  const uid = useId()
  const ff = info?.ffmpeg

  return (
    <section className="card settings-card" aria-labelledby={`${uid}-title`}>
      <div className="settings-card-head">
        <h2 id={`${uid}-title`}>ffmpeg</h2>
        <button type="button" className="button" onClick={() => void test()} disabled={testing || loading}>
          <RotateCw size={14} aria-hidden />
          {testing ? 'Testing…' : 'Test'}
        </button>
        {settingsActions.canChooseFfmpeg() && (
          <button type="button" className="button" onClick={() => void choose()}>
            <FolderOpen size={14} aria-hidden />
            Choose…
          </button>
        )}
      </div>
      <ErrorText>{error}</ErrorText>
      {!ff && !error && <p className="muted">Looking for ffmpeg…</p>}
      {ff && <InUse ff={ff} />}
      {ff && <FfmpegChoice uid={uid} ff={ff} chosen={settings.ffmpegPath} pick={pick} />}
      <OtherFfmpeg uid={uid} pick={pick} onTyping={clearRefusal} />
      <ErrorText>{refusal}</ErrorText>
      <p role="status" className="setting-saved">
        {status}
      </p>
    </section>
  )
}

/** Picking, testing and choosing an ffmpeg, with the engine's refusal and what became of the last one. */
function useFfmpegActions() {
  const [testing, setTesting] = useState(false)
  const [refusal, setRefusal] = useState<string>()
  const [status, setStatus] = useState('')

  async function pick(path: string | null) {
    setRefusal(undefined)
    setStatus('')
    try {
      await settingsActions.set({ ffmpegPath: path })
      setStatus(path ? `Ferry now uses ${path}.` : 'Ferry now picks ffmpeg by itself.')
    } catch (err) {
      setRefusal((err as Error).message)
    }
  }

  async function test() {
    setTesting(true)
    setStatus('')
    await settingsActions.testFfmpeg()
    setTesting(false)
    const now = useSystem.getState().info?.ffmpeg
    setStatus(now?.ok ? `Tested: ffmpeg ${now.version} works.` : 'Tested: no working ffmpeg.')
  }

  async function choose() {
    setRefusal(undefined)
    try {
      const s = await settingsActions.chooseFfmpeg()
      if (s) setStatus(`Ferry now uses ${s.ffmpegPath}.`)
    } catch (err) {
      setRefusal((err as Error).message)
    }
  }

  const clearRefusal = () => setRefusal(undefined)
  return { testing, refusal, status, pick, test, choose, clearRefusal }
}

/** The ffmpeg in use and why, or why there is none. */
function InUse({ ff }: { ff: FfmpegInfo }) {
  return ff.ok ? (
    <p className="ffmpeg-current">
      <CheckCircle2 size={16} aria-hidden className="ok-icon" />
      <span>
        In use: <strong data-testid="settings-ffmpeg-version">ffmpeg {ff.version}</strong>{' '}
        <span className="path">{ff.path}</span>
        <br />
        <span className="muted">Why: {ff.reason}.</span>
      </span>
    </p>
  ) : (
    <ErrorText>{`No ffmpeg to convert with: ${ff.error}`}</ErrorText>
  )
}

/**
 * Automatic, or one of the builds found: those that did not run, or repeat one listed before, are
 * shown but cannot be picked.
 */
function FfmpegChoice({
  uid,
  ff,
  chosen,
  pick,
}: {
  uid: string
  ff: FfmpegInfo
  chosen: string | null
  pick(path: string | null): Promise<void>
}) {
  return (
    <fieldset className="ffmpeg-choice">
      <legend>Use</legend>
      <label className="ffmpeg-option">
        <input
          type="radio"
          name={`${uid}-ffmpeg`}
          checked={chosen === null}
          onChange={() => void pick(null)}
        />
        <span>
          <strong>Automatic</strong>
          <span className="muted"> — the newest build that runs and has every encoder Ferry uses</span>
        </span>
      </label>
      {ff.candidates.map((c) => (
        <label
          key={`${c.source}:${c.path}`}
          className={selectable(c) ? 'ffmpeg-option' : 'ffmpeg-option unavailable'}
        >
          <input
            type="radio"
            name={`${uid}-ffmpeg`}
            value={c.path}
            checked={chosen === c.path && c.source === 'setting'}
            disabled={!selectable(c)}
            onChange={() => void pick(c.path)}
          />
          <Candidate c={c} />
        </label>
      ))}
    </fieldset>
  )
}

/** One build found: its path, version and where it came from, and why it is or is not used. */
function Candidate({ c }: { c: FfmpegCandidateInfo }) {
  return (
    <span className="ffmpeg-candidate">
      <span className="path">{c.path}</span>
      <span className="muted">
        {c.version ? `ffmpeg ${c.version}${c.release ? ` (${c.release})` : ''}` : 'did not run'} ·{' '}
        {SOURCE[c.source]}
      </span>
      <span className={c.verdict === 'chosen' ? 'verdict chosen' : 'verdict'}>
        {c.verdict === 'chosen' ? `In use: ${c.reason}` : `Not used: ${c.reason}`}
      </span>
    </span>
  )
}

/** A path typed in, sent to the engine (which refuses it from a page and says what to run instead). */
function OtherFfmpeg({
  uid,
  pick,
  onTyping,
}: {
  uid: string
  pick(path: string): Promise<void>
  onTyping(): void
}) {
  const [typed, setTyped] = useState('')

  function submitTyped(e: FormEvent) {
    e.preventDefault()
    if (typed.trim()) void pick(typed.trim())
  }

  return (
    <form className="ffmpeg-other" onSubmit={submitTyped}>
      <label htmlFor={`${uid}-other`}>Another ffmpeg</label>
      <input
        id={`${uid}-other`}
        type="text"
        value={typed}
        placeholder="/opt/ffmpeg/bin/ffmpeg"
        spellCheck={false}
        autoComplete="off"
        aria-describedby={`${uid}-other-hint`}
        onChange={(e) => {
          setTyped(e.target.value)
          onTyping()
        }}
      />
      <button type="submit" className="button" disabled={!typed.trim()}>
        Use this path
      </button>
      <p id={`${uid}-other-hint`} className="muted setting-hint">
        For safety a page cannot make Ferry run a program it has not found itself; set one with{' '}
        <code>ferry settings set ffmpegPath PATH</code>
        {settingsActions.canChooseFfmpeg() ? ', or with Choose… (it asks you to confirm)' : ''}.
      </p>
    </form>
  )
}
