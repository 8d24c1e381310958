import { PlannedView } from '../PlannedView'

export function SyncView() {
  return <PlannedView view="sync" />
}
