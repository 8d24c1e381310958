import * as Dialog from '@radix-ui/react-dialog'
import { useEffect, useId, useState } from 'react'
import { PLAN_KINDS, type PlanKind, type SyncPlan } from '../../../../shared/profiles'
import { ErrorText } from '../../components/ErrorText'
import { formatBytes, formatDuration } from '../../components/format'
import { syncActions, useSyncUi } from '../../store/sync'
import { KIND_LABEL } from './describe'

const PAGE = 100
/** The order of the kind tabs: changes first, then what is up to date. */
const TABS: PlanKind[] = ['convert', 'copy', 'delete', 'conflict', 'skip']

/**
 * FreeFileSync's preview for a sync: the totals first (what will be converted, copied, deleted, left
 * as it is or in conflict; bytes, time, room), then the entries by kind, a page at a time.
 */
export function PreviewDialog({
  profile,
  force,
  onClose,
  onSync,
  onForce,
}: {
  profile: string | null
  force: boolean
  onClose(): void
  onSync(profile: string, force: boolean): void
  /** The plan was refused for a missing marker: ask the user whether it is the right device. */
  onForce(profile: string): void
}) {
  return (
    <Dialog.Root open={profile !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        {profile !== null && (
          <PreviewContent
            key={`${profile}:${force}`}
            profile={profile}
            force={force}
            onSync={onSync}
            onForce={onForce}
          />
        )}
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function PreviewContent({
  profile,
  force,
  onSync,
  onForce,
}: {
  profile: string
  force: boolean
  onSync(profile: string, force: boolean): void
  onForce(profile: string): void
}) {
  const uid = useId()
  const state = useSyncUi((s) => s.plans[profile])
  const [planned, setPlanned] = useState(false)
  useEffect(() => {
    void syncActions.plan(profile, { force, limit: PAGE }).then(() => setPlanned(true))
  }, [profile, force])
  const plan = planned ? state?.plan : undefined
  const refusal = planned ? state?.refusal : undefined

  return (
    <Dialog.Content className="dialog sync-preview" aria-describedby={`${uid}-what`}>
      <Dialog.Title asChild>
        <h2>Preview: {profile}</h2>
      </Dialog.Title>
      <p id={`${uid}-what`} className="muted preview-intro">
        What a sync would do now. Nothing is written until you sync.
      </p>
      {!planned && (
        <p role="status" className="muted">
          Planning: reading the library and the device (names, sizes and dates only)…
        </p>
      )}
      {refusal && (
        <>
          <ErrorText>{refusal.message}</ErrorText>
          {refusal.kind === 'marker' && (
            <button type="button" className="button" onClick={() => onForce(profile)}>
              It is the right device…
            </button>
          )}
        </>
      )}
      {plan && <PlanBody plan={plan} />}
      <div className="dialog-actions">
        <Dialog.Close asChild>
          <button type="button" className="button">
            Close
          </button>
        </Dialog.Close>
        {plan && <SyncButton plan={plan} onSync={(f) => onSync(profile, f || force)} />}
      </div>
    </Dialog.Content>
  )
}

function SyncButton({ plan, onSync }: { plan: SyncPlan; onSync(force: boolean): void }) {
  const c = plan.totals.counts
  const changes = c.convert + c.copy + c.delete
  if (changes === 0)
    return (
      <button type="button" className="button primary" disabled>
        Nothing to sync
      </button>
    )
  if (plan.totals.shortBy > 0)
    return (
      <button type="button" className="button primary danger-fill" onClick={() => onSync(true)}>
        Sync anyway (deletions first)
      </button>
    )
  return (
    <button type="button" className="button primary" onClick={() => onSync(false)}>
      Sync now
    </button>
  )
}

function PlanBody({ plan }: { plan: SyncPlan }) {
  const t = plan.totals
  return (
    <>
      <ul className="plan-counts" aria-label="Plan totals">
        {TABS.map((k) => (
          <li key={k} className={`plan-count ${k} ${t.counts[k] ? '' : 'zero'}`}>
            <span className="plan-count-n num">{t.counts[k].toLocaleString()}</span>
            <span className="plan-count-label">{KIND_LABEL[k]}</span>
          </li>
        ))}
      </ul>
      <dl className="plan-facts">
        <div>
          <dt>To write</dt>
          <dd className="num">{formatBytes(t.bytesToWrite)}</dd>
        </div>
        <div>
          <dt>To free</dt>
          <dd className="num">{formatBytes(t.bytesFreed)}</dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd className="num">about {formatDuration(t.estimatedSeconds)}</dd>
        </div>
        <div>
          <dt>Free on device</dt>
          <dd className="num">{t.freeBytes === null ? 'unknown' : formatBytes(t.freeBytes)}</dd>
        </div>
      </dl>
      {t.shortBy > 0 ? (
        <p className="plan-fit bad" role="alert">
          Does not fit: the device lacks {formatBytes(t.shortBy)}. Free some space, or sync anyway: deletions
          run first and the queue waits when the device is full.
        </p>
      ) : (
        <p className="plan-fit muted">
          Fits. Scanned {t.scanned.files.toLocaleString()} files in {t.scanned.folders.toLocaleString()}{' '}
          folders in {t.scanned.seconds.toFixed(1)} s.
        </p>
      )}
      {(t.problems.length > 0 || t.leftOut.length > 0) && (
        <details className="plan-problems">
          <summary className="warn">
            {t.problems.length + t.leftOut.length} item{t.problems.length + t.leftOut.length === 1 ? '' : 's'}{' '}
            could not be read or copied
          </summary>
          <ul>
            {t.problems.slice(0, 50).map((p) => (
              <li key={p} className="path">
                {p}
              </li>
            ))}
            {t.leftOut.slice(0, 50).map((l) => (
              <li key={l.path}>
                <span className="path">{l.path}</span> <span className="muted">{l.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <Entries plan={plan} />
    </>
  )
}

/**
 * Which entries the list shows, a page of one kind at a time (at first the first kind that has any),
 * and that page as the engine gives it.
 */
function usePlanPages(plan: SyncPlan) {
  const first = TABS.find((k) => plan.totals.counts[k] > 0) ?? 'skip'
  const [kind, setKind] = useState<PlanKind>(first)
  const [page, setPage] = useState<SyncPlan | null>(null)
  const [offset, setOffset] = useState(0)
  const [error, setError] = useState<string>()
  useEffect(() => {
    let live = true
    syncActions
      .page(plan.profileName, plan.planId, { offset, limit: PAGE, kinds: [kind] })
      .then((p) => {
        if (!live) return
        setPage(p)
        setError(undefined)
      })
      .catch((err: Error) => live && setError(err.message))
    return () => {
      live = false
    }
  }, [plan, kind, offset])
  /** Another kind, from its first page. */
  const showKind = (k: PlanKind) => {
    setKind(k)
    setOffset(0)
    setPage(null)
  }
  // Until the page asked for comes, none is shown (the list is busy).
  const shown = page && page.offset === offset ? page : null
  return { kind, showKind, offset, setOffset, shown, error }
}

function Entries({ plan }: { plan: SyncPlan }) {
  const counts = plan.totals.counts
  const { kind, showKind, offset, setOffset, shown, error } = usePlanPages(plan)
  const total = counts[kind]

  return (
    <section className="plan-entries" aria-label="Plan entries">
      <KindTabs counts={counts} kind={kind} onShow={showKind} />
      <ErrorText>{error}</ErrorText>
      {total === 0 ? (
        <p className="muted plan-none">Nothing to list.</p>
      ) : (
        <>
          <ul className="plan-list" aria-label={`${KIND_LABEL[kind]} entries`} aria-busy={!shown}>
            {shown?.entries.map((e, i) => (
              <EntryRow key={`${e.dst}:${i}`} entry={e} />
            ))}
          </ul>
          <Pager offset={offset} total={total} onOffset={setOffset} />
        </>
      )}
    </section>
  )
}

function KindTabs({
  counts,
  kind,
  onShow,
}: {
  counts: SyncPlan['totals']['counts']
  kind: PlanKind
  onShow(kind: PlanKind): void
}) {
  return (
    <div className="plan-tabs" role="group" aria-label="Show entries of kind">
      {TABS.filter((k) => PLAN_KINDS.includes(k)).map((k) => (
        <button
          key={k}
          type="button"
          className={`plan-tab ${k === kind ? 'active' : ''}`}
          aria-pressed={k === kind}
          disabled={counts[k] === 0}
          onClick={() => onShow(k)}
        >
          {KIND_LABEL[k]} <span className="num muted">{counts[k].toLocaleString()}</span>
        </button>
      ))}
    </div>
  )
}

/** One entry: its kind, where it goes on the device, why, from where, and its size. */
function EntryRow({ entry: e }: { entry: SyncPlan['entries'][number] }) {
  return (
    <li className={`plan-entry ${e.kind}`}>
      <span className={`kind-badge ${e.kind}`}>{KIND_LABEL[e.kind].replace(/s$/, '')}</span>
      <span className="plan-entry-main">
        <span className="path">{e.dst}</span>
        <span className="plan-entry-why muted">
          {e.reason.replace(/\.$/, '')}
          {e.src ? (
            <>
              {' · from '}
              <span className="path">{e.src}</span>
            </>
          ) : null}
        </span>
      </span>
      <span className="num plan-entry-size">{e.bytes ? formatBytes(e.bytes) : ''}</span>
    </li>
  )
}

function Pager({
  offset,
  total,
  onOffset,
}: {
  offset: number
  total: number
  onOffset(offset: number): void
}) {
  return (
    <div className="plan-pager">
      <span className="num muted" aria-live="polite">
        {offset + 1}–{Math.min(total, offset + PAGE)} of {total.toLocaleString()}
      </span>
      <button
        type="button"
        className="button"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - PAGE))}
      >
        Previous page
      </button>
      <button
        type="button"
        className="button"
        disabled={offset + PAGE >= total}
        onClick={() => onOffset(offset + PAGE)}
      >
        Next page
      </button>
    </div>
  )
}
