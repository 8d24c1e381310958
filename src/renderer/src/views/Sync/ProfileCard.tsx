import { Eye, HardDrive, Pencil, RefreshCw, Trash2, X } from 'lucide-react'
import { useEffect, useId } from 'react'
import { waitingMessage } from '../../../../shared/model'
import type { Profile } from '../../../../shared/profiles'
import type { ProfileStatus } from '../../../../shared/sync-status'
import { CapacityBar } from '../../components/CapacityBar'
import { formatBytes, formatDuration, formatTime } from '../../components/format'
import { ProgressBar } from '../../components/ProgressBar'
import { useNav } from '../../store/nav'
import { type Notice, syncActions, useBatchProgress, useSyncUi } from '../../store/sync'
import { CardTriggers } from './Triggers'
import {
  type CardState,
  cardState,
  describeCounts,
  describeProfile,
  presenceText,
  STATE_LABEL,
} from './describe'
import { useFocusWhenAsked, usePlannedChange } from './useCardEffects'

const PILL: Record<string, string> = { running: 'working', waiting: 'waiting', paused: 'paused' }

/** One profile: its folders, its device and how full it is, its last and current sync, and actions. */
export function ProfileCard({
  profile,
  status,
  onPreview,
  onEdit,
  onDelete,
  onForce,
}: {
  profile: Profile
  status: ProfileStatus | undefined
  onPreview(): void
  onEdit(): void
  onDelete(): void
  /** The device lost its marker: ask whether it is the right one before forcing a sync. */
  onForce(): void
}) {
  const uid = useId()
  const name = profile.name
  const notice = useSyncUi((s) => s.notices[name])
  const starting = useSyncUi((s) => s.running[name] ?? false)
  const cardRef = useFocusWhenAsked(name)
  const planned = usePlannedChange(profile, status)
  const state = cardState(status)

  return (
    <li
      ref={cardRef}
      className="card sync-card"
      aria-labelledby={`${uid}-name`}
      tabIndex={-1}
      onAnimationEnd={(e) => {
        if (e.target === e.currentTarget) e.currentTarget.classList.remove('flash')
      }}
    >
      <CardHead nameId={`${uid}-name`} name={name} state={state} />
      <CardPaths profile={profile} status={status} />
      <p className="sync-settings muted">{describeProfile(profile)}</p>
      <DeviceFacts name={name} status={status} {...planned} />

      {status?.current ? (
        <RunProgress
          name={name}
          destination={status.foundAt ?? profile.destination}
          current={status.current}
          onCancel={() => void syncActions.cancel(status.current!.batchId)}
        />
      ) : (
        <LastRun status={status} profile={profile} />
      )}
      <CardTriggers profile={profile} status={status} />

      {notice && notice.kind !== 'started' && <SyncNotice name={name} notice={notice} onForce={onForce} />}

      <CardActions
        name={name}
        busy={state !== 'idle' || starting}
        starting={starting}
        onPreview={onPreview}
        onEdit={onEdit}
        onDelete={onDelete}
      />
    </li>
  )
}

/** The profile's name, which labels the card, and the state of its sync. */
function CardHead({ nameId, name, state }: { nameId: string; name: string; state: CardState }) {
  return (
    <div className="sync-card-head">
      <HardDrive size={18} aria-hidden className="sync-card-icon" />
      <h2 id={nameId} className="sync-card-name">
        {name}
      </h2>
      <span className={`state-pill ${PILL[state] ?? ''}`} data-testid="sync-state">
        {STATE_LABEL[state]}
      </span>
    </div>
  )
}

/** Where the profile copies from, and to (where its device was found, if elsewhere). */
function CardPaths({ profile, status }: { profile: Profile; status: ProfileStatus | undefined }) {
  return (
    <dl className="sync-paths">
      <dt>From</dt>
      <dd>
        {profile.sources.map((src) => (
          <span key={src} className="path">
            {src}
          </span>
        ))}
      </dd>
      <dt>To</dt>
      <dd>
        <span className="path">{status?.foundAt ?? profile.destination}</span>
      </dd>
    </dl>
  )
}

/**
 * The device: whether it is there, how full it is and what the next sync would change, or why that
 * sync cannot be planned.
 */
function DeviceFacts({
  name,
  status,
  change,
  refusal,
}: { name: string; status: ProfileStatus | undefined } & ReturnType<typeof usePlannedChange>) {
  return (
    <>
      {status && (
        <p
          className={`sync-presence ${status.present ? 'ok' : status.presence === 'absent' ? 'muted' : 'warn'}`}
        >
          <span className="dot" aria-hidden />
          {presenceText(status)}
        </p>
      )}
      {status?.capacity && (
        <CapacityBar capacity={status.capacity} change={change} label={`Capacity of ${name}'s device`} />
      )}
      {refusal && <p className="warn sync-plan-problem">Cannot plan the next sync: {refusal.message}</p>}
    </>
  )
}

/** What came of the user's last request, until dismissed; a refusal with a way out offers it. */
function SyncNotice({
  name,
  notice,
  onForce,
}: {
  name: string
  notice: Exclude<Notice, { kind: 'started' }>
  onForce(): void
}) {
  return (
    <div className="sync-notice" role={notice.kind === 'refused' ? 'alert' : 'status'}>
      {notice.kind === 'nothing' ? (
        <p>Already up to date: nothing to convert, copy or delete.</p>
      ) : (
        <p className="error">{notice.refusal.message}</p>
      )}
      <button
        type="button"
        className="icon-button sync-notice-dismiss"
        aria-label="Dismiss"
        title="Dismiss"
        onClick={() => syncActions.dismiss(name)}
      >
        <X size={14} aria-hidden />
      </button>
      {notice.kind === 'refused' && (notice.refusal.kind === 'space' || notice.refusal.kind === 'marker') && (
        <div className="sync-notice-actions">
          {notice.refusal.kind === 'space' ? (
            <button type="button" className="button" onClick={() => void syncActions.run(name, true)}>
              Sync anyway (deletions first)
            </button>
          ) : (
            <button type="button" className="button" onClick={onForce}>
              It is the right device…
            </button>
          )}
        </div>
      )}
    </div>
  )
}

function CardActions({
  name,
  busy,
  starting,
  onPreview,
  onEdit,
  onDelete,
}: {
  name: string
  /** A sync of this profile is under way or being started: Sync now waits for it. */
  busy: boolean
  starting: boolean
  onPreview(): void
  onEdit(): void
  onDelete(): void
}) {
  return (
    <div className="sync-actions">
      <button type="button" className="button" onClick={onPreview} aria-label={`Preview ${name}`}>
        <Eye size={14} aria-hidden /> Preview
      </button>
      <button
        type="button"
        className="button primary"
        disabled={busy}
        onClick={() => void syncActions.run(name)}
        aria-label={`Sync ${name} now`}
        title={busy ? 'A sync of this profile is under way' : undefined}
      >
        <RefreshCw size={14} aria-hidden className={starting ? 'spin' : undefined} /> Sync now
      </button>
      <span className="spacer" />
      <button type="button" className="button" onClick={onEdit} aria-label={`Edit ${name}`}>
        <Pencil size={14} aria-hidden /> Edit
      </button>
      <button
        type="button"
        className="icon-button danger"
        onClick={onDelete}
        aria-label={`Delete ${name}`}
        title="Delete this profile (the files on the device stay)"
      >
        <Trash2 size={14} aria-hidden />
      </button>
    </div>
  )
}

function LastRun({ status, profile }: { status: ProfileStatus | undefined; profile: Profile }) {
  const go = useNav((s) => s.api.go)
  const last = status?.lastRun
  if (!last)
    return (
      <p className="sync-last muted">
        {profile.lastSyncAt ? `Last sync ${formatTime(profile.lastSyncAt)}` : 'Never synced.'}
      </p>
    )
  const failed = last.counts.fail > 0
  return (
    <p className="sync-last" data-testid="last-run">
      <span className="muted">Last sync </span>
      <time dateTime={new Date(last.finishedAt ?? last.at).toISOString()}>
        {formatTime(last.finishedAt ?? last.at)}
      </time>
      <span className="muted"> · </span>
      <span className={failed ? 'bad' : undefined}>{describeCounts(last.counts)}</span>
      {failed && (
        <button type="button" className="link-button" onClick={() => go('queue')}>
          See failures in the Queue
        </button>
      )}
    </p>
  )
}

function RunProgress({
  name,
  destination,
  current,
  onCancel,
}: {
  name: string
  destination: string
  current: NonNullable<ProfileStatus['current']>
  onCancel(): void
}) {
  const watch = useBatchProgress((s) => s.api.watch)
  useEffect(() => watch(current.batchId), [watch, current.batchId])
  const live = useBatchProgress((s) => s.byBatch[current.batchId])
  // Files from the status (top-level tasks: a convert's move into place is not a second file); bytes live.
  const counts = current.counts
  const done = counts.ok + counts.skip + counts.fail + counts.cancelled
  const total = done + counts.pending + counts.active
  const bytesTotal = live?.bytesTotal ?? 0
  const fraction = bytesTotal > 0 ? live!.bytesDone / bytesTotal : total > 0 ? done / total : 0
  return (
    <div className="sync-run">
      <div className="sync-run-line">
        <ProgressBar
          value={fraction}
          label={`Sync of ${name}`}
          tone={current.state === 'waiting' || current.state === 'paused' ? 'paused' : undefined}
        />
        <button type="button" className="button" onClick={onCancel}>
          Cancel sync
        </button>
      </div>
      <p className="sync-run-facts muted">
        <span className="num">
          {done}/{total} files
        </span>
        {live && bytesTotal > 0 && (
          <span className="num">
            {formatBytes(live.bytesDone)} of {formatBytes(bytesTotal)}
          </span>
        )}
        {live && current.state === 'running' && <span className="num">ETA {formatDuration(live.eta)}</span>}
        {counts.fail > 0 && <span className="bad num">{counts.fail} failed</span>}
      </p>
      {current.state === 'waiting' && current.waiting && (
        <p className="warn sync-waiting">
          {current.waiting === 'absent'
            ? 'Plug the device in: the sync goes on by itself when its folder is back.'
            : `Waiting: ${waitingMessage({ root: destination, problem: current.waiting }).replace(/^waiting for /, '')}`}
        </p>
      )}
      {current.state === 'queued' && (
        <p className="muted sync-waiting">Queued: starts when the queue gets to it.</p>
      )}
      {current.state === 'paused' && <p className="warn sync-waiting">Paused: resume the queue to go on.</p>}
    </div>
  )
}
