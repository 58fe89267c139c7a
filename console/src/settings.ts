// What the API tells the console about the deployment (GET /console/settings.json):
// where the Temporal UI is, so workflows can be linked.
import { createContext, useContext } from 'react';

export interface ConsoleSettings {
  temporalUiUrl: string | null;
  temporalNamespace: string;
}

export const DEFAULT_SETTINGS: ConsoleSettings = { temporalUiUrl: null, temporalNamespace: 'default' };

export const SettingsContext = createContext<ConsoleSettings>(DEFAULT_SETTINGS);

export const useSettings = (): ConsoleSettings => useContext(SettingsContext);

export async function loadSettings(): Promise<ConsoleSettings> {
  const response = await fetch('/console/settings.json');
  return response.ok ? { ...DEFAULT_SETTINGS, ...((await response.json()) as Partial<ConsoleSettings>) } : DEFAULT_SETTINGS;
}
