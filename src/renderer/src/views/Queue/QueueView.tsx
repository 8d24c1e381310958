import { PlannedView } from '../PlannedView'

export function QueueView() {
  return <PlannedView view="queue" />
}
