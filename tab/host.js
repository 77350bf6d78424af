// What the page knows about its host: inside Teams (teams-js initialised, with a context) or a plain browser.

/** Inside an iframe whose parent never answers, app.initialize() would wait forever: give up after this. */
const TEAMS_TIMEOUT_MS = 5000;
const THEMES = ['default', 'dark', 'contrast'];

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Connects to Teams. Resolves { inTeams: true, teams, context } inside Teams, or { inTeams: false, reason }
 * in a plain browser, where teams-js refuses at once ("No Parent window found").
 */
export async function connectToTeams() {
  const teams = window.microsoftTeams;
  if (!teams) return { inTeams: false, reason: 'the Teams JavaScript library did not load' };
  try {
    await withTimeout(teams.app.initialize(), TEAMS_TIMEOUT_MS, 'Teams did not answer');
  } catch (error) {
    return { inTeams: false, reason: error instanceof Error ? error.message : String(error) };
  }
  return { inTeams: true, teams, context: await teams.app.getContext() };
}

/** The theme before Teams says otherwise: ?theme=dark|contrast|default, else the browser's preference. */
export function initialTheme() {
  const asked = new URLSearchParams(location.search).get('theme');
  if (THEMES.includes(asked)) return asked;
  if (matchMedia('(forced-colors: active)').matches) return 'contrast';
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default';
}

export function applyTheme(theme) {
  document.documentElement.dataset.theme = THEMES.includes(theme) ? theme : 'default';
}

/**
 * Keeps the page in the host's theme: Teams' theme-change events inside Teams, the browser's colour
 * scheme outside (unless ?theme= pinned one). `onChange` runs after the new theme is applied.
 */
export function followTheme(host, onChange) {
  if (host.inTeams) {
    applyTheme(host.context.app.theme);
    host.teams.app.registerOnThemeChangeHandler((theme) => {
      applyTheme(theme);
      onChange();
    });
    return;
  }
  applyTheme(initialTheme());
  if (new URLSearchParams(location.search).has('theme')) return;
  for (const query of ['(prefers-color-scheme: dark)', '(forced-colors: active)']) {
    matchMedia(query).addEventListener('change', () => {
      applyTheme(initialTheme());
      onChange();
    });
  }
}

/** A short name for where the tab is: "Team · Channel", the chat's name, or undefined in a personal scope. */
export function placeName(context) {
  if (context.channel?.id) return [context.team?.displayName, context.channel.displayName].filter(Boolean).join(' · ') || 'This channel';
  if (context.chat?.id) return 'This chat';
  return undefined;
}

/** The team whose results the tab shows: the channel's id, or the group chat's (the ids the bot stores under). */
export function scopeOf(context) {
  return context.channel?.id ?? context.chat?.id;
}
