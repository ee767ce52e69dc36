// What the task wizard knows of the definition (docs/data-path.md) and turns its answers into.

/** The local models and the dimension each makes; remote ones are typed by name. */
export const LOCAL_MODELS = [
  { model: 'all-minilm-l6-v2', dimension: 384, language: 'en' },
  { model: 'all-minilm-l6-v2-q', dimension: 384, language: 'en' },
  { model: 'bge-small-zh-v1.5', dimension: 512, language: 'zh' },
  { model: 'bge-small-zh-v1.5-q', dimension: 512, language: 'zh' },
]
export const PROVIDERS = ['onnx-local', 'openai', 'zhipu', 'numeric']
export const FIELD_TYPES = ['VARCHAR', 'BOOL', 'INT8', 'INT16', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'JSON']
export const INDEX_TYPES = ['AUTOINDEX', 'FLAT', 'IVF_FLAT', 'HNSW']
export const METRICS = ['COSINE', 'IP', 'L2']

/**
 * The Milvus field type the data path suggests for a source column type (the tables of
 * docs/data-path.md, "Types"): decimals and every date or time become exact text.
 */
export function suggestedType(sqlType) {
  const t = (sqlType || '').toLowerCase()
  if (/^(bool|boolean|bit)$/.test(t)) return 'BOOL'
  if (/^tinyint/.test(t)) return 'INT8'
  if (/^(smallint|int2|smallserial)/.test(t)) return 'INT16'
  if (/unsigned/.test(t) && /^(int|integer|mediumint)/.test(t)) return 'INT64'
  if (/^(mediumint|int|integer|int4|serial)\b/.test(t) && !/bigint/.test(t)) return 'INT32'
  if (/^(bigint|int8|bigserial)/.test(t)) return 'INT64'
  if (/^(float|real|float4)$/.test(t)) return 'FLOAT'
  if (/^(double|float8|double precision)/.test(t)) return 'DOUBLE'
  if (/^(json|jsonb)$/.test(t)) return 'JSON'
  return 'VARCHAR'
}

/** Whether a column is text worth embedding (the template's first guess). */
export function isText(sqlType) {
  return /char|text|clob|string/i.test(sqlType || '')
}

/** Task ids name topics, keys and slots: [a-z][a-z0-9_]*, at most 48 characters. */
export const TASK_ID = /^[a-z][a-z0-9_]{0,47}$/

/**
 * The definition the wizard's answers make. `tables` are the picked tables, each with its
 * columns and which are captured; `fields` the scalar fields, each from a column.
 */
/** Whether the field's column is captured: a column left out has no field, whatever the fields step said. */
export function isCaptured(w, f) {
  return !!w.tables.find((t) => t.name === f.table)?.columns.find((c) => c.name === f.column)?.captured
}

export function buildDefinition(w) {
  const kept = w.fields.filter((f) => isCaptured(w, f))
  const tables = w.tables.map((t) => {
    const out = { table: t.name }
    if (w.schema && w.schema !== w.sourceDatabase) out.schema = w.schema
    const excluded = t.columns.filter((c) => !c.captured).map((c) => c.name)
    if (excluded.length) out.excludeColumns = excluded
    const renames = {}
    kept.filter((f) => f.table === t.name && f.name !== f.column).forEach((f) => { renames[f.column] = f.name })
    if (Object.keys(renames).length) out.renames = renames
    return out
  })
  const seen = new Set()
  const scalarFields = []
  for (const f of kept) {
    if (!f.store || seen.has(f.name)) continue
    seen.add(f.name)
    const field = { name: f.name, type: f.type }
    if (f.type === 'VARCHAR' && f.maxLength) field.maxLength = f.maxLength
    scalarFields.push(field)
  }
  const embedding = { provider: w.provider, model: w.model, template: w.template }
  const options = {}
  if (w.provider === 'openai' || w.provider === 'zhipu') {
    if (w.baseUrl) options.baseUrl = w.baseUrl
    if (w.apiKeyEnv) options.apiKeyEnv = w.apiKeyEnv
  }
  if (Object.keys(options).length) embedding.options = options
  if (w.chunking) {
    embedding.chunking = { by: w.chunkBy, size: w.chunkSize, overlap: w.chunkOverlap, maxChunks: w.maxChunks }
  }
  const vector = { name: w.vectorField, dimension: w.dimension, metric: w.metric, indexType: w.indexType, embedding }
  if (w.indexType === 'HNSW') vector.indexParams = { M: w.hnswM, efConstruction: w.hnswEf }
  if (w.indexType === 'IVF_FLAT') vector.indexParams = { nlist: w.nlist }
  const target = { collection: w.collection, primaryKeyField: w.primaryKeyField, scalarFields, vectors: [vector] }
  if (w.chunking) {
    target.rowKeyField = w.rowKeyField
    target.chunkTextField = w.chunkTextField
  }
  return { id: w.id, mode: w.mode, source: { dataSourceId: w.dataSourceId }, tables, target }
}
