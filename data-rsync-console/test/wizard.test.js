// The wizard's answers become the task definition the task manager validates (docs/data-path.md).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildDefinition, suggestedType, TASK_ID } from '../src/wizard.js'

function answers(overrides = {}) {
  return {
    id: 'articles_sync', mode: 'FULL_AND_INCREMENTAL', dataSourceId: 7, schema: 'shop', sourceDatabase: 'shop',
    tables: [{ name: 'articles', columns: [
      { name: 'id', captured: true }, { name: 'title', captured: true }, { name: 'body', captured: true },
      { name: 'secret', captured: false }] }],
    fields: [
      { table: 'articles', column: 'id', name: 'id', type: 'INT64', store: true },
      { table: 'articles', column: 'title', name: 'headline', type: 'VARCHAR', maxLength: 512, store: true },
      { table: 'articles', column: 'secret', name: 'secret', type: 'VARCHAR', store: true }],
    provider: 'onnx-local', model: 'all-minilm-l6-v2', template: '{title}\n{body}', vectorField: 'embedding',
    dimension: 384, metric: 'COSINE', indexType: 'HNSW', hnswM: 16, hnswEf: 200,
    collection: 'articles', primaryKeyField: 'pk', chunking: false,
    ...overrides,
  }
}

test('captured columns only; renames and excluded columns per table; the schema when it is not the database', () => {
  const d = buildDefinition(answers())
  assert.deepEqual(d.tables, [{ table: 'articles', excludeColumns: ['secret'], renames: { title: 'headline' } }])
  assert.deepEqual(d.target.scalarFields, [{ name: 'id', type: 'INT64' }, { name: 'headline', type: 'VARCHAR', maxLength: 512 }])
  assert.deepEqual(d.source, { dataSourceId: 7 })
  assert.deepEqual(buildDefinition(answers({ schema: 'public', sourceDatabase: 'shop' })).tables[0].schema, 'public')
})

test('the index parameters follow the index type, the provider options only remote providers', () => {
  const hnsw = buildDefinition(answers()).target.vectors[0]
  assert.deepEqual(hnsw.indexParams, { M: 16, efConstruction: 200 })
  assert.equal(hnsw.embedding.options, undefined)
  const ivf = buildDefinition(answers({ indexType: 'IVF_FLAT', nlist: 128 })).target.vectors[0]
  assert.deepEqual(ivf.indexParams, { nlist: 128 })
  const remote = buildDefinition(answers({ provider: 'openai', baseUrl: 'http://127.0.0.1:1/v1', apiKeyEnv: 'KEY' }))
  assert.deepEqual(remote.target.vectors[0].embedding.options, { baseUrl: 'http://127.0.0.1:1/v1', apiKeyEnv: 'KEY' })
})

test('chunking adds its settings and the row-key and chunk-text fields', () => {
  const d = buildDefinition(answers({ chunking: true, chunkBy: 'TOKENS', chunkSize: 200, chunkOverlap: 20, maxChunks: 8,
    rowKeyField: 'row_key', chunkTextField: 'chunk' }))
  assert.deepEqual(d.target.vectors[0].embedding.chunking, { by: 'TOKENS', size: 200, overlap: 20, maxChunks: 8 })
  assert.equal(d.target.rowKeyField, 'row_key')
  assert.equal(d.target.chunkTextField, 'chunk')
})

test('column types map as docs/data-path.md says; ids follow the topic-safe pattern', () => {
  assert.equal(suggestedType('bigint unsigned'), 'INT64')
  assert.equal(suggestedType('int unsigned'), 'INT64')
  assert.equal(suggestedType('int(11)'), 'INT32')
  assert.equal(suggestedType('decimal(10,2)'), 'VARCHAR')
  assert.equal(suggestedType('jsonb'), 'JSON')
  assert.equal(suggestedType('double precision'), 'DOUBLE')
  assert.ok(TASK_ID.test('articles_sync'))
  assert.ok(!TASK_ID.test('Articles'))
  assert.ok(!TASK_ID.test('a'.repeat(49)))
})
