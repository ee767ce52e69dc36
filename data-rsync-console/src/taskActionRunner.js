import { ElMessage, ElMessageBox } from 'element-plus'
import { tasks } from './resources/index.js'
import { i18n } from './i18n/index.js'
import { pathOf } from './taskActions.js'

const t = (...args) => i18n.global.t(...args)

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
      await tasks.remove(task.id)
    } else {
      await tasks.command(task.id, pathOf(a), a.action === 'resnapshot' ? { tables: [] } : undefined)
    }
    ElMessage.success(t('tasks.requested', { action: label }))
    return true
  } catch (e) {
    ElMessage.error(`${label}: ${e.message}`)
    return false
  }
}
