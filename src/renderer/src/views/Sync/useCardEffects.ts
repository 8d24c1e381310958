import { useEffect, useRef } from 'react'
import type { Profile } from '../../../../shared/profiles'
import type { ProfileStatus } from '../../../../shared/sync-status'
import { syncActions, useSyncUi } from '../../store/sync'

/** A toast or the shell asked for this profile: its card in view, focused, and flashed once. */
export function useFocusWhenAsked(name: string) {
  const focused = useSyncUi((s) => s.focus === name)
  const cardRef = useRef<HTMLLIElement>(null)
  useEffect(() => {
    const el = cardRef.current
    if (!focused || !el) return
    el.scrollIntoView?.({ block: 'nearest' })
    el.focus({ preventScroll: true })
    el.classList.remove('flash')
    void el.offsetWidth // restarts the animation
    el.classList.add('flash')
    syncActions.focused()
  }, [focused])
  return cardRef
}

/**
 * What the next sync would change, for the capacity bar: planned again when the profile, its last
 * run or its device's presence changes (a plan reads names, sizes and dates only).
 */
export function usePlannedChange(profile: Profile, status: ProfileStatus | undefined) {
  const name = profile.name
  const plan = useSyncUi((s) => s.plans[name])
  const stamp = status
    ? `${profile.updatedAt}:${status.lastRun?.batchId ?? 0}:${status.presence}:${status.destinationExists}`
    : ''
  const present = status?.present === true
  const underway = Boolean(status?.current)
  const planLoading = plan?.loading === true
  const plannedFor = plan?.stamp
  useEffect(() => {
    if (!present || underway || planLoading || plannedFor === stamp) return
    void syncActions.plan(name, { stamp, limit: 0 })
  }, [name, stamp, present, underway, planLoading, plannedFor])
  // While a sync runs, the plan it came from is being applied: the bar shows the files as they land.
  const change =
    plan?.plan && plan.stamp === stamp && !underway
      ? { write: plan.plan.totals.bytesToWrite, free: plan.plan.totals.bytesFreed }
      : null
  // Why the next sync cannot be planned: said for the device as it is now, and not while planning again.
  const refusal = plan?.refusal && plan.stamp === stamp && !plan.loading && present ? plan.refusal : undefined
  return { change, refusal }
}
