// The lifecycle buttons of a task. Which commands a task takes in its state is the task
// manager's rule (TaskLifecycle, docs/tasks.md "Lifecycle"): every task answer carries
// `allowedActions`, and the console offers exactly those the user's permissions allow.

/** Each button: the API path of its command, the permission the gateway asks of the route, a confirmation. */
export const TASK_ACTIONS = [
  { action: 'start', permission: 'task:operate' },
  { action: 'pause', permission: 'task:operate' },
  { action: 'resume', permission: 'task:operate' },
  { action: 'stop', permission: 'task:operate' },
  { action: 'restart', permission: 'task:operate' },
  { action: 'fullSync', path: 'full-sync', permission: 'task:operate', confirm: 'tasks.confirmFullSync' },
  { action: 'resnapshot', permission: 'task:operate', confirm: 'tasks.confirmResnapshot' },
  { action: 'delete', permission: 'task:write', confirm: 'tasks.confirmDelete', danger: true },
]

/** The API name of a button's command, as `allowedActions` lists it. */
export function pathOf(a) {
  return a.path || a.action
}

/** The buttons for a task: the commands it takes now (`allowedActions`) that the session may send. */
export function actionsFor(task, session) {
  const allowed = task?.allowedActions || []
  return TASK_ACTIONS.filter((a) => allowed.includes(pathOf(a)) && session.can(a.permission))
}
