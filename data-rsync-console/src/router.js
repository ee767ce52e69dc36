import { createRouter, createWebHashHistory } from 'vue-router'
import { useSession } from './session.js'
import LoginView from './views/LoginView.vue'
import ConsoleLayout from './views/ConsoleLayout.vue'
import OverviewView from './views/OverviewView.vue'
import DataSourcesView from './views/DataSourcesView.vue'
import TasksView from './views/TasksView.vue'
import TaskDetailView from './views/TaskDetailView.vue'
import TaskWizardView from './views/TaskWizardView.vue'
import SearchView from './views/SearchView.vue'
import AlertsView from './views/AlertsView.vue'
import UsersView from './views/UsersView.vue'
import AuditView from './views/AuditView.vue'

// Hash history: every console URL is served by the one index.html, whatever the gateway routes.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    {
      path: '/',
      component: ConsoleLayout,
      children: [
        { path: '', name: 'overview', component: OverviewView },
        { path: 'dataSources', name: 'dataSources', component: DataSourcesView, meta: { permission: 'datasource:read' } },
        { path: 'tasks', name: 'tasks', component: TasksView, meta: { permission: 'task:read' } },
        { path: 'tasks/new', name: 'newTask', component: TaskWizardView, meta: { permission: 'task:write' } },
        { path: 'tasks/:id', name: 'task', component: TaskDetailView, meta: { permission: 'task:read' } },
        { path: 'search', name: 'search', component: SearchView, meta: { permission: 'task:read' } },
        { path: 'alerts', name: 'alerts', component: AlertsView, meta: { permission: 'monitor:read' } },
        { path: 'users', name: 'users', component: UsersView, meta: { permission: 'user:read' } },
        { path: 'audit', name: 'audit', component: AuditView, meta: { permission: 'audit:read' } },
      ],
    },
  ],
})

router.beforeEach((to) => {
  if (!to.meta.public && !useSession().loggedIn) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
  }
  // A page the user may not see (a typed or old link) falls back to the overview.
  if (to.meta.permission && !useSession().can(to.meta.permission)) return { name: 'overview' }
  return true
})
