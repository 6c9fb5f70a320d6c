/* Qingfeng ops dashboard: signs in with a token (kept in sessionStorage), then follows
   GET /api/v1/ops/stream: one "snapshot", then "delta" events carrying only changed sections. */
(function () {
  'use strict';
  const TOKEN_KEY = 'qingfeng.ops.token';
  const LANG_KEY = 'qingfeng.ops.lang';
  const MAX_POINTS = 300;
  let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh-CN';
  let state = null;
  let source = null;
  let chart = null;
  const $ = (id) => document.getElementById(id);

  function t(key, vars) {
    let s = (OPS_I18N[lang][key] !== undefined ? OPS_I18N[lang][key] : key);
    Object.keys(vars || {}).forEach((k) => { s = s.replace('{' + k + '}', vars[k]); });
    return s;
  }
  const num = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString(lang));
  const pct = (r) => (r === null || r === undefined ? '–' : (r * 100).toFixed(1) + '%');
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.title = t('title');
    document.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n); });
    $('lang').textContent = t('langSwitch');
    if (chart) {
      chart.data.datasets[0].label = t('submitted') + '/s';
      chart.data.datasets[1].label = t('delivered') + '/s';
      chart.data.datasets[2].label = t('failed') + '/s';
      chart.data.datasets[3].label = t('deliveryRate');
      chart.update('none');
    }
    setConn(source && source.readyState === 1 ? 'live' : 'disconnected');
    if (state) render();
  }

  function setConn(key) {
    $('conn').textContent = t(key);
    $('conn').dataset.i18n = key;
    $('conn').classList.toggle('live', key === 'live');
  }

  async function signIn(token) {
    $('signin-error').textContent = '';
    let res;
    try {
      res = await fetch('/api/v1/campaigns?limit=1', { headers: { Authorization: 'Bearer ' + token } });
    } catch (e) {
      $('signin-error').textContent = t('noServer');
      return;
    }
    if (res.status !== 200) {
      sessionStorage.removeItem(TOKEN_KEY);
      $('signin-error').textContent = t('badToken');
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('signin').hidden = true;
    $('dashboard').hidden = false;
    $('signout').hidden = false;
    connect(token);
  }

  function signOut() {
    if (source) source.close();
    source = null;
    state = null;
    sessionStorage.removeItem(TOKEN_KEY);
    $('dashboard').hidden = true;
    $('signout').hidden = true;
    $('signin').hidden = false;
    ['campaigns', 'channels', 'led', 'alerts', 'totals'].forEach((id) => { $(id).replaceChildren(); });
    if (chart) { chart.data.labels = []; chart.data.datasets.forEach((d) => { d.data = []; }); chart.update('none'); }
    setConn('disconnected');
  }

  function connect(token) {
    // EventSource cannot send headers: this one route accepts the token as ?access_token=.
    source = new EventSource('/api/v1/ops/stream?access_token=' + encodeURIComponent(token));
    source.addEventListener('open', () => setConn('live'));
    source.addEventListener('error', () => setConn('reconnecting'));
    // The server ends the stream of a revoked token: back to the sign-in form, saying why.
    source.addEventListener('revoked', () => {
      signOut();
      $('signin-error').textContent = t('badToken');
    });
    source.addEventListener('snapshot', (e) => {
      state = JSON.parse(e.data);
      resetChart(state.series || []);
      render();
    });
    source.addEventListener('delta', (e) => {
      const d = JSON.parse(e.data);
      if (!state) return;
      ['campaigns', 'totals', 'channels', 'led', 'alerts', 'seq', 'at'].forEach((k) => {
        if (d[k] !== undefined) state[k] = d[k];
      });
      if (d.point) addPoint(d.point);
      render();
    });
  }

  function makeChart() {
    const ds = (label, color, axis) => ({ label, data: [], borderColor: color, backgroundColor: color,
      borderWidth: 2, pointRadius: 0, tension: 0.2, yAxisID: axis });
    chart = new Chart($('rate-chart'), {
      type: 'line',
      data: { labels: [], datasets: [ds(t('submitted') + '/s', '#0d6efd', 'y'), ds(t('delivered') + '/s', '#198754', 'y'),
        ds(t('failed') + '/s', '#dc3545', 'y'), Object.assign(ds(t('deliveryRate'), '#6f42c1', 'rate'), { borderDash: [4, 3] })] },
      options: { animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
        scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true, position: 'left' },
          rate: { min: 0, max: 100, position: 'right', grid: { drawOnChartArea: false }, ticks: { callback: (v) => v + '%' } } },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } } }
    });
  }

  function resetChart(series) {
    chart.data.labels = [];
    chart.data.datasets.forEach((d) => { d.data = []; });
    series.forEach(addPointNoUpdate);
    chart.update('none');
  }
  function addPointNoUpdate(p) {
    chart.data.labels.push(new Date(p.t).toLocaleTimeString(lang, { hour12: false }));
    chart.data.datasets[0].data.push(p.submitted);
    chart.data.datasets[1].data.push(p.delivered);
    chart.data.datasets[2].data.push(p.failed);
    chart.data.datasets[3].data.push(p.delivery_rate === null ? null : Math.round(p.delivery_rate * 1000) / 10);
    if (chart.data.labels.length > MAX_POINTS) {
      chart.data.labels.shift();
      chart.data.datasets.forEach((d) => d.data.shift());
    }
  }
  function addPoint(p) { addPointNoUpdate(p); chart.update('none'); }

  function render() {
    renderCampaigns();
    renderTotals();
    renderChannels();
    renderLed();
    renderAlerts();
  }

  function renderCampaigns() {
    const box = $('campaigns');
    box.replaceChildren();
    if (!state.campaigns.length) { box.append(el('p', 'empty', t('noCampaigns'))); return; }
    state.campaigns.forEach((c) => {
      const row = el('div', 'campaign');
      row.dataset.campaignId = c.id;
      const head = el('div', 'head');
      head.append(el('span', 'name', c.name), el('span', 'status ' + c.status, t(c.status)));
      const bar = el('div', 'bar');
      const fill = el('div');
      fill.style.width = Math.round(c.progress * 1000) / 10 + '%';
      bar.append(fill);
      bar.title = t('progress') + ' ' + pct(c.progress);
      const funnel = el('div', 'funnel');
      ['queued', 'sending', 'submitted', 'delivered', 'failed', 'unknown'].forEach((k) => {
        const cell = el('div', 'f-' + k);
        const b = el('b', null, num(c.funnel[k]));
        b.dataset.stage = k;
        cell.append(b, document.createTextNode(t(k)));
        funnel.append(cell);
      });
      const foot = el('div', 'hint', t('deliveryRate') + ' ' + pct(c.stats.delivery_rate) + ' · ' + num(c.messages) + ' ' + t('messages'));
      row.append(head, bar, funnel, foot);
      box.append(row);
    });
  }

  function renderTotals() {
    const box = $('totals');
    box.replaceChildren();
    const tot = state.totals;
    [['submitted', num(tot.submitted)], ['delivered', num(tot.delivered)], ['failed', num(tot.failed)],
      ['unknown', num(tot.unknown)], ['deliveryRate', pct(tot.delivery_rate)]].forEach(([k, v]) => {
      const s = el('span', null, t(k) + ' ');
      const b = el('b', null, v);
      b.id = 'total-' + k;
      s.append(b);
      box.append(s);
    });
  }

  function renderChannels() {
    const body = $('channels');
    body.replaceChildren();
    if (!state.channels.length) {
      const tr = el('tr');
      const td = el('td', 'empty', t('noChannels'));
      td.colSpan = 7;
      tr.append(td);
      body.append(tr);
      return;
    }
    state.channels.forEach((c) => {
      const tr = el('tr');
      tr.append(el('td', null, c.name), el('td', 'state-' + c.state, c.state), el('td', null, c.window_in_use + ' / ' + c.window),
        el('td', null, num(c.submits_per_second)),
        el('td', null, c.current_parts_per_second ? num(c.current_parts_per_second) : t('unlimited')), el('td', null, c.throttled ? t('yes') + ' (' + c.throttled_recent + ')' : t('no')),
        el('td', null, c.latency_ms === null ? '–' : c.latency_ms + ' ms'));
      body.append(tr);
    });
  }

  function renderLed() {
    const box = $('led');
    box.replaceChildren();
    const l = state.led;
    const fleet = el('div', 'fleet');
    const on = el('div', 'online', num(l.online));
    on.id = 'led-online';
    on.append(el('small', null, t('online')));
    const off = el('div', 'offline', num(l.offline));
    off.id = 'led-offline';
    off.append(el('small', null, t('offline')));
    const pend = el('div', null, num(l.pending));
    pend.append(el('small', null, t('pending')));
    fleet.append(on, off, pend);
    box.append(fleet);
    if (l.offline_screens.length) {
      const table = el('table');
      const now = Date.now();
      l.offline_screens.forEach((s) => {
        const tr = el('tr');
        const seen = s.last_seen_at ? new Date(s.last_seen_at) : null;
        tr.append(el('td', null, s.name), el('td', null, seen ? seen.toLocaleString(lang, { hour12: false }) : t('never')),
          el('td', 'hint', seen ? t('silent', { s: duration(now - seen.getTime()) }) : ''));
        table.append(tr);
      });
      box.append(table);
    }
  }

  function duration(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 120) return s + 's';
    if (s < 7200) return Math.round(s / 60) + 'min';
    return Math.round(s / 3600) + 'h';
  }

  function renderAlerts() {
    const list = $('alerts');
    list.replaceChildren();
    if (!state.alerts.length) { list.append(el('li', 'empty', t('noAlerts'))); list.firstChild.style.background = 'none'; return; }
    state.alerts.forEach((a) => {
      const subject = a.subject === 'all' ? t('all') : a.subject.startsWith('campaign:') ? t('campaign') + ' ' + a.subject.slice(9) : a.subject;
      list.append(el('li', a.severity, t('alert_' + a.kind, { subject, since: a.since ? new Date(a.since).toLocaleTimeString(lang, { hour12: false }) : '',
        rate: pct(a.delivery_rate), threshold: pct(a.threshold), screens: a.screens })));
    });
  }

  $('lang').addEventListener('click', () => {
    lang = lang === 'en' ? 'zh-CN' : 'en';
    localStorage.setItem(LANG_KEY, lang === 'en' ? 'en' : 'zh-CN');
    applyLanguage();
  });
  $('signin-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('token').value.trim()); });
  $('signout').addEventListener('click', signOut);
  makeChart();
  applyLanguage();
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) signIn(saved);
}());
