export default {
  app: { title: 'Data Rsync', language: 'Language' },
  login: {
    title: 'Log in', username: 'Username', password: 'Password', submit: 'Log in',
    failed: 'Login failed: {reason}', required: 'Enter a username and a password',
  },
  menu: {
    overview: 'Overview', dataSources: 'Data sources', tasks: 'Sync tasks', alerts: 'Alerts', users: 'Users and roles',
    audit: 'Audit log', search: 'Semantic search',
  },
  session: { logout: 'Log out', expired: 'Your session ended; log in again', changePassword: 'Change password' },
  overview: { welcome: 'Welcome, {name}', permissions: 'Your permissions' },
}
