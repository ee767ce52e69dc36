import { defineStore } from 'pinia'

const STORED = 'datarsync.session'

/** The claims of an access token (its payload), without checking it: the gateway checks it. */
function claims(token) {
  const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
  const json = decodeURIComponent(atob(part).split('').map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''))
  return JSON.parse(json)
}

/**
 * The logged-in user: tokens (kept for this browser tab only, in sessionStorage), the name and
 * the permission codes the gateway enforces, which decide the menus and buttons shown.
 */
export const useSession = defineStore('session', {
  state: () => JSON.parse(sessionStorage.getItem(STORED) || 'null') || { accessToken: null, refreshToken: null },
  getters: {
    loggedIn: (s) => !!s.accessToken,
    user: (s) => (s.accessToken ? claims(s.accessToken).preferred_username : null),
    permissions: (s) => (s.accessToken ? claims(s.accessToken).perm || [] : []),
  },
  actions: {
    can(permission) {
      return this.permissions.includes(permission)
    },
    keep(tokens) {
      this.accessToken = tokens.accessToken
      this.refreshToken = tokens.refreshToken
      sessionStorage.setItem(STORED, JSON.stringify({ accessToken: this.accessToken, refreshToken: this.refreshToken }))
    },
    forget() {
      this.accessToken = null
      this.refreshToken = null
      sessionStorage.removeItem(STORED)
    },
  },
})
