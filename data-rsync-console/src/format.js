// How the console shows states, times and figures, the same on every page.

const STATE_TAG = {
  RUNNING: 'success', COMPLETED: 'success', SUCCEEDED: 'success', EQUAL: 'success', DONE: 'success',
  RETRYING: 'warning', PAUSED: 'warning', STOPPING: 'warning', DIFFERENT: 'warning',
  FAILED: 'danger', STOPPED: 'info', CREATED: 'info', WAITING: 'info', QUEUED: 'info', STARTING: 'primary',
}

const HEALTH_TAG = { UP: 'success', DEGRADED: 'warning', DOWN: 'danger' }

/** The tag colour of a data source's health state (UP, DEGRADED, DOWN; grey before a check). */
export function healthTag(state) {
  return HEALTH_TAG[state] || 'info'
}

export function stateTag(state) {
  return STATE_TAG[state] || 'info'
}

export function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '-'
}

export function rate(value) {
  return value == null ? '-' : value.toFixed(value < 10 ? 1 : 0)
}

/** Milliseconds as the largest unit that keeps it readable. */
export function duration(ms) {
  if (ms == null || ms < 0) return '-'
  if (ms < 1000) return `${ms} ms`
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`
  if (ms < 3600000) return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`
  return `${(ms / 3600000).toFixed(1)} h`
}

/** A whole number with thousands separators (1,234,567); '-' for none. */
export function count(value) {
  if (value == null || Number.isNaN(Number(value))) return '-'
  return Number(value).toLocaleString('en-US')
}

/**
 * A stage's counters as the task page lists them, in name order: each with its raw value and its
 * text in the counter's unit. Times since the epoch (…At, …TsMs, …WatermarkMs) as local
 * date-times, other milliseconds (…Ms) as durations, percentages with %, a limit (limit.…) per
 * second, everything else counted with thousands separators.
 */
export function counterEntries(counters) {
  return Object.keys(counters || {}).sort().map((key) => {
    const raw = counters[key]
    let text
    if (/(At|TsMs|WatermarkMs)$/.test(key)) text = raw > 0 ? dateTime(new Date(raw).toISOString()) : '-'
    else if (/Ms$/.test(key)) text = duration(raw)
    else if (/Percent$/.test(key)) text = `${raw} %`
    else if (key.startsWith('limit.')) text = raw > 0 ? `${count(raw)}/s` : '-'
    else text = count(raw)
    return { key, raw, text }
  })
}
