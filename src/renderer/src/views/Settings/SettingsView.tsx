import { PlannedView } from '../PlannedView'

export function SettingsView() {
  return <PlannedView view="settings" />
}
