// The server's field errors, onto the form's items. A 400 DRS-4000 names each wrong field, as
// details.fields ({field: reason}) or details.violations ([{field, reason}], a task definition's).

/**
 * The reasons by form field: `names` maps the API's field paths to the form's own names (a path
 * not in it keeps its name); several reasons for one field are joined.
 */
export function fieldErrors(error, names = {}) {
  const out = {}
  const add = (field, reason) => {
    const name = names[field] ?? field
    out[name] = out[name] ? `${out[name]}; ${reason}` : reason
  }
  const details = error?.details
  if (details?.fields && typeof details.fields === 'object') {
    Object.entries(details.fields).forEach(([field, reason]) => add(field, reason))
  }
  if (Array.isArray(details?.violations)) {
    details.violations.forEach((v) => add(v.field, v.reason))
  }
  return out
}

/** The wizard's items by the definition paths the task manager names (the first vector field is the wizard's). */
export const WIZARD_FIELDS = {
  name: 'name',
  'definition.id': 'id',
  'definition.mode': 'mode',
  'definition.source.dataSourceId': 'dataSourceId',
  'definition.target.collection': 'collection',
  'definition.target.primaryKeyField': 'primaryKeyField',
  'definition.target.rowKeyField': 'rowKeyField',
  'definition.target.chunkTextField': 'chunkTextField',
  'definition.target.vectors[0].name': 'vectorField',
  'definition.target.vectors[0].dimension': 'dimension',
  'definition.target.vectors[0].metric': 'metric',
  'definition.target.vectors[0].indexType': 'indexType',
  'definition.target.vectors[0].embedding.provider': 'provider',
  'definition.target.vectors[0].embedding.model': 'model',
  'definition.target.vectors[0].embedding.template': 'template',
}
