import { PlannedView } from '../PlannedView'

export function PresetsView() {
  return <PlannedView view="presets" />
}
