// The task manager's API (/api/tasks), one function per call; `call` is the transport (api.js).

const at = (id) => `/api/tasks/${encodeURIComponent(id)}`

export function taskResource(call) {
  return {
    list: (query) => call('GET', `/api/tasks?${query}`),
    all: () => call('GET', '/api/tasks?size=200'),
    get: (id) => call('GET', at(id)),
    status: (id) => call('GET', `${at(id)}/status`),
    validate: (body) => call('POST', '/api/tasks/validate', body),
    create: (body) => call('POST', '/api/tasks', body),
    remove: (id) => call('DELETE', at(id)),
    /** A lifecycle command by its API name (allowedActions): start, pause, full-sync, resnapshot, … */
    command: (id, path, body) => call('POST', `${at(id)}/${path}`, body),
    setLimits: (id, limits) => call('PUT', `${at(id)}/limits`, limits),
    runs: (id) => call('GET', `${at(id)}/runs?page=0&size=20`),
    runLog: (id, runId) => call('GET', `${at(id)}/runs/${runId}/log`),
    deadLetters: (id, page, size) => call('GET', `${at(id)}/dead-letters?page=${page}&size=${size}`),
    deadLetter: (id, letterId) => call('GET', `${at(id)}/dead-letters/${encodeURIComponent(letterId)}`),
    /** Replays one letter, or every letter of the task when `letterId` is null. */
    replay: (id, letterId) => call('POST', letterId == null ? `${at(id)}/dead-letters/replay`
      : `${at(id)}/dead-letters/${encodeURIComponent(letterId)}/replay`),
    discard: (id, letterId) => call('DELETE', `${at(id)}/dead-letters/${encodeURIComponent(letterId)}`),
    verifications: (id) => call('GET', `${at(id)}/verifications?page=0&size=20`),
    verify: (id) => call('POST', `${at(id)}/verifications`),
    repair: (id, verificationId) => call('POST', `${at(id)}/verifications/${verificationId}/repair`),
    search: (id, query) => call('POST', `${at(id)}/search`, query),
  }
}
