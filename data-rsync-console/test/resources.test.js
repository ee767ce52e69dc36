// Each resource module turns a call into the method and path the API documents (docs/api.md),
// ids and names encoded; the transport is a recorder here.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { taskResource } from '../src/resources/tasks.js'
import { dataSourceResource } from '../src/resources/dataSources.js'
import { monitorResource } from '../src/resources/monitor.js'
import { authResource } from '../src/resources/auth.js'

function recorder() {
  const calls = []
  const call = async (method, path, body) => {
    calls.push(body === undefined ? [method, path] : [method, path, body])
    return null
  }
  return { calls, call }
}

test('tasks: ids are encoded, commands go to their path, replay of one letter or all', async () => {
  const { calls, call } = recorder()
  const tasks = taskResource(call)
  await tasks.status('a b')
  await tasks.command('t1', 'full-sync')
  await tasks.command('t1', 'resnapshot', { tables: [] })
  await tasks.replay('t1', 'x/1')
  await tasks.replay('t1', null)
  await tasks.deadLetters('t1', 0, 20)
  await tasks.setLimits('t1', { eventsPerSecond: 5 })
  await tasks.remove('t1')
  assert.deepEqual(calls, [
    ['GET', '/api/tasks/a%20b/status'],
    ['POST', '/api/tasks/t1/full-sync'],
    ['POST', '/api/tasks/t1/resnapshot', { tables: [] }],
    ['POST', '/api/tasks/t1/dead-letters/x%2F1/replay'],
    ['POST', '/api/tasks/t1/dead-letters/replay'],
    ['GET', '/api/tasks/t1/dead-letters?page=0&size=20'],
    ['PUT', '/api/tasks/t1/limits', { eventsPerSecond: 5 }],
    ['DELETE', '/api/tasks/t1'],
  ])
})

test('data sources: schema and table names are encoded; a saved source is tested by id, fields by body', async () => {
  const { calls, call } = recorder()
  const sources = dataSourceResource(call)
  await sources.columns(3, 'my db', 'a/b')
  await sources.preview(3, 'public', 'docs', new URLSearchParams({ template: '{title}', limit: 5 }))
  await sources.test(3)
  await sources.testFields({ kind: 'mariadb' })
  await sources.enable(3, false)
  assert.deepEqual(calls, [
    ['GET', '/api/datasources/3/schemas/my%20db/tables/a%2Fb/columns'],
    ['GET', '/api/datasources/3/schemas/public/tables/docs/preview?template=%7Btitle%7D&limit=5'],
    ['POST', '/api/datasources/3/test'],
    ['POST', '/api/datasources/test', { kind: 'mariadb' }],
    ['POST', '/api/datasources/3/disable'],
  ])
})

test('monitor and auth: a save without an id creates, with one changes', async () => {
  const { calls, call } = recorder()
  const monitor = monitorResource(call)
  const auth = authResource(call)
  await monitor.save('rules', null, { name: 'r' })
  await monitor.save('rules', 7, { name: 'r' })
  await auth.saveUser(null, { username: 'u' })
  await auth.saveRole('OPS', { name: 'Ops' })
  await auth.changeOwnPassword('old', 'new')
  assert.deepEqual(calls, [
    ['POST', '/api/monitor/alerts/rules', { name: 'r' }],
    ['PUT', '/api/monitor/alerts/rules/7', { name: 'r' }],
    ['POST', '/api/auth/users', { username: 'u' }],
    ['PUT', '/api/auth/roles/OPS', { name: 'Ops' }],
    ['PUT', '/api/auth/me/password', { currentPassword: 'old', newPassword: 'new' }],
  ])
})
