// The console's task buttons follow the server's allowedActions and the user's permissions.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { actionsFor, pathOf, TASK_ACTIONS } from '../src/taskActions.js'

const everything = { can: () => true }
const names = (list) => list.map((a) => a.action)

test('a button per allowed action, in the fixed order, by API name', () => {
  const task = { allowedActions: ['delete', 'full-sync', 'pause', 'stop', 'restart'] }
  assert.deepEqual(names(actionsFor(task, everything)), ['pause', 'stop', 'restart', 'fullSync', 'delete'])
})

test('no allowedActions, no buttons (an answer from an older server, or none yet)', () => {
  assert.deepEqual(actionsFor({ state: 'RUNNING' }, everything), [])
  assert.deepEqual(actionsFor(undefined, everything), [])
})

test('a permission the session lacks hides its buttons', () => {
  const operator = { can: (p) => p === 'task:operate' }
  const task = { allowedActions: ['start', 'full-sync', 'delete'] }
  assert.deepEqual(names(actionsFor(task, operator)), ['start', 'fullSync'])
  const viewer = { can: () => false }
  assert.deepEqual(actionsFor(task, viewer), [])
})

test('every button names a distinct API path, and the lifecycle commands are all there', () => {
  const paths = TASK_ACTIONS.map(pathOf)
  assert.equal(new Set(paths).size, paths.length)
  assert.deepEqual(paths, ['start', 'pause', 'resume', 'stop', 'restart', 'full-sync', 'resnapshot', 'delete'])
})
