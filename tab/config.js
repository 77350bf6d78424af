// The channel / group-chat tab's configuration page: Teams shows it when the tab is added, and saves
// what setConfig says (the dashboard's URL, with the model it opens on).
import { connectToTeams, followTheme } from './host.js';

const status = document.getElementById('status');
const select = document.getElementById('model');

function instanceConfig() {
  const contentUrl = new URL('index.html', location.href);
  contentUrl.searchParams.set('model', select.value);
  return { contentUrl: contentUrl.href, entityId: `maturity-dashboard-${select.value}`, suggestedDisplayName: 'Maturity dashboard' };
}

async function start() {
  const host = await connectToTeams();
  followTheme(host, () => {});
  const response = await fetch('/api/tab/info');
  if (!response.ok) throw new Error(`The server answered ${response.status} to /api/tab/info.`);
  const { models } = await response.json();
  select.replaceChildren(
    ...models.map((model) => Object.assign(document.createElement('option'), { value: model.id, textContent: model.shortTitle })),
  );
  select.disabled = false;
  if (!host.inTeams) {
    status.textContent = 'Not running inside Microsoft Teams: this page sets up the dashboard tab when you add it to a channel or chat.';
    return;
  }
  const { pages } = host.teams;
  pages.config.registerOnSaveHandler((saveEvent) => {
    pages.config.setConfig(instanceConfig()).then(
      () => saveEvent.notifySuccess(),
      (error) => saveEvent.notifyFailure(error instanceof Error ? error.message : String(error)),
    );
  });
  select.addEventListener('change', () => pages.config.setValidityState(true));
  pages.config.setValidityState(true);
  status.textContent = 'Choose the model the tab opens on, then select Save.';
}

start().catch((error) => {
  status.textContent = `The set-up page could not start: ${error instanceof Error ? error.message : String(error)}`;
});
