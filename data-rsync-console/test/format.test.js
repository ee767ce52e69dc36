import { test } from 'node:test'
import assert from 'node:assert/strict'
import { duration, rate, stateTag } from '../src/format.js'

test('durations take the largest readable unit', () => {
  assert.equal(duration(null), '-')
  assert.equal(duration(-1), '-')
  assert.equal(duration(250), '250 ms')
  assert.equal(duration(1500), '1.5 s')
  assert.equal(duration(125_000), '2 min 5 s')
  assert.equal(duration(5_400_000), '1.5 h')
})

test('rates keep one decimal below 10', () => {
  assert.equal(rate(null), '-')
  assert.equal(rate(2.345), '2.3')
  assert.equal(rate(1234.5), '1235')
})

test('states have their tag colour, unknown ones grey', () => {
  assert.equal(stateTag('RUNNING'), 'success')
  assert.equal(stateTag('FAILED'), 'danger')
  assert.equal(stateTag('RETRYING'), 'warning')
  assert.equal(stateTag('SOMETHING_NEW'), 'info')
})
