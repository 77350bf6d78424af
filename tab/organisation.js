// The Organisation view, for CoE admins: every team side by side, where to act first, the gap between the CoE's view
// and everyone else's, and the trend. The server checks that the signed-in person is a CoE admin; this page only
// draws what it is given. Data is written with textContent only, never as HTML.
import { distributionChart, perceptionChart, trendChart } from './charts.js';
import { connectToTeams, followTheme } from './host.js';
import { api, byId, cell, element, fail, fillRows, notice, reason, saveDownload, show } from './page.js';

const SECTIONS = ['summary', 'capabilities', 'heatmap', 'act', 'perception', 'trend'];
const session = { host: undefined, info: undefined, data: undefined, charts: [] };

const levelText = (level, names) => (level === null ? '–' : `${level} ${names.get(level) ?? ''}`.trim());
const plural = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function query(extra = {}) {
  const params = { model: byId('model').value, ...extra };
  const round = byId('round').value;
  if (round) params.round = round;
  return new URLSearchParams(params).toString();
}

function renderSummary(data, names) {
  const { summary } = data;
  byId('summary-heading').textContent = `${data.model.shortTitle} maturity · ${data.round.label}`;
  byId('overall').textContent = levelText(summary.overall.level, names);
  byId('mean').textContent = summary.overall.mean === null ? '–' : String(summary.overall.mean);
  byId('respondents').textContent = String(summary.respondents);
  byId('teams').textContent = String(summary.teams.shown);
  byId('teams-detail').textContent =
    summary.teams.withheld > 0
      ? `with a result; ${plural(summary.teams.withheld, 'more team')} with fewer than ${data.minimum} answers`
      : 'with a result';
  byId('judged').textContent =
    data.model.about === 'organisation'
      ? "In this model people judge the whole organisation, so a team's level is how that team sees the organisation."
      : "In this model people judge their own team, so a team's level is that team's own practice.";
  show('summary');
}

function renderCapabilities(data, names) {
  fillRows(
    'capability-table',
    data.organisation.map((capability) => {
      const row = element('tr');
      const level =
        capability.status === 'shown'
          ? cell(
              levelText(capability.level, names),
              `mean ${capability.mean} · ${plural(capability.respondents, 'person', 'people')}, ${plural(capability.teams, 'team')} · ` +
                data.levels.map((entry, index) => `${entry.level}: ${capability.distribution[index]}`).join(' · '),
            )
          : cell('Not enough answers', `fewer than ${data.minimum} people in teams with a result`);
      row.append(element('th', capability.title), level, targetCell(data, capability));
      row.firstChild.scope = 'row';
      // Explicit roles: at a phone's width the rows are laid out as grids, which some browsers read as no table at all.
      row.setAttribute('role', 'row');
      row.firstChild.setAttribute('role', 'rowheader');
      for (const td of row.querySelectorAll('td')) td.setAttribute('role', 'cell');
      return row;
    }),
  );
  const canvas = byId('distribution');
  canvas.setAttribute('aria-label', `Stacked bar chart of how many people chose each level per capability, ${data.round.label}`);
  session.charts.push(distributionChart(canvas, data.organisation, data.levels));
  show('capabilities');
}

/** A target select per capability: setting one is a CoE admin's decision, checked again by the server. */
function targetCell(data, capability) {
  const td = element('td');
  const select = element('select');
  select.setAttribute('aria-label', `Organisation target for ${capability.title}`);
  select.append(Object.assign(element('option', 'No target'), { value: '' }));
  for (const { level, name } of data.levels) select.append(Object.assign(element('option', `${level} ${name}`), { value: String(level) }));
  select.value = capability.target === null ? '' : String(capability.target);
  // Clearing a target is not offered by the API; once set, a target can only be changed.
  select.options[0].disabled = capability.target !== null;
  select.addEventListener('change', () => void setTarget(capability, select));
  td.append(select);
  if (capability.gap !== null)
    td.append(element('span', capability.gap === 0 ? 'met' : `${plural(capability.gap, 'level')} to go`, 'note'));
  return td;
}

async function setTarget(capability, select) {
  select.disabled = true;
  fail('');
  try {
    await api(session, '/api/tab/organisation/targets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: byId('model').value, capability: capability.id, level: Number(select.value) }),
    });
    await load();
    notice(`Target for ${capability.title} set to ${select.value}. Where to act first now measures against it.`);
  } catch (error) {
    fail(`The target was not set: ${reason(error)}`);
    select.disabled = false;
  }
}

function renderHeatMap(data) {
  const { capabilities } = data;
  byId('heatmap-caption').textContent =
    `${plural(data.heatMap.length, 'team')} with answers in ${data.round.label}. Each cell: the team's level (the median, rounded down), then how many answered and the range of their answers. ` +
    `A team or capability with fewer than ${data.minimum} answers shows no level, so no one's answers can be read off it, and counts for nothing in the organisation's figures.`;
  const head = element('tr');
  head.append(element('th', 'Team'), element('th', 'Overall'));
  for (const capability of capabilities) head.append(element('th', capability.title));
  for (const th of head.children) th.scope = 'col';
  byId('heat-table').querySelector('thead').replaceChildren(head);
  const rows = [...data.heatMap];
  if (byId('sort').value === 'gap') {
    const rank = (row) => (row.status === 'shown' ? row.gap : -1);
    rows.sort((a, b) => rank(b) - rank(a) || a.name.localeCompare(b.name));
  }
  fillRows(
    'heat-table',
    rows.map((team) => {
      const row = element('tr');
      const name = element('th', team.name);
      name.scope = 'row';
      row.append(name);
      if (team.status === 'withheld') {
        const note = element('td', 'Not enough answers', 'withheld-row');
        note.colSpan = capabilities.length + 1;
        row.append(note);
        return row;
      }
      row.append(heatCell(team.overall, team.gap > 0 ? `${plural(team.gap, 'level')} short` : ''));
      for (const capability of capabilities) {
        const entry = team.cells[capability.id];
        row.append(entry ? heatCell(entry.level, `${entry.respondents} · ${entry.lowest}–${entry.highest}`) : heatCell(null, 'too few'));
      }
      return row;
    }),
  );
  show('heatmap');
}

function heatCell(level, note) {
  const td = element('td', level === null ? '–' : String(level), `heat-cell${level === null ? ' heat-none' : ` heat-${level}`}`);
  if (note) td.append(element('span', note, 'note'));
  return td;
}

function renderActFirst(data) {
  const stuck = data.actFirst.stuck;
  byId('stuck-list').replaceChildren(
    ...(stuck.length === 0
      ? [element('li', 'No capability holds teams back yet: this needs teams with a result.', 'subtle')]
      : stuck.slice(0, 5).map((entry) => {
          const item = element('li');
          item.append(
            element('strong', entry.title),
            element(
              'span',
              ` — ${entry.below} of ${plural(entry.teams, 'team')} below the ${entry.reference.label}` +
                (entry.holdsBack > 0 ? `; the weakest capability of ${plural(entry.holdsBack, 'team')}.` : '.'),
            ),
          );
          return item;
        })),
  );
  const behind = data.actFirst.teamsBehind.filter((entry) => entry.teams.length > 0);
  byId('behind-list').replaceChildren(
    ...(behind.length === 0
      ? [element('li', 'No team is below the target or the organisation’s level.', 'subtle')]
      : behind.map((entry) => {
          const item = element('li');
          item.append(
            element('strong', `${entry.title} (${entry.reference.label})`),
            element('span', `: ${entry.teams.map((team) => `${team.name} ${team.level}`).join(', ')}`),
          );
          return item;
        })),
  );
  show('act');
}

function renderPerception(data) {
  const shown = data.perception.filter((entry) => entry.status === 'shown');
  fillRows(
    'perception-table',
    data.perception.map((entry) => {
      const row = element('tr');
      const name = element('th', entry.title);
      name.scope = 'row';
      row.append(name);
      if (entry.status === 'withheld') {
        const note = element('td', `Not enough answers: needs ${data.minimum} CoE admins and ${data.minimum} others`, 'subtle');
        note.colSpan = 3;
        row.append(note);
        return row;
      }
      const group = (figure) => cell(String(figure.level), `mean ${figure.mean} · ${plural(figure.respondents, 'person', 'people')}`);
      row.append(
        group(entry.coe),
        group(entry.others),
        // A true minus sign: a hyphen before a number is easy to miss.
        cell(entry.gap === 0 ? '0' : `${entry.gap > 0 ? '+' : '\u2212'}${Math.abs(entry.gap)}`, entry.summary),
      );
      return row;
    }),
  );
  const canvas = byId('perception-chart');
  canvas.setAttribute('aria-label', 'Bar chart of the mean level of CoE admins and of everyone else, per capability');
  byId('perception-chart').closest('figure').hidden = shown.length === 0;
  if (shown.length > 0) session.charts.push(perceptionChart(canvas, shown));
  show('perception');
}

function renderTrend(data, names) {
  fillRows(
    'trend-table',
    [...data.trend].reverse().map((point) => {
      const row = element('tr');
      const name = element('th', point.label);
      name.scope = 'row';
      row.append(
        name,
        cell(point.status === 'shown' ? levelText(point.overall, names) : 'not enough answers'),
        cell(point.mean === null ? '–' : String(point.mean), '', 'number'),
        // People and teams share a column, so five months' figures fit a phone's width without scrolling.
        cell(String(point.respondents), plural(point.teams, 'team'), 'number'),
      );
      return row;
    }),
  );
  const canvas = byId('trend-chart');
  canvas.setAttribute('aria-label', `Line chart of the organisation's overall level over the last ${data.trend.length} months`);
  session.charts.push(trendChart(canvas, data.trend, data.capabilities, byId('per-capability').checked));
  show('trend');
}

function render() {
  for (const chart of session.charts.splice(0)) chart.destroy();
  const data = session.data;
  if (!data) return;
  const names = new Map(data.levels.map((entry) => [entry.level, entry.name]));
  renderSummary(data, names);
  renderCapabilities(data, names);
  renderHeatMap(data);
  renderActFirst(data);
  renderPerception(data);
  renderTrend(data, names);
  byId('privacy').textContent =
    `Aggregates only: no one's answers are shown or exported. Each person counts once, with their latest answer; a team or capability with fewer than ${data.minimum} answers ` +
    'counts for nothing, so the organisation figures cannot be used to work out a small team’s answers. Levels: 100 Initial · 200 Repeatable · 300 Defined · 400 Capable · 500 Efficient.';
}

function fillMonths(data) {
  const select = byId('round');
  const wanted = data.round.id;
  select.replaceChildren(
    ...[...data.trend].reverse().map((point) => Object.assign(element('option', point.label), { value: point.round })),
  );
  select.value = wanted;
  select.disabled = false;
}

async function load() {
  const main = byId('main');
  main.setAttribute('aria-busy', 'true');
  fail('');
  try {
    session.data = await (await api(session, `/api/tab/organisation?${query()}`)).json();
    fillMonths(session.data);
    const data = session.data;
    byId('subtitle').textContent = data.demo
      ? 'A made-up organisation (local mode) · for CoE admins'
      : `For CoE admins only · ${plural(data.heatMap.length, 'team')} in ${data.round.label}`;
    if (data.fellBack) notice(`Nothing to show for ${data.currentLabel} yet, so this is ${data.round.label}.`);
    render();
    byId('export').disabled = false;
  } catch (error) {
    session.data = undefined;
    render();
    for (const id of SECTIONS) show(id, false);
    byId('export').disabled = true;
    fail(`The organisation view could not be loaded: ${reason(error)}`);
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

async function exportCsv() {
  const button = byId('export');
  button.disabled = true;
  fail('');
  try {
    await saveDownload(await api(session, `/api/tab/organisation.csv?${query()}`), 'organisation.csv');
  } catch (error) {
    fail(`The export failed: ${reason(error)}`);
  } finally {
    button.disabled = false;
  }
}

async function start() {
  session.host = await connectToTeams();
  followTheme(session.host, render);
  const response = await fetch('/api/tab/info');
  if (!response.ok) throw new Error(`The server answered ${response.status} to /api/tab/info.`);
  session.info = await response.json();
  const select = byId('model');
  const wanted = new URLSearchParams(location.search).get('model');
  select.replaceChildren(...session.info.models.map((model) => Object.assign(element('option', model.shortTitle), { value: model.id })));
  if (session.info.models.some((model) => model.id === wanted)) select.value = wanted;
  byId('team-link').href = `index.html?${new URLSearchParams({ model: select.value })}`;

  if (session.info.mode === 'local') {
    notice('The server runs in local mode (no app registration), so this shows a made-up organisation.');
  } else if (!session.host.inTeams) {
    byId('subtitle').textContent = 'Not signed in';
    notice('Not running inside Microsoft Teams. Open the Maturity dashboard tab in Teams, then Organisation, to see your organisation.');
    byId('main').setAttribute('aria-busy', 'false');
    return;
  }
  select.disabled = false;
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('model', select.value);
    history.replaceState(null, '', url);
    byId('team-link').href = `index.html?${new URLSearchParams({ model: select.value })}`;
    byId('round').value = '';
    notice('');
    void load();
  });
  byId('round').addEventListener('change', () => {
    notice('');
    void load();
  });
  byId('sort').addEventListener('change', render);
  byId('per-capability').addEventListener('change', render);
  byId('export').addEventListener('click', () => void exportCsv());
  await load();
  if (session.host.inTeams) await session.host.teams.app.notifySuccess();
}

start().catch((error) => {
  byId('main').setAttribute('aria-busy', 'false');
  fail(`The organisation view could not start: ${reason(error)}`);
});
