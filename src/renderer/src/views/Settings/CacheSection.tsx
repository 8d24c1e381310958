import { Trash2 } from 'lucide-react'
import { useEffect, useId, useState } from 'react'
import type { FerrySettings } from '../../../../shared/model'
import { ErrorText } from '../../components/ErrorText'
import { formatBytes } from '../../components/format'
import { ProgressBar } from '../../components/ProgressBar'
import { settingsActions, useCacheStats } from '../../store/settings'
import { SettingField } from './SettingField'

/** "2G", "500 MiB", "1.5GiB", "0" → bytes (as `ferry cache limit` reads them), or why not. */
export function parseSize(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i.exec(text)
  if (!m) return { ok: false, error: 'A size such as 2G, 500M or 0 (0 turns the cache off).' }
  const value = Math.round(Number(m[1]) * 1024 ** ['', 'k', 'm', 'g', 't'].indexOf(m[2]!.toLowerCase()))
  if (value > 2 ** 50) return { ok: false, error: 'At most 1024 TiB.' }
  return { ok: true, value }
}

/** The transcode cache: how full it is, its limit, and emptying it. */
export function CacheSection({ settings }: { settings: FerrySettings }) {
  const { data: stats, error } = useCacheStats()
  const load = useCacheStats((s) => s.api.load)
  const [result, setResult] = useState('')
  const [refusal, setRefusal] = useState<string>()
  const [clearing, setClearing] = useState(false)
  const uid = useId()
  useEffect(() => {
    void load()
  }, [load])
  const max = settings['cache.maxBytes']

  async function clear() {
    setClearing(true)
    setRefusal(undefined)
    try {
      const r = await settingsActions.clearCache()
      setResult(
        `Removed ${r.removed} encoded file${r.removed === 1 ? '' : 's'} (${formatBytes(r.bytes)})${
          r.kept ? `; kept ${r.kept} that queued tasks still need` : ''
        }.`,
      )
    } catch (err) {
      setRefusal((err as Error).message)
    } finally {
      setClearing(false)
    }
  }

  return (
    <section className="card settings-card" aria-labelledby={`${uid}-title`}>
      <div className="settings-card-head">
        <h2 id={`${uid}-title`}>Transcode cache</h2>
        <button
          type="button"
          className="button"
          onClick={() => void clear()}
          disabled={clearing || !stats || stats.entries === 0}
        >
          <Trash2 size={14} aria-hidden />
          {clearing ? 'Clearing…' : 'Clear'}
        </button>
      </div>
      <p className="muted settings-intro">
        Files Ferry encoded are kept, so a second sync or convert of the same source and preset copies them
        instead of encoding again.
      </p>
      <ErrorText>{error}</ErrorText>
      {stats && (
        <div className="cache-usage">
          <ProgressBar value={max > 0 ? stats.bytes / max : 0} label="Cache used" />
          <span className="num" data-testid="cache-usage">
            {formatBytes(stats.bytes)} of {max > 0 ? formatBytes(max) : 'no limit (off)'} · {stats.entries}{' '}
            file{stats.entries === 1 ? '' : 's'}
          </span>
          <span className="path muted">{stats.dir}</span>
        </div>
      )}
      <SettingField
        label="Size limit"
        value={max === 0 ? '0' : formatBytes(max)}
        parse={parseSize}
        save={(bytes) => settingsActions.set({ 'cache.maxBytes': bytes })}
        width={10}
        hint="e.g. 2G or 500M. The oldest files go first when it is full; 0 turns the cache off."
      />
      <ErrorText>{refusal}</ErrorText>
      <p role="status" className="setting-saved">
        {result}
      </p>
    </section>
  )
}
