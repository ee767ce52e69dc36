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
