// 党建看板: a Telegram Mini App. Every figure comes from /api/, which checks the initData
// and filters on the server; this page only draws what it is given.
"use strict";

const fragment = new URLSearchParams(location.hash.slice(1));
const state = { me: null, view: "overview", overview: null, org: null };

// Inside Telegram the page runs in a webview (a proxy object) or an iframe (web clients):
// only then is telegram-web-app.js worth loading; elsewhere (tests) nothing leaves the host.
function insideTelegram() {
  return Boolean(window.TelegramWebviewProxy) || window.parent !== window;
}

function webApp() {
  return window.Telegram && window.Telegram.WebApp;
}

function initData() {
  const app = webApp();
  return (app && app.initData) || fragment.get("tgWebAppData") || "";
}

function applyTheme(params) {
  const root = document.documentElement.style;
  for (const [key, value] of Object.entries(params || {})) {
    if (/^#[0-9a-fA-F]{3,8}$/.test(String(value))) {
      root.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
    }
  }
}

function themeFromFragment() {
  try {
    return JSON.parse(fragment.get("tgWebAppThemeParams") || "{}");
  } catch (_error) {
    return {};
  }
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

function percent(rate) {
  return rate === null || rate === undefined ? "—" : `${Math.round(rate * 100)}%`;
}

async function api(path) {
  const period = document.getElementById("period").value;
  const sep = path.includes("?") ? "&" : "?";
  const response = await fetch(`/api/${path}${sep}period=${encodeURIComponent(period)}`, {
    headers: { Authorization: `tma ${initData()}` },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || `出错了（${response.status}）`);
  return body;
}

// body[data-ready] names the view once its data is drawn (tests wait for it); the first
// time is kept in window.dashboardReadyMs (milliseconds since navigation started).
function show(...nodes) {
  document.getElementById("view").replaceChildren(...nodes);
  document.body.dataset.ready = state.view;
  if (window.dashboardReadyMs === undefined) window.dashboardReadyMs = performance.now();
}

function loading() {
  delete document.body.dataset.ready;
  document.getElementById("view").replaceChildren(el("p", { class: "note" }, "正在加载……"));
}

function failed(error) {
  show(el("p", { class: "note", id: "error" }, error.message));
}

function tabs() {
  const nav = document.getElementById("tabs");
  const items = state.me.manager ? [["overview", "概览"], ["my", "我的记录"]] : [["my", "我的记录"]];
  nav.replaceChildren(
    ...items.map(([view, label]) =>
      el("button", { class: view === state.view ? "on" : "", onclick: () => open(view) }, label),
    ),
  );
  document.getElementById("search").hidden = state.view !== "overview";
}

function orgLine(org) {
  const line = orgRow(org);
  line.style.paddingLeft = `${4 + org.depth * 14}px`; // CSSOM: allowed by the page's CSP
  return line;
}

function orgRow(org) {
  const meetings = org.required ? `${org.held}/${org.required}` : "—";
  const figures = `三会一课 ${meetings} · 出勤 ${percent(org.attendance)} · 学习 ${percent(org.study)} · ${org.members}人`;
  return el(
    "div",
    {
      class: "org", "data-org-id": org.id, "data-status": org.status,
      onclick: () => openOrg(org.id),
    },
    el("span", { class: `dot ${org.status}` }),
    el("span", { class: "name" }, org.name),
    el("span", { class: "alerts" }, org.alerts ? `${org.alerts}项逾期` : ""),
    el("span", { class: "figures" }, figures),
  );
}

function drawOverview() {
  const words = document.getElementById("search").value.trim();
  const orgs = state.overview.organisations.filter((o) => !words || o.name.includes(words));
  const red = state.overview.organisations.filter((o) => o.status === "red").length;
  show(
    el("p", { class: "note" }, `${state.overview.period.label}（${state.overview.period.span}）· 共${state.overview.organisations.length}个组织，${red}个有逾期`),
    ...(orgs.length ? orgs.map(orgLine) : [el("p", { class: "note" }, "没有找到组织")]),
  );
}

function card(title, ...lines) {
  return el("div", { class: "card" }, el("div", { class: "name" }, title),
    ...lines.filter(Boolean).map((line) => el("div", { class: "line" }, line)));
}

function memberCard(m, orgId) {
  const kinds = m.by_kind.filter((k) => k.expected).map((k) => `${k.kind} ${k.attended}/${k.expected}`).join("，");
  const node = card(`${m.name}（${m.org}）`, `${m.status} · ${m.role} · 出勤 ${percent(m.attendance)}`,
    kinds, `学习 ${m.studied}/${m.study_expected}（${percent(m.study_rate)}）`);
  if (orgId) {
    node.classList.add("member");
    node.dataset.userId = m.user_id;
    node.addEventListener("click", () => openMember(orgId, m.user_id));
  }
  return node;
}

function history(page) {
  const state = (m) => (m.state === "请假" ? `请假：${m.reason || "未说明"}` : m.state);
  const quiz = (t) => (t.quiz === null ? "" : ` · 测验 ${Math.round(t.quiz)}分`);
  return [
    memberCard(page),
    el("h2", {}, `会议（${page.meetings.length}）`),
    ...page.meetings.map((m) => card(`${m.starts} ${m.kind}`, m.agenda, state(m))),
    el("h2", {}, `学习（${page.studies.length}）`),
    ...page.studies.map((t) => card(t.title, (t.studied ? (t.makeup ? "已补学" : "已学习") : "未学习") + quiz(t))),
  ];
}

function drawOrg(page) {
  const leave = (m) => m.leave.map((l) => `${l.name}：${l.reason || "未说明"}`).join("；");
  // Floating members, as the notice lists them: 外出 with the place, 异地参加 with where.
  const away = (people, state) => people.filter((a) => !state || a.state === state)
    .map((a) => `${a.name}（${a.where ?? a.place}）`).join("、");
  const awayLines = (m) => ["外出", "异地参加"].map((s) => away(m.away, s) ? `${s}：${away(m.away, s)}` : "");
  show(
    el("button", { class: "back", onclick: () => open("overview") }, "‹ 返回概览"),
    el("h2", { id: "org-name" }, page.organisation.name),
    el("p", { class: "note" }, `${page.period.label}（${page.period.span}）`),
    el("h2", {}, `即将召开（${page.upcoming.length}）`),
    ...page.upcoming.map((m) => card(`${m.starts} ${m.kind}`, m.agenda, m.place,
      `参加 ${m.yes} · 请假 ${m.leave} · 未回复 ${m.none}` + (m.away.length ? ` · 外出 ${m.away.length}` : ""),
      m.away.length ? `外出：${away(m.away)}` : "")),
    el("h2", {}, `已召开（${page.meetings.length}）`),
    ...page.meetings.map((m) => card(`${m.starts} ${m.kind}${m.org === page.organisation.name ? "" : `（${m.org}）`}`, m.agenda,
      `应到 ${m.expected} · 实到 ${m.present} · 出勤 ${percent(m.rate)} · 记录 ${m.record || "无"}`,
      m.leave.length ? `请假：${leave(m)}` : "", ...awayLines(m))),
    el("h2", {}, `学习（${page.topics.length}）`),
    ...page.topics.map((t) => card(t.title, `已学习 ${t.studied}/${t.expected}（${percent(t.rate)}）` +
      (t.quiz_average === null ? "" : ` · 测验平均 ${Math.round(t.quiz_average)}分`))),
    el("h2", {}, `党员（${page.members.length}）`),
    ...page.members.map((m) => memberCard(m, page.organisation.id)),
    el("h2", {}, `本组织问答（${page.faq.length}条）`),
    el("p", { class: "note", id: "unanswered" }, `待答复的提问：${page.unanswered}个（在群里发送 /faq pending 处理）`),
    ...page.faq.map((e) => card(`${e.id}. ${e.question}`, e.source)),
    postsPanel(page.organisation.id),
    ...downloads(page.organisation.id),
  );
}

// 设岗定责: loaded after the page is drawn (its own request); #posts[data-ready] once shown.
function postsPanel(orgId) {
  const panel = el("div", { id: "posts" }, el("h2", {}, "设岗定责"), el("p", { class: "note" }, "正在加载……"));
  const fill = (...nodes) => {
    panel.replaceChildren(el("h2", {}, "设岗定责"), ...nodes);
    panel.dataset.ready = "1";
  };
  api(`orgs/${orgId}/posts`).then((board) => {
    const holders = (p) => p.holders.length
      ? p.holders.map((h) => `${h.name}：履职${h.reports}次`).join("；") : "还没有党员担任";
    fill(
      el("p", { class: "note" }, `${board.period} · ${board.posts.length}个岗位，履职报告${board.reports.length}次`),
      ...board.posts.map((p) => card(p.name, p.duties, holders(p))),
      ...board.reports.map((r) => card(`${r.when} ${r.name}（${r.post || "未选岗位"}）`, r.text + (r.photo ? "（附照片）" : ""))),
    );
  }).catch((error) => fill(el("p", { class: "note" }, error.message)));
  return panel;
}

// Files come from /api/ like everything else (the initData goes in the header), then are
// saved from memory; a refusal (no meetings in the period …) is said in the page.
async function download(path, note) {
  const period = document.getElementById("period").value;
  note.textContent = "正在生成……";
  try {
    const response = await fetch(`/api/${path}?period=${encodeURIComponent(period)}`, {
      headers: { Authorization: `tma ${initData()}` },
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.message || `出错了（${response.status}）`);
    }
    const name = decodeURIComponent(
      (response.headers.get("Content-Disposition") || "").split("UTF-8''")[1] || "download",
    );
    const link = el("a", { href: URL.createObjectURL(await response.blob()), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    note.textContent = `已下载：${name}`;
  } catch (error) {
    note.textContent = error.message;
  }
}

function downloads(orgId) {
  const note = el("p", { class: "note", id: "download-note" });
  return [
    el("h2", {}, "下载"),
    el("div", { class: "tools" },
      el("button", { class: "back", id: "download-ledger", onclick: () => download(`orgs/${orgId}/ledger.xlsx`, note) }, "台账（Excel）"),
      el("button", { class: "back", id: "download-calendar", onclick: () => download(`orgs/${orgId}/calendar.ics`, note) }, "会议日历（.ics）"),
      el("button", { class: "back", id: "download-charts", onclick: () => download(`orgs/${orgId}/charts.zip`, note) }, "图表")),
    note,
  ];
}

async function openMember(orgId, userId) {
  state.view = "member";
  state.member = [orgId, userId];
  tabs();
  loading();
  try {
    const page = await api(`orgs/${orgId}/members/${userId}`);
    show(el("button", { class: "back", onclick: () => openOrg(orgId) }, "‹ 返回组织"), ...history(page));
  } catch (error) {
    failed(error);
  }
}

function drawMine(page) {
  show(
    el("p", { class: "note" }, `${page.period.label}（${page.period.span}）`),
    ...(page.records.length ? page.records.flatMap(history) : [el("p", { class: "note" }, "这个期间还没有您的记录")]),
  );
}

async function open(view, early) {
  state.view = view;
  tabs();
  loading();
  try {
    if (view === "overview") {
      state.overview = (early && (await early)) || (await api("overview"));
      drawOverview();
    } else {
      drawMine(await api("my"));
    }
  } catch (error) {
    failed(error);
  }
}

async function openOrg(id) {
  state.view = "org";
  state.org = id;
  tabs();
  loading();
  try {
    drawOrg(await api(`orgs/${id}`));
  } catch (error) {
    failed(error);
  }
}

async function start() {
  applyTheme(themeFromFragment());
  const app = webApp();
  if (app) {
    applyTheme(app.themeParams);
    app.onEvent("themeChanged", () => applyTheme(app.themeParams));
    app.ready();
    app.expand();
  }
  document.getElementById("search").addEventListener("input", () => state.overview && drawOverview());
  document.getElementById("period").addEventListener("change", () =>
    state.view === "org" ? openOrg(state.org)
      : state.view === "member" ? openMember(...state.member) : open(state.view));
  // Most who open the page manage something: ask for 概览 together with who they are, not
  // after (a member's request is refused, and forgotten).
  const overview = api("overview").catch(() => null);
  try {
    state.me = await api("me");
  } catch (error) {
    return failed(error);
  }
  document.getElementById("who").textContent = state.me.user.name;
  return state.me.manager ? open("overview", overview) : open("my");
}

if (insideTelegram()) {
  const script = document.createElement("script");
  script.src = "https://telegram.org/js/telegram-web-app.js";
  script.onload = start;
  script.onerror = start; // the fragment still carries initData and the theme
  document.head.append(script);
} else {
  start();
}
