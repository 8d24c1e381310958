import { useEffect } from 'react'
import type { AudioEncoder, FfmpegInfo, FfmpegSource, SystemInfo } from '../../../shared/model'
import { useSystem } from '../store/system'

const SOURCE: Record<FfmpegSource, string> = {
  setting: 'set in Settings',
  env: 'FFMPEG_PATH',
  bundled: 'bundled',
  path: 'on PATH',
}

export function SystemView() {
  const { info, error, loading } = useSystem()
  const load = useSystem((s) => s.api.load)
  useEffect(() => {
    void load()
  }, [load])

  return (
    <section aria-labelledby="system-title">
      <header className="view-header">
        <h1 id="system-title">System</h1>
        <button type="button" onClick={() => void load()} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {info && (
        <>
          <Facts info={info} />
          {info.ffmpeg.ok && <Encoders encoders={info.ffmpeg.encoders} />}
        </>
      )}
    </section>
  )
}

/** Ferry, where it runs and keeps its data, and the ffmpeg it uses. */
function Facts({ info }: { info: SystemInfo }) {
  return (
    <dl className="facts" data-testid="system-info">
      <dt>Ferry</dt>
      <dd data-testid="app-version">{info.appVersion}</dd>
      <dt>Platform</dt>
      <dd>
        {info.platform} ({info.arch})
      </dd>
      <dt>Node</dt>
      <dd>{info.nodeVersion}</dd>
      <dt>Electron</dt>
      <dd>{info.electronVersion ?? 'not running in Electron'}</dd>
      <dt>Engine</dt>
      <dd>{info.engineKind}</dd>
      <dt>Data folder</dt>
      <dd className="path">{info.dataDir}</dd>
      <dt>Database</dt>
      <dd className="path" data-testid="database-path">
        {info.databasePath}
      </dd>
      <FfmpegFacts ff={info.ffmpeg} />
    </dl>
  )
}

/** The ffmpeg chosen and why (or why there is none), then the builds passed over and why. */
function FfmpegFacts({ ff }: { ff: FfmpegInfo }) {
  return (
    <>
      <dt>ffmpeg</dt>
      {ff.ok ? (
        <dd>
          <span data-testid="ffmpeg-version">{ff.version}</span>{' '}
          <span className="muted">
            ({SOURCE[ff.source]}){' '}
            <span className="path" data-testid="ffmpeg-path">
              {ff.path}
            </span>
          </span>
          <div className="muted" data-testid="ffmpeg-reason">
            Chosen: {ff.reason}.
          </div>
        </dd>
      ) : (
        <dd className="error">{ff.error}</dd>
      )}
      {ff.candidates.some((c) => c.verdict !== 'chosen') && (
        <>
          <dt>{ff.ok ? 'Not used' : 'Tried'}</dt>
          <dd>
            <ul data-testid="ffmpeg-candidates">
              {ff.candidates
                .filter((c) => c.verdict !== 'chosen')
                .map((c) => (
                  <li key={`${c.source}:${c.path}`}>
                    <span className="path">{c.path}</span>{' '}
                    <span className="muted">
                      ({SOURCE[c.source]}
                      {c.version ? `, ${c.version}${c.release ? `, ${c.release}` : ''}` : ''})
                    </span>
                    : {c.reason}
                  </li>
                ))}
            </ul>
          </dd>
        </>
      )}
    </>
  )
}

/** The audio encoders of the ffmpeg in use. */
function Encoders({ encoders }: { encoders: AudioEncoder[] }) {
  return (
    <>
      <h2>Audio encoders ({encoders.length})</h2>
      <table className="encoders" data-testid="encoders">
        <thead>
          <tr>
            <th>Encoder</th>
            <th>Codec</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          {encoders.map((e) => (
            <tr key={e.name}>
              <td>{e.name}</td>
              <td>{e.codec}</td>
              <td>{e.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
