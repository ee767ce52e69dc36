import { ElMessage, ElMessageBox } from 'element-plus'
import { api } from './api.js'
import { i18n } from './i18n/index.js'

const t = (...args) => i18n.global.t(...args)

/**
 * The lifecycle buttons of a task and when each makes sense; the task manager refuses the
 * others (409) anyway. `permission` is the code the gateway asks of the route.
 */
export const TASK_ACTIONS = [
  { action: 'start', permission: 'task:operate', when: ['CREATED', 'STOPPED', 'COMPLETED'] },
  { action: 'pause', permission: 'task:operate', when: ['RUNNING', 'RETRYING'] },
  { action: 'resume', permission: 'task:operate', when: ['PAUSED'] },
  { action: 'stop', permission: 'task:operate', when: ['WAITING', 'QUEUED', 'STARTING', 'RUNNING', 'RETRYING', 'PAUSED'] },
  { action: 'restart', permission: 'task:operate', when: ['RUNNING', 'RETRYING', 'FAILED'] },
  { action: 'fullSync', path: 'full-sync', permission: 'task:operate', when: ['RUNNING'], confirm: 'tasks.confirmFullSync' },
  // Re-reads every table beside the stream: only a task whose snapshot is incremental can.
  { action: 'resnapshot', permission: 'task:operate', when: ['RUNNING'], confirm: 'tasks.confirmResnapshot',
    only: (task) => task.definition?.source?.snapshot?.method === 'INCREMENTAL' },
  { action: 'delete', permission: 'task:write', when: null, confirm: 'tasks.confirmDelete', danger: true },
]

export function actionsFor(task, session) {
  return TASK_ACTIONS.filter((a) => session.can(a.permission) && (!a.when || a.when.includes(task.state))
    && (!a.only || a.only(task)))
}

/** Runs one action on a task after any confirmation it needs; true when it was sent and accepted. */
export async function runTaskAction(task, a) {
  if (a.confirm) {
    try {
      await ElMessageBox.confirm(t(a.confirm, { id: task.id }), t('common.confirm'), { type: 'warning' })
    } catch {
      return false
    }
  }
  const label = a.action === 'delete' ? t('common.delete') : t('tasks.' + a.action)
  try {
    if (a.action === 'delete') {
      await api('DELETE', `/api/tasks/${encodeURIComponent(task.id)}`)
    } else {
      await api('POST', `/api/tasks/${encodeURIComponent(task.id)}/${a.path || a.action}`,
        a.action === 'resnapshot' ? { tables: [] } : undefined)
    }
    ElMessage.success(t('tasks.requested', { action: label }))
    return true
  } catch (e) {
    ElMessage.error(`${label}: ${e.message}`)
    return false
  }
}
