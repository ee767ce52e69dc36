// The auth service's API (/api/auth): users, roles, permissions, the audit log, one's own password.

export function authResource(call) {
  return {
    users: () => call('GET', '/api/auth/users?size=200'),
    roles: () => call('GET', '/api/auth/roles'),
    permissions: () => call('GET', '/api/auth/permissions'),
    /** Creates (no id) or changes a user. */
    saveUser: (id, body) => call(id ? 'PUT' : 'POST', id ? `/api/auth/users/${id}` : '/api/auth/users', body),
    resetPassword: (id, newPassword) => call('POST', `/api/auth/users/${id}/password`, { newPassword }),
    removeUser: (id) => call('DELETE', `/api/auth/users/${id}`),
    /** Creates (no code) or changes a role. */
    saveRole: (code, body) => call(code ? 'PUT' : 'POST', code ? `/api/auth/roles/${code}` : '/api/auth/roles', body),
    removeRole: (code) => call('DELETE', `/api/auth/roles/${code}`),
    audit: (query) => call('GET', `/api/auth/audit?${query}`),
    verifyAudit: () => call('GET', '/api/auth/audit/verification'),
    changeOwnPassword: (currentPassword, newPassword) => call('PUT', '/api/auth/me/password',
      { currentPassword, newPassword }),
  }
}
