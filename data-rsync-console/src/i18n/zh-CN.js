export default {
  app: { title: 'Data Rsync 数据同步', language: '语言' },
  login: {
    title: '登录', username: '用户名', password: '密码', submit: '登录',
    failed: '登录失败：{reason}', required: '请输入用户名和密码',
  },
  menu: {
    overview: '概览', dataSources: '数据源', tasks: '同步任务', alerts: '告警', users: '用户与角色',
    audit: '审计日志', search: '语义检索',
  },
  session: { logout: '退出登录', expired: '登录已过期，请重新登录', changePassword: '修改密码' },
  overview: { welcome: '欢迎，{name}', permissions: '您的权限' },
}
