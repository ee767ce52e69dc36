import { createRouter, createWebHashHistory } from 'vue-router'
import { useSession } from './session.js'
import LoginView from './views/LoginView.vue'
import ConsoleLayout from './views/ConsoleLayout.vue'
import OverviewView from './views/OverviewView.vue'

// Hash history: every console URL is served by the one index.html, whatever the gateway routes.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    {
      path: '/',
      component: ConsoleLayout,
      children: [{ path: '', name: 'overview', component: OverviewView }],
    },
  ],
})

router.beforeEach((to) => {
  if (!to.meta.public && !useSession().loggedIn) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
  }
  return true
})
