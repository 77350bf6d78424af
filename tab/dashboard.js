// The dashboard tab: connects to Teams (or notices it is not inside Teams), loads the team's results
// from /api/tab/dashboard with the member's SSO token, and draws them. Data is written with
// textContent only, never as HTML.
import { capabilityChart, LEVEL_NAMES, trendChart } from './charts.js';
import { connectToTeams, followTheme, placeName, scopeOf } from './host.js';
import { api as apiCall, byId, cell, element, fail, fillRows, notice, reason, saveDownload, show } from './page.js';

const api = (path) => apiCall(state, path);

/** Opportunities listed before "Show all"; the cards show the same number. */
const OPPORTUNITIES_SHOWN = 3;
const state = { host: undefined, info: undefined, scope: undefined, data: undefined, charts: [] };

/** This page's address with its query changed (null removes a parameter). */
function pageWith(changes) {
  const url = new URL(location.href);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  return url.toString();
}

function selectedModel() {
  return byId('model').value;
}

function query() {
  const params = new URLSearchParams({ model: selectedModel(), scope: state.scope });
  // Local mode's personal view can name whose it is (the Agents Playground's user by default).
  const page = new URLSearchParams(location.search);
  if (state.scope === 'personal') for (const key of ['user', 'tenant']) if (page.has(key)) params.set(key, page.get(key));
  return params.toString();
}

/** A link; where it is the source's own and opens another page than its title names, a note says which. */
function link(item) {
  const anchor = element('a', item.title);
  anchor.href = item.url;
  anchor.target = '_blank';
  anchor.rel = 'noopener noreferrer';
  if (!item.opens) return anchor;
  const wrap = element('span');
  wrap.append(anchor, element('span', ` (the source's link: it opens ${item.opens})`, 'note'));
  return wrap;
}

function renderSummary(data) {
  const { current } = data;
  byId('summary-heading').textContent = `${data.model.shortTitle} maturity · ${data.round.label}`;
  byId('respondents').textContent = String(current.respondents);
  byId('respondents-detail').textContent = `${current.minimum} needed for a result`;
  if (current.status === 'withheld') {
    byId('overall').textContent = '–';
    byId('overall-detail').textContent = 'withheld';
    byId('mean').textContent = '–';
    byId('withheld').textContent = current.reason;
    show('withheld');
  } else {
    const { overall } = current;
    byId('overall').textContent = overall.name ?? '–';
    byId('overall-detail').textContent =
      overall.setBy.length === 1
        ? `set by ${overall.setBy[0]}, the weakest capability`
        : overall.setBy.length > 1
          ? `set by ${overall.setBy.length} capabilities at that level`
          : 'no capability has a level yet';
    byId('mean').textContent = overall.mean === null ? '–' : String(overall.mean);
    show('withheld', false);
  }
  show('summary');
}

function renderCapabilities(data) {
  const { current } = data;
  if (current.status !== 'ready') {
    show('capabilities', false);
    return;
  }
  fillRows(
    'capability-table',
    current.capabilities.map((capability) => {
      const row = element('tr');
      const { lowest, highest } = capability;
      let detail = capability.note;
      if (capability.level !== null && lowest !== null && highest !== null) {
        // Two levels or more apart: people see the team differently, which is worth talking about.
        detail =
          lowest === highest
            ? `everyone answered ${lowest}`
            : `answers ${lowest}–${highest}${highest - lowest >= 200 ? ' · worth a conversation' : ''}`;
      }
      const level = capability.name ?? (capability.withheld ? 'Withheld' : '–');
      row.append(element('th', capability.title), cell(level, detail), cell(String(capability.respondents), '', 'number'));
      row.firstChild.scope = 'row';
      return row;
    }),
  );
  const radar = byId('radar');
  radar.setAttribute('aria-label', `Chart of the team level per capability, ${data.round.label}`);
  const yours = new Map(data.you.map((row) => [row.capabilityId, row.yours]));
  // One or two capabilities draw as bars: a compact box, a row per capability, and a caption that says so.
  const bars = data.capabilities.length < 3;
  radar.parentElement.classList.toggle('compact', bars);
  radar.parentElement.style.setProperty('--rows', String(data.capabilities.length));
  byId('capability-caption').textContent = bars
    ? 'Team level (median of answers, rounded down), your own answer below it, and the faint bar the spread from the lowest answer to the highest. The table lists the same levels.'
    : 'Team level (median of answers, rounded down) per capability, the faint band the spread from the lowest answer to the highest, and your own answers dashed. The table lists the same levels.';
  state.charts.push(
    capabilityChart(
      radar,
      data.capabilities,
      current.capabilities.map((capability) => capability.level),
      data.capabilities.map((capability) => yours.get(capability.id) ?? null),
      current.capabilities.map(({ lowest, highest }) => ({ lowest, highest })),
    ),
  );
  show('capabilities');
}

function renderTrend(data) {
  const most = Math.max(1, ...data.trend.map((point) => point.respondents));
  fillRows(
    'trend-table',
    [...data.trend].reverse().map((point) => {
      const row = element('tr');
      const overall =
        point.status === 'ready'
          ? point.overall === null
            ? 'no level yet'
            : `${point.overall} ${LEVEL_NAMES[point.overall]}`
          : point.status === 'withheld'
            ? 'withheld (too few answers)'
            : 'no answers';
      const people = element('td');
      const bar = element('span', undefined, 'bar');
      bar.style.width = `${Math.round((point.respondents / most) * 56)}px`;
      bar.setAttribute('aria-hidden', 'true');
      const count = element('span', String(point.respondents));
      const wrap = element('span', undefined, 'bar-cell');
      wrap.append(count, bar);
      people.append(wrap);
      row.append(element('th', point.label), cell(overall), cell(point.mean === null ? '–' : String(point.mean), '', 'number'), people);
      row.firstChild.scope = 'row';
      return row;
    }),
  );
  const canvas = byId('trend-chart');
  canvas.setAttribute('aria-label', `Line chart of the overall level over the last ${data.trend.length} monthly rounds`);
  state.charts.push(trendChart(canvas, data.trend, data.capabilities, byId('per-capability').checked));
  show('trend');
}

function renderActions(data) {
  const list = byId('action-list');
  if (data.nextActions.length === 0) {
    const why =
      data.current.status === 'ready'
        ? 'No next steps: every capability with a level is at its target or at 500.'
        : 'Next best actions appear with the team result.';
    list.replaceChildren(element('li', why, 'subtle'));
  } else {
    list.replaceChildren(
      ...data.nextActions.map((action) => {
        const item = element('li');
        item.append(
          element('div', `${action.capabilityTitle} → ${action.toName}`, 'action-title'),
          element('p', action.text, 'action-text'),
        );
        if (action.links.length > 0) {
          const links = element('ul', undefined, 'links');
          links.append(
            ...action.links.map((entry) => {
              const li = element('li');
              li.append(link(entry));
              return li;
            }),
          );
          item.append(links);
        }
        return item;
      }),
    );
  }
  const { heading, note, items } = data.opportunities;
  byId('opportunities-heading').textContent = heading;
  show('opportunities-heading', items.length > 0);
  byId('opportunities-note').textContent = note;
  show('opportunities-note', items.length > 0 && Boolean(note));
  const opportunity = (entry) => {
    const item = element('li', entry.text);
    for (const target of entry.links) item.append(' · ', link(target));
    return item;
  };
  byId('opportunity-list').replaceChildren(...items.slice(0, OPPORTUNITIES_SHOWN).map(opportunity));
  // The rest stay one click away (a native disclosure: keyboard and screen readers know it), never cut.
  const more = items.slice(OPPORTUNITIES_SHOWN);
  byId('more-opportunities-summary').textContent = `Show all ${items.length} opportunities`;
  byId('more-opportunity-list').replaceChildren(...more.map(opportunity));
  show('more-opportunities', more.length > 0);
  show('actions');
}

function renderYou(data) {
  fillRows(
    'you-table',
    data.you.map((row) => {
      const tr = element('tr');
      const levels = row.team !== null && row.yours !== null ? (row.yours - row.team) / 100 : 0;
      const compared =
        levels === 0 ? '' : `${Math.abs(levels)} ${Math.abs(levels) === 1 ? 'level' : 'levels'} ${levels > 0 ? 'above' : 'below'} the team`;
      tr.append(element('th', row.title), cell(row.teamLabel), cell(row.yoursLabel, compared));
      tr.firstChild.scope = 'row';
      return tr;
    }),
  );
  show('you');
}

function render() {
  for (const chart of state.charts.splice(0)) chart.destroy();
  const data = state.data;
  if (!data) return;
  renderSummary(data);
  renderCapabilities(data);
  renderTrend(data);
  renderActions(data);
  renderYou(data);
}

async function load() {
  const main = byId('main');
  main.setAttribute('aria-busy', 'true');
  fail('');
  try {
    state.data = await (await api(`/api/tab/dashboard?${query()}`)).json();
    render();
    byId('export').disabled = false;
  } catch (error) {
    state.data = undefined;
    render();
    for (const id of ['summary', 'capabilities', 'trend', 'actions', 'you']) show(id, false);
    byId('export').disabled = true;
    fail(`The dashboard could not be loaded: ${reason(error)}`);
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

/** Fetches the CSV with the token (a plain link could not send it) and saves it through a temporary link. */
async function exportCsv() {
  const button = byId('export');
  button.disabled = true;
  fail('');
  try {
    await saveDownload(await api(`/api/tab/export.csv?${query()}`), 'maturity.csv');
  } catch (error) {
    fail(`The export failed: ${reason(error)}`);
  } finally {
    button.disabled = false;
  }
}

async function start() {
  state.host = await connectToTeams();
  followTheme(state.host, render);
  const response = await fetch('/api/tab/info');
  if (!response.ok) throw new Error(`The server answered ${response.status} to /api/tab/info.`);
  state.info = await response.json();

  const select = byId('model');
  const wanted = new URLSearchParams(location.search).get('model');
  select.replaceChildren(...state.info.models.map((model) => Object.assign(element('option', model.shortTitle), { value: model.id })));
  if (state.info.models.some((model) => model.id === wanted)) select.value = wanted;

  const { host, info } = state;
  if (info.mode === 'local' && new URLSearchParams(location.search).get('scope') === 'personal') {
    // Local mode's personal view: what the Agents Playground's user answered in their chat with the bot.
    state.scope = 'personal';
    byId('team').textContent = 'Your own assessment (your chat with Maturity Pulse in the Agents Playground)';
    notice('The server runs in local mode, so this shows the Agents Playground’s user.', {
      text: 'See the demo team',
      href: pageWith({ scope: null, user: null, tenant: null }),
    });
  } else if (info.mode === 'local') {
    state.scope = info.demoTeam.scopeId;
    byId('team').textContent = `${info.demoTeam.name} (made-up answers)`;
    notice(
      host.inTeams
        ? 'The server runs in local mode (no app registration), so this shows the demo team, not this channel.'
        : 'Not running inside Microsoft Teams. The server runs in local mode, so this shows the demo team.',
      { text: 'See what you answered in the Agents Playground', href: pageWith({ scope: 'personal' }) },
    );
  } else if (!host.inTeams) {
    byId('team').textContent = 'No team';
    notice(
      'Not running inside Microsoft Teams. Open the Maturity dashboard tab in a Teams channel or group chat to see your team’s results.',
    );
    byId('main').setAttribute('aria-busy', 'false');
    return;
  } else {
    // A personal tab has no channel or chat: it shows the member's own assessment from their chat with the bot.
    state.scope = scopeOf(host.context) ?? 'personal';
    byId('team').textContent = placeName(host.context) ?? 'Your own assessment (your chat with Maturity Pulse)';
  }

  select.disabled = false;
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('model', selectedModel());
    history.replaceState(null, '', url);
    void load();
  });
  byId('per-capability').addEventListener('change', render);
  byId('export').addEventListener('click', () => void exportCsv());
  await load();
  await offerOrganisation();
  if (host.inTeams) await host.teams.app.notifySuccess();
}

/** CoE admins get a link to the Organisation view (the server decides who is one). */
async function offerOrganisation() {
  try {
    const { admin } = await (await api('/api/tab/organisation/access')).json();
    byId('org-link').href = `organisation.html?${new URLSearchParams({ model: selectedModel() })}`;
    show('org-link', admin);
  } catch (error) {
    // Without the link the team view still works; the reason is worth a line in the console, not an error banner.
    console.info(`No organisation view: ${reason(error)}`);
  }
}

start().catch((error) => {
  byId('main').setAttribute('aria-busy', 'false');
  fail(`The dashboard could not start: ${reason(error)}`);
});
