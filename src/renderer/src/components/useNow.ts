import { useEffect, useState } from 'react'

/** The time now, again every `everyMs`: for "2 min ago" that stays true while the page is open. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(t)
  }, [everyMs])
  return now
}

/** "just now", "2 min ago", "3 h ago"; older: the date and time. */
export function timeAgo(at: number, now: number, older: (at: number) => string): string {
  const s = Math.max(0, Math.round((now - at) / 1000))
  if (s < 45) return 'just now'
  const m = Math.round(s / 60)
  if (m < 60) return `${m} min ago`
  const h = Math.round(m / 60)
  if (h < 24) return `${h} h ago`
  return older(at)
}
