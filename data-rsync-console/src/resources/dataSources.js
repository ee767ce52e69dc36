// The data-source registry's API (/api/datasources); `call` is the transport (api.js).

const at = (id) => `/api/datasources/${id}`
const schema = (id, name) => `${at(id)}/schemas/${encodeURIComponent(name)}`

export function dataSourceResource(call) {
  return {
    list: () => call('GET', '/api/datasources'),
    create: (body) => call('POST', '/api/datasources', body),
    update: (id, body) => call('PUT', at(id), body),
    remove: (id) => call('DELETE', at(id)),
    /** Tests a saved source with its stored credential. */
    test: (id) => call('POST', `${at(id)}/test`),
    /** Tests fields not saved yet. */
    testFields: (body) => call('POST', '/api/datasources/test', body),
    enable: (id, enabled) => call('POST', `${at(id)}/${enabled ? 'enable' : 'disable'}`),
    schemas: (id) => call('GET', `${at(id)}/schemas`),
    tables: (id, schemaName) => call('GET', `${schema(id, schemaName)}/tables`),
    columns: (id, schemaName, table) => call('GET', `${schema(id, schemaName)}/tables/${encodeURIComponent(table)}/columns`),
    preview: (id, schemaName, table, query) => call('GET',
      `${schema(id, schemaName)}/tables/${encodeURIComponent(table)}/preview?${query}`),
  }
}
