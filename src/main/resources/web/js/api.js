// The service's REST API as the page uses it. POSTs carry the API key when one is stored; a 401 asks for it
// (again) and retries, until the user cancels the dialog.

import { askForKey, forgetKey, storedKey } from './apikey.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function authHeaders() {
  const key = storedKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  return answer(response);
}

export async function postJson(path) {
  return withKey(async () => answer(await fetch(path, { method: 'POST', headers: authHeaders() })));
}

/** Runs a request; on 401 asks for the key and runs it again. Null when the user gives up. */
export async function withKey(request) {
  for (;;) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) {
        throw error;
      }
      const hadKey = Boolean(storedKey());
      forgetKey();
      if ((await askForKey({ refused: hadKey })) === null) {
        throw new ApiError(401, 'No API key given: the service needs one for this.');
      }
    }
  }
}

/** The JSON body of a 2xx answer, or an ApiError with the service's {"error": ...} message. */
export async function answer(response) {
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, (body && body.error) || `The service answered ${response.status}.`);
  }
  return body;
}
