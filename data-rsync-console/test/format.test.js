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

test('counts get thousands separators', async () => {
  const { count } = await import('../src/format.js')
  assert.equal(count(1234567), '1,234,567')
  assert.equal(count(0), '0')
  assert.equal(count(null), '-')
})

test('each counter is shown in its unit, in name order', async () => {
  const { counterEntries, dateTime, duration } = await import('../src/format.js')
  const at = Date.UTC(2026, 11, 7, 10, 0, 0)
  const entries = counterEntries({ consumedRecords: 1234567, limitWaitMs: 2500, limitedAt: at, lastSourceTsMs: 0,
    limitSharePercent: 50, 'limit.eventsPerSecond': 2000 })
  assert.deepEqual(entries.map((e) => e.key), ['consumedRecords', 'lastSourceTsMs', 'limit.eventsPerSecond',
    'limitSharePercent', 'limitWaitMs', 'limitedAt'])
  const text = Object.fromEntries(entries.map((e) => [e.key, e.text]))
  assert.equal(text.consumedRecords, '1,234,567')
  assert.equal(text.limitWaitMs, duration(2500))
  assert.equal(text.limitedAt, dateTime(new Date(at).toISOString()))
  assert.equal(text.lastSourceTsMs, '-', 'no time yet')
  assert.equal(text.limitSharePercent, '50 %')
  assert.equal(text['limit.eventsPerSecond'], '2,000/s')
  assert.equal(entries.find((e) => e.key === 'consumedRecords').raw, 1234567)
})
