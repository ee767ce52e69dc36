import { useSession } from './session.js'
import { router } from './router.js'

/** An answer that is not 2xx: the API's stable code and message (never a stack trace). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`)
    this.status = status
    this.code = body?.code
    this.details = body?.details
  }
}

async function send(method, path, body, token) {
  const headers = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (token) headers.Authorization = `Bearer ${token}`
  return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}

let refreshing = null

/** One refresh at a time, however many calls found the access token expired together. */
async function refresh(session) {
  if (!refreshing) {
    refreshing = send('POST', '/api/auth/refresh', { refreshToken: session.refreshToken })
      .then(async (r) => {
        if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null))
        session.keep(await r.json())
      })
      .finally(() => { refreshing = null })
  }
  return refreshing
}

/**
 * Calls the API through the gateway with the session's access token; an expired one is
 * refreshed once and the call repeated; a session that cannot be refreshed goes to the login.
 */
export async function api(method, path, body) {
  const session = useSession()
  let answer = await send(method, path, body, session.accessToken)
  if (answer.status === 401 && session.refreshToken) {
    try {
      await refresh(session)
      answer = await send(method, path, body, session.accessToken)
    } catch (e) {
      session.forget()
      router.push({ name: 'login', query: { expired: '1' } })
      throw e
    }
  }
  const text = await answer.text()
  const json = text ? JSON.parse(text) : null
  if (!answer.ok) throw new ApiError(answer.status, json)
  return json
}

export async function login(username, password) {
  const answer = await send('POST', '/api/auth/login', { username, password })
  const json = await answer.json().catch(() => null)
  if (!answer.ok) throw new ApiError(answer.status, json)
  useSession().keep(json)
}

export async function logout() {
  const session = useSession()
  try {
    await send('POST', '/api/auth/logout', undefined, session.accessToken)
  } finally {
    session.forget()
  }
}
