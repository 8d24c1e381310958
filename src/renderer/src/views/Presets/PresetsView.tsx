import { Copy, Pencil, Plus, SlidersHorizontal, Trash2, TriangleAlert } from 'lucide-react'
import { useEffect, useState } from 'react'
import type { Preset } from '../../../../shared/presets'
import { EmptyState } from '../../components/EmptyState'
import { ErrorText } from '../../components/ErrorText'
import { usePresets } from '../../store/presets'
import { useSystem } from '../../store/system'
import { DeletePresetDialog } from './DeletePresetDialog'
import { describePreset } from './describe'
import { CODEC_ENCODER } from './form'
import { type EditorMode, PresetEditor } from './PresetEditor'
import './presets.css'

/** Built-in presets (read-only; duplicate one to start from it) and the user's own. */
export function PresetsView() {
  const { data: presets, error, loading } = usePresets()
  const load = usePresets((s) => s.api.load)
  const info = useSystem((s) => s.info)
  const loadSystem = useSystem((s) => s.api.load)
  const [editor, setEditor] = useState<EditorMode | null>(null)
  const [deleting, setDeleting] = useState<Preset | null>(null)

  useEffect(() => {
    void load()
    if (!useSystem.getState().info) void loadSystem()
  }, [load, loadSystem])

  const encoders = info?.ffmpeg.ok ? info.ffmpeg.encoders.map((e) => e.name) : undefined
  const custom = presets?.filter((p) => !p.builtin) ?? []
  const builtin = presets?.filter((p) => p.builtin) ?? []
  const card = (p: Preset) => (
    <PresetCard
      key={p.name}
      preset={p}
      encoders={encoders}
      onEdit={() => setEditor({ kind: 'edit', preset: p })}
      onDuplicate={() => setEditor({ kind: 'duplicate', from: p })}
      onDelete={() => setDeleting(p)}
    />
  )

  return (
    <section aria-labelledby="presets-title" className="presets-view">
      <header className="view-header">
        <h1 id="presets-title">Presets</h1>
        <button type="button" className="button primary" onClick={() => setEditor({ kind: 'new' })}>
          <Plus size={16} aria-hidden />
          New preset
        </button>
      </header>
      <p className="muted presets-intro">
        A preset says what a convert or a sync makes of each audio file. Built-in presets cannot be changed:
        duplicate one to start from its settings.
      </p>
      <ErrorText>{error}</ErrorText>
      {info && !info.ffmpeg.ok && (
        <p className="warn" role="note">
          No working ffmpeg was found, so presets that transcode cannot run. See Settings → ffmpeg.
        </p>
      )}
      {!presets && loading && <p className="muted">Loading presets…</p>}
      {presets && (
        <>
          <h2 id="custom-presets">Your presets</h2>
          {custom.length ? (
            <ul className="preset-grid" aria-labelledby="custom-presets">
              {custom.map(card)}
            </ul>
          ) : (
            <div className="presets-empty">
              <EmptyState
                icon={<SlidersHorizontal size={22} aria-hidden />}
                title="No presets of your own yet"
              >
                Duplicate a built-in preset below to start from its settings, or make one with New preset.
              </EmptyState>
            </div>
          )}
          <h2 id="builtin-presets">Built in</h2>
          <ul className="preset-grid" aria-labelledby="builtin-presets">
            {builtin.map(card)}
          </ul>
        </>
      )}
      <PresetEditor
        mode={editor}
        presets={presets ?? []}
        encoders={encoders}
        ffmpegKnown={info !== undefined}
        onClose={() => setEditor(null)}
      />
      <DeletePresetDialog preset={deleting} onClose={() => setDeleting(null)} />
    </section>
  )
}

/** A description that only says what the sentence says (the copy preset's) is not shown twice. */
const sameText = (a: string, b: string) => a.replace(/\.$/, '') === b.replace(/\.$/, '')

function PresetCard({
  preset: p,
  encoders,
  onEdit,
  onDuplicate,
  onDelete,
}: {
  preset: Preset
  encoders?: string[]
  onEdit(): void
  onDuplicate(): void
  onDelete(): void
}) {
  const encoder = p.spec.codec === 'copy' ? null : CODEC_ENCODER[p.spec.codec]
  const missing = encoder && encoders && !encoders.includes(encoder) ? encoder : null
  const id = `preset-${p.name}`
  const sentence = describePreset(p.spec)
  return (
    <li className="card preset-card" aria-labelledby={id}>
      <div className="preset-head">
        <h3 id={id} className="preset-name">
          {p.name}
        </h3>
        <span className="preset-badge" title="The output files' extension">
          {p.extension ? `.${p.extension}` : 'as source'}
        </span>
      </div>
      <p className="preset-sentence">{sentence}</p>
      {p.description && !sameText(p.description, sentence) && (
        <p className="muted preset-description">{p.description}</p>
      )}
      {missing && (
        <p className="warn preset-missing">
          <TriangleAlert size={14} aria-hidden /> The ffmpeg in use has no {missing} encoder: converting with
          this preset fails.
        </p>
      )}
      <div className="preset-actions">
        {!p.builtin && (
          <button type="button" className="button" onClick={onEdit} aria-label={`Edit ${p.name}`}>
            <Pencil size={14} aria-hidden />
            Edit
          </button>
        )}
        <button type="button" className="button" onClick={onDuplicate} aria-label={`Duplicate ${p.name}`}>
          <Copy size={14} aria-hidden />
          Duplicate
        </button>
        {!p.builtin && (
          <button type="button" className="button danger" onClick={onDelete} aria-label={`Delete ${p.name}`}>
            <Trash2 size={14} aria-hidden />
            Delete
          </button>
        )}
      </div>
    </li>
  )
}
