/* The page's words: zh-CN by default, English on request (remembered in localStorage). */
window.OPS_I18N = {
  'zh-CN': {
    title: '清风 · 运维监控', disconnected: '未连接', live: '实时', reconnecting: '重连中…', signOut: '退出',
    tokenLabel: '访问令牌', signIn: '登录', tokenHint: '任何角色的令牌（含只读 viewer）均可查看。令牌只保存在本标签页。',
    badToken: '令牌无效或已撤销', noServer: '无法连接服务器', campaigns: '群发任务', noCampaigns: '没有进行中或排期的任务',
    rates: '每秒提交 / 送达 / 失败与送达率', channels: '短信通道', channel: '通道', state: '状态', window: '窗口',
    rate: '提交/秒', allowed: '限速', unlimited: '不限', throttled: '限流', latency: '响应延迟', led: 'LED 屏幕', alerts: '告警', noAlerts: '无告警',
    queued: '排队', sending: '在途', submitted: '已提交', delivered: '已送达', failed: '失败', unknown: '未知', deliveryRate: '送达率',
    online: '在线', offline: '离线', pending: '待审批', lastSeen: '最后在线', never: '从未', yes: '是', no: '否',
    running: '发送中', paused: '已暂停', scheduled: '已排期', completed: '已完成', cancelled: '已取消', expired: '已过期',
    messages: '条', perSecond: '每秒', progress: '进度', noChannels: '本实例没有短信通道',
    alert_channel_unbound: '通道 {subject} 未绑定已超过一分钟（自 {since}）',
    alert_delivery_rate_low: '{subject} 送达率 {rate} 低于阈值 {threshold}',
    alert_screens_offline: '{screens} 块 LED 屏幕离线', all: '全部', campaign: '任务',
    silent: '已 {s} 无响应', langSwitch: 'English'
  },
  en: {
    title: 'Qingfeng · Ops', disconnected: 'offline', live: 'live', reconnecting: 'reconnecting…', signOut: 'Sign out',
    tokenLabel: 'Access token', signIn: 'Sign in', tokenHint: 'A token of any role (a read-only viewer too) can watch. It is kept in this tab only.',
    badToken: 'The token is unknown or revoked', noServer: 'Cannot reach the server', campaigns: 'Campaigns',
    noCampaigns: 'No running or scheduled campaigns', rates: 'Submitted / delivered / failed per second, and delivery rate',
    channels: 'SMS channels', channel: 'Channel', state: 'State', window: 'Window', rate: 'Submits/s', allowed: 'Allowed rate', unlimited: 'unlimited', throttled: 'Throttled',
    latency: 'Latency', led: 'LED screens', alerts: 'Alerts', noAlerts: 'No alerts', queued: 'Queued', sending: 'In flight',
    submitted: 'Submitted', delivered: 'Delivered', failed: 'Failed', unknown: 'Unknown', deliveryRate: 'Delivery rate',
    online: 'Online', offline: 'Offline', pending: 'Pending', lastSeen: 'Last seen', never: 'never', yes: 'yes', no: 'no',
    running: 'running', paused: 'paused', scheduled: 'scheduled', completed: 'completed', cancelled: 'cancelled',
    expired: 'expired', messages: 'messages', perSecond: 'per second', progress: 'Progress',
    noChannels: 'This instance runs no SMS channels',
    alert_channel_unbound: 'Channel {subject} not bound for over a minute (since {since})',
    alert_delivery_rate_low: 'Delivery rate of {subject} is {rate}, under {threshold}',
    alert_screens_offline: '{screens} LED screens offline', all: 'all campaigns', campaign: 'campaign',
    silent: 'silent for {s}', langSwitch: '中文'
  }
};
