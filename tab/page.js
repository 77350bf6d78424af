// What every dashboard page does the same way: find and fill elements (text only, never HTML), say what went
// wrong, call the API with the member's Teams token, and save a file the API sent.

export const byId = (id) => document.getElementById(id);

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function show(id, visible = true) {
  byId(id).hidden = !visible;
}

/** A notice, with a link after it where there is one ({ text, href }). */
export function notice(text, more) {
  const node = byId('notice');
  node.replaceChildren(text);
  if (more) node.append(' ', Object.assign(element('a', more.text), { href: more.href }));
  show('notice', Boolean(text));
}

export function fail(text) {
  byId('error').textContent = text;
  show('error', Boolean(text));
}

/** teams-js sometimes rejects with a string or a plain object rather than an Error. */
export function reason(error) {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

export function cell(text, note, className) {
  const td = element('td', text, className);
  if (note) td.append(element('span', note, 'note'));
  return td;
}

export function fillRows(tableId, rows) {
  byId(tableId)
    .querySelector('tbody')
    .replaceChildren(...rows);
}

/**
 * Calls the tab API: inside Teams with the member's SSO token (teams-js caches it and renews it when it expires),
 * in local mode without one. A refusal throws the server's own words.
 */
export async function api(session, path, init = {}) {
  const headers = { ...init.headers };
  if (session.info.mode !== 'local') headers.authorization = `Bearer ${await session.host.teams.authentication.getAuthToken()}`;
  const response = await fetch(path, { ...init, headers });
  if (response.ok) return response;
  const body = await response.json().catch(() => ({}));
  throw new Error(body.error ?? `The server answered ${response.status} ${response.statusText}.`);
}

/** Saves a file the API sent (a plain link could not send the token) through a temporary link. */
export async function saveDownload(response, fallbackName) {
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const anchor = element('a');
  anchor.href = url;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoke later: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
