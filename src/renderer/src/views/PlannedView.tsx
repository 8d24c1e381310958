import type { View } from '../store/nav'

const WHAT: Record<Exclude<View, 'system'>, string> = {
  queue: 'The queue of copy, move and convert tasks, with live progress.',
  sync: 'Sync profiles: a device that mirrors your library, with a preview before anything is written.',
  presets: 'Conversion presets: MP3 V0 and others, and your own.',
  settings: 'Settings: ffmpeg path, workers per lane, cache size.',
}

/** A view whose engine side is not built yet: says so plainly instead of showing fake data. */
export function PlannedView({ view }: { view: Exclude<View, 'system'> }) {
  return (
    <section aria-labelledby="planned-title">
      <h1 id="planned-title">{view[0]!.toUpperCase() + view.slice(1)}</h1>
      <p className="muted">{WHAT[view]}</p>
      <p className="muted">Not available in this version yet.</p>
    </section>
  )
}
