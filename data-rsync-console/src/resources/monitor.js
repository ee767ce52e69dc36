// The monitor's API (/api/monitor): alert rules, channels, silences, history, series, logs.

const alerts = '/api/monitor/alerts'

export function monitorResource(call) {
  return {
    rules: () => call('GET', `${alerts}/rules`),
    channels: () => call('GET', `${alerts}/channels`),
    silences: () => call('GET', `${alerts}/silences`),
    history: (size) => call('GET', `${alerts}/history?size=${size}`),
    /** Creates (no id) or changes one of rules, channels, silences. */
    save: (kind, id, body) => call(id ? 'PUT' : 'POST', id ? `${alerts}/${kind}/${id}` : `${alerts}/${kind}`, body),
    remove: (kind, id) => call('DELETE', `${alerts}/${kind}/${id}`),
    testChannel: (id) => call('POST', `${alerts}/channels/${id}/test`),
    series: (minutes) => call('GET', `/api/monitor/series?minutes=${minutes}`),
    logs: (query) => call('GET', `/api/monitor/logs?${query}`),
  }
}
