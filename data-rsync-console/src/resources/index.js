// The API, one module per resource, over the console's transport (api.js: token, refresh, errors).
import { api } from '../api.js'
import { authResource } from './auth.js'
import { dataSourceResource } from './dataSources.js'
import { monitorResource } from './monitor.js'
import { taskResource } from './tasks.js'

export const tasks = taskResource(api)
export const dataSources = dataSourceResource(api)
export const monitor = monitorResource(api)
export const auth = authResource(api)
