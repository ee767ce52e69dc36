import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fieldErrors, WIZARD_FIELDS } from '../src/fieldErrors.js'

test('a registry refusal names its fields as they are', () => {
  const e = { details: { fields: { host: 'a host name or address', port: '1-65535' } } }
  assert.deepEqual(fieldErrors(e), { host: 'a host name or address', port: '1-65535' })
})

test("a task definition's violations land on the wizard's items, several on one joined", () => {
  const e = { details: { violations: [
    { field: 'definition.id', reason: 'lowercase letters, digits and _' },
    { field: 'definition.target.vectors[0].dimension', reason: 'all-minilm-l6-v2 makes vectors of 384 dimensions' },
    { field: 'definition.target.vectors[0].dimension', reason: 'at most 32768' },
    { field: 'definition.tables[0]', reason: 'table shop.items does not exist' },
  ] } }
  assert.deepEqual(fieldErrors(e, WIZARD_FIELDS), {
    id: 'lowercase letters, digits and _',
    dimension: 'all-minilm-l6-v2 makes vectors of 384 dimensions; at most 32768',
    'definition.tables[0]': 'table shop.items does not exist',
  })
})

test('an error without field details maps to nothing', () => {
  assert.deepEqual(fieldErrors(new Error('network')), {})
  assert.deepEqual(fieldErrors(undefined), {})
})
