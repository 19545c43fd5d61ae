// 党建助手 sandbox page: a small Telegram-like client over /sandbox/api (no build step).
"use strict";

const API = "/sandbox/api";
const state = { user: null, chat: null, replyTo: null, botId: null, shown: "", commands: [] };
const $ = (id) => document.getElementById(id);

async function call(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: body instanceof FormData ? {} : { "Content-Type": "application/json" },
    body: body instanceof FormData ? body : JSON.stringify(body),
  };
  const response = await fetch(API + path, options);
  const data = await response.json().catch(() => ({ error: "服务器没有返回 JSON" }));
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function toast(text, error) {
  const box = $("toast");
  box.textContent = text;
  box.className = error ? "error" : "";
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, error ? 5000 : 3000);
}

function alertBox(text) {
  $("alert-text").textContent = text;
  $("alert").hidden = false;
}

// -- rendering text with entities (offsets are UTF-16, as JavaScript strings) -----------

function esc(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// Only web and Telegram links become links: a javascript: URL in a message stays text.
function safeUrl(url) {
  return /^(https?:|tg:|mailto:)/i.test(url || "") ? url : "#";
}

function wrap(entity, inner, raw) {
  switch (entity.type) {
    case "bold": return `<b>${inner}</b>`;
    case "italic": return `<i>${inner}</i>`;
    case "underline": return `<u>${inner}</u>`;
    case "strikethrough": return `<s>${inner}</s>`;
    case "code": return `<code>${inner}</code>`;
    case "pre": return `<pre>${inner}</pre>`;
    case "spoiler": return `<span class="spoiler" onclick="this.classList.add('shown')">${inner}</span>`;
    case "blockquote": case "expandable_blockquote": return `<blockquote>${inner}</blockquote>`;
    case "text_link": return `<a href="${esc(safeUrl(entity.url))}" target="_blank" rel="noopener">${inner}</a>`;
    case "url": return `<a href="${esc(safeUrl(/^\w+:/.test(raw) ? raw : "http://" + raw))}" target="_blank" rel="noopener">${inner}</a>`;
    case "mention": case "text_mention": case "hashtag": return `<span class="mention">${inner}</span>`;
    case "bot_command": return `<a href="#" class="mention" data-command="${esc(raw)}">${inner}</a>`;
    default: return inner;
  }
}

function renderText(text, entities) {
  const sorted = (entities || []).slice().sort((a, b) => a.offset - b.offset || b.length - a.length);
  function render(start, end, list) {
    let html = "", at = start, k = 0;
    while (k < list.length) {
      const entity = list[k++];
      const stop = entity.offset + entity.length;
      const inner = [];
      while (k < list.length && list[k].offset < stop) inner.push(list[k++]);
      html += esc(text.slice(at, entity.offset));
      html += wrap(entity, render(entity.offset, stop, inner), text.slice(entity.offset, stop));
      at = stop;
    }
    return html + esc(text.slice(at, end));
  }
  return render(0, text.length, sorted);
}

function time(date) {
  const d = new Date(date * 1000);
  return d.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

function name(from) {
  return [from.first_name, from.last_name].filter(Boolean).join(" ");
}

function preview(message) {
  return message.text || message.caption || (message.document && message.document.file_name) || (message.poll && message.poll.question) || "";
}

function serviceText(m) {
  if (m.new_chat_members) return `${m.new_chat_members.map(name).join("、")} 加入了群组`;
  if (m.left_chat_member) return `${name(m.left_chat_member)} 离开了群组`;
  if (m.group_chat_created) return "群组已创建";
  return null;
}

function renderPoll(m) {
  const poll = m.poll;
  const voted = m.voted || [];
  const total = poll.total_voter_count || 0;
  const options = poll.options.map((option, i) =>
    `<button data-poll="${esc(poll.id)}" data-option="${i}" class="${voted.includes(i) ? "chosen" : ""}"${poll.is_closed ? " disabled" : ""}>` +
    `${esc(option.text)}<span class="count">${option.voter_count || 0}</span></button>`).join("");
  const kind = poll.type === "quiz" ? "测验" : "投票";
  return `<div class="poll"><div class="q">📊 ${kind}：${esc(poll.question)}</div>${options}<div class="meta">${total} 人已答${poll.is_closed ? " · 已结束" : ""}</div></div>`;
}

function renderKeyboard(m) {
  const markup = m.reply_markup;
  if (!markup || !markup.inline_keyboard) return "";
  const rows = markup.inline_keyboard.map((row) => `<div class="row">${row.map((button) => {
    if (button.url) return `<a href="${esc(safeUrl(button.url))}" target="_blank" rel="noopener">${esc(button.text)}</a>`;
    if (button.web_app) return `<button class="web-app" data-web-app="${esc(button.web_app.url || "")}">${esc(button.text)}</button>`;
    return `<button data-message="${m.message_id}" data-data="${esc(button.callback_data || "")}">${esc(button.text)}</button>`;
  }).join("")}</div>`).join("");
  return `<div class="ikb">${rows}</div>`;
}

function renderMessage(m, isGroup) {
  const service = serviceText(m);
  if (service) return `<div class="msg service-row" data-id="${m.message_id}"><span class="service">${esc(service)}</span></div>`;
  const mine = m.from && state.user && m.from.id === state.user;
  let body = "";
  if (isGroup && !mine) body += `<div class="sender">${esc(name(m.from))}${m.from.is_bot ? " 🤖" : ""}</div>`;
  if (m.reply_to_message) body += `<div class="quote">${esc(name(m.reply_to_message.from))}：${esc(preview(m.reply_to_message).slice(0, 80))}</div>`;
  if (m.document) {
    body += `<div class="doc">📄 <a href="${API}/file/${encodeURIComponent(m.document.file_id)}" download="${esc(m.document.file_name || "file")}">${esc(m.document.file_name || "文件")}</a> <span class="meta">${Math.ceil((m.document.file_size || 0) / 1024)} KB</span></div>`;
  }
  if (m.photo) {
    const biggest = m.photo[m.photo.length - 1];
    body += `<div class="photo"><img src="${API}/file/${encodeURIComponent(biggest.file_id)}" alt="图片"></div>`;
  }
  if (m.text) body += `<div class="text">${renderText(m.text, m.entities)}</div>`;
  if (m.caption) body += `<div class="text">${renderText(m.caption, m.caption_entities)}</div>`;
  if (m.poll) body += renderPoll(m);
  const edited = m.edit_date ? "已编辑 · " : "";
  body += `<div class="meta">${edited}${time(m.date)}<span class="reply-action" data-reply="${m.message_id}">回复</span></div>`;
  return `<div class="msg${mine ? " mine" : ""}" data-id="${m.message_id}"><div class="bubble">${body}</div>${renderKeyboard(m)}</div>`;
}

// -- loading --------------------------------------------------------------------------

async function loadState() {
  const data = await call("/state");
  $("now").textContent = new Date(data.now).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) +
    (data.offset_hours ? `（快进 ${data.offset_hours} 小时）` : "");
  $("violation-count").textContent = data.violations.length;
  $("violations").innerHTML = data.violations.map((v) => `<li>${esc(v)}</li>`).join("");
  return data;
}

async function loadChats() {
  if (!state.user) return;
  const chats = await call(`/chats?user_id=${state.user}`);
  $("chats").innerHTML = chats.map((c) =>
    `<li data-id="${c.id}" class="chat${c.id === state.chat ? " active" : ""}"><div class="title">${c.type === "private" ? "🤖 " : "👥 "}${esc(c.title)}</div><div class="last">${esc(c.last)}</div></li>`).join("");
  if (state.chat === null && chats.length) openChat(chats[0].id, chats[0].title);
}

async function loadMessages() {
  if (!state.user || state.chat === null) return;
  const data = await call(`/messages?user_id=${state.user}&chat_id=${state.chat}`);
  const text = JSON.stringify(data.messages);
  if (text === state.shown) return;
  state.shown = text;
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const isGroup = state.chat < 0;
  box.innerHTML = data.messages.map((m) => renderMessage(m, isGroup)).join("");
  if (atBottom || !state.scrolled) { box.scrollTop = box.scrollHeight; state.scrolled = true; }
  followPrompts(data.messages);
}

// The bot's newest message decides the reply keyboard and ForceReply, as in Telegram.
function followPrompts(messages) {
  const fromBot = messages.filter((m) => m.from && m.from.is_bot);
  const last = fromBot[fromBot.length - 1];
  const markup = last && (last.client_markup || last.reply_markup);
  const keyboard = $("keyboard");
  if (markup && markup.keyboard) {
    keyboard.innerHTML = markup.keyboard.flat().map((b) => `<button type="button">${esc(b.text || b)}</button>`).join("");
    keyboard.hidden = false;
  } else if (markup && markup.remove_keyboard) {
    keyboard.hidden = true;
  }
  if (markup && markup.force_reply && addressed(last, markup) && state.prompted !== `${state.chat}:${last.message_id}`) {
    state.prompted = `${state.chat}:${last.message_id}`;
    setReply(last);
    if (markup.input_field_placeholder) $("input").placeholder = markup.input_field_placeholder;
    $("input").focus();
  }
}

// selective: only the person the prompt replies to (or mentions) gets the reply box.
function addressed(message, markup) {
  if (!markup.selective || message.chat.type === "private") return true;
  if (message.reply_to_message && message.reply_to_message.from.id === state.user) return true;
  return (message.entities || []).some((e) => e.type === "text_mention" && e.user && e.user.id === state.user);
}

function setReply(message) {
  state.replyTo = message ? message.message_id : null;
  $("reply-bar").hidden = !message;
  if (message) $("reply-text").textContent = `回复 ${name(message.from)}：${preview(message).slice(0, 60)}`;
  else $("input").placeholder = "输入消息或 /命令";
}

async function openChat(id, title) {
  state.chat = id;
  state.shown = "";
  state.scrolled = false;
  state.prompted = null;
  setReply(null);
  $("keyboard").hidden = true;
  $("menu").hidden = true;
  $("chat-title").textContent = title;
  for (const li of document.querySelectorAll("#chats li")) li.classList.toggle("active", Number(li.dataset.id) === id);
  await loadMessages();
  state.commands = await call(`/commands?user_id=${state.user}&chat_id=${id}`).catch(() => []);
}

async function choosePerson(id, people) {
  state.user = Number(id);
  state.chat = null;
  const person = people.find((p) => p.id === state.user);
  $("person-title").textContent = person ? person.title : "";
  localStorage.setItem("sandbox-person", id);
  await loadChats();
}

// -- acting ---------------------------------------------------------------------------

async function send(text) {
  if (!text.trim() || state.chat === null) return;
  try {
    await call("/send", { user_id: state.user, chat_id: state.chat, text, reply_to: state.replyTo });
    $("input").value = "";
    setReply(null);
    $("menu").hidden = true;
    await refresh();
  } catch (err) {
    toast(err.message, true);
  }
}

async function press(messageId, data) {
  try {
    const answer = await call("/press", { user_id: state.user, chat_id: state.chat, message_id: messageId, data });
    if (answer.text) (answer.show_alert ? alertBox : toast)(answer.text);
    await refresh();
  } catch (err) {
    toast(err.message, true);
  }
}

// A Web App button opens the Mini App as Telegram's client does: a phone-sized window, with
// initData for the chosen person (signed by the sandbox with the bot's token) in the fragment.
// The window opens at once (a browser allows a popup only straight after the tap).
async function openMiniApp(url) {
  const view = window.open("about:blank", "mini-app", "popup,width=390,height=844");
  if (!view) return toast("浏览器拦截了弹出窗口，请允许本页打开新窗口", true);
  try {
    const found = await call(`/web_app?user_id=${state.user}&url=${encodeURIComponent(url)}`);
    view.location.replace(found.url);
  } catch (err) {
    view.close();
    toast(err.message, true);
  }
}

async function vote(pollId, option) {
  try {
    await call("/vote", { user_id: state.user, poll_id: pollId, option_ids: [option] });
    await refresh();
  } catch (err) {
    toast(err.message, true);
  }
}

async function upload(file) {
  const form = new FormData();
  form.append("user_id", state.user);
  form.append("chat_id", state.chat);
  form.append("caption", $("input").value);
  form.append("file", file, file.name);
  try {
    await call("/upload", form);
    $("input").value = "";
    await refresh();
  } catch (err) {
    toast(err.message, true);
  }
}

async function travel(what, button) {
  for (const b of document.querySelectorAll(".travel button")) b.disabled = true;
  try {
    const result = await call("/travel", { what });
    const hours = result.moved_seconds / 3600;
    toast(result.moved_seconds ? `时间前进了 ${hours >= 1 ? hours.toFixed(1) + " 小时" : Math.round(result.moved_seconds / 60) + " 分钟"}` : "没有待发送的提醒");
    await loadState();
    await refresh();
  } catch (err) {
    toast(err.message, true);
  } finally {
    for (const b of document.querySelectorAll(".travel button")) b.disabled = false;
  }
}

function showMenu(filter) {
  const menu = $("menu");
  const items = state.commands.filter((c) => !filter || c.command.startsWith(filter));
  menu.innerHTML = items.map((c) => `<li data-command="${esc(c.command)}"><b>/${esc(c.command)}</b>${esc(c.description)}</li>`).join("");
  menu.hidden = items.length === 0;
}

async function refresh() {
  await Promise.all([loadChats(), loadMessages()]).catch((err) => toast(err.message, true));
}

// -- wiring ---------------------------------------------------------------------------

async function main() {
  const data = await loadState();
  state.botId = data.bot.id;
  const select = $("person");
  select.innerHTML = data.people.map((p) => `<option value="${p.id}">${esc(p.name)}</option>`).join("");
  const saved = localStorage.getItem("sandbox-person");
  if (saved && data.people.some((p) => String(p.id) === saved)) select.value = saved;
  select.addEventListener("change", () => choosePerson(select.value, data.people));
  await choosePerson(select.value, data.people);

  $("chats").addEventListener("click", (e) => {
    const li = e.target.closest("li");
    if (li) openChat(Number(li.dataset.id), li.querySelector(".title").textContent.slice(3));
  });
  $("messages").addEventListener("click", (e) => {
    const app = e.target.closest("button[data-web-app]");
    if (app) return openMiniApp(app.dataset.webApp);
    const button = e.target.closest("button[data-message]");
    if (button) return press(Number(button.dataset.message), button.dataset.data);
    const option = e.target.closest("button[data-poll]");
    if (option) return vote(option.dataset.poll, Number(option.dataset.option));
    const reply = e.target.closest("[data-reply]");
    if (reply) {
      const id = Number(reply.dataset.reply);
      const message = JSON.parse(state.shown).find((m) => m.message_id === id);
      setReply(message);
      $("input").focus();
    }
    const command = e.target.closest("[data-command]");
    if (command) { e.preventDefault(); send(command.dataset.command); }
    return undefined;
  });
  $("composer").addEventListener("submit", (e) => { e.preventDefault(); send($("input").value); });
  $("input").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); send($("input").value); }
  });
  $("input").addEventListener("input", () => {
    const value = $("input").value;
    if (/^\/\w*$/.test(value)) showMenu(value.slice(1)); else $("menu").hidden = true;
  });
  $("menu-button").addEventListener("click", () => { if ($("menu").hidden) showMenu(""); else $("menu").hidden = true; });
  $("menu").addEventListener("click", (e) => {
    const li = e.target.closest("li");
    if (!li) return;
    $("input").value = `/${li.dataset.command} `;
    $("menu").hidden = true;
    $("input").focus();
  });
  $("keyboard").addEventListener("click", (e) => { if (e.target.tagName === "BUTTON") send(e.target.textContent); });
  $("reply-cancel").addEventListener("click", () => setReply(null));
  $("upload").addEventListener("change", (e) => { if (e.target.files[0]) upload(e.target.files[0]); e.target.value = ""; });
  $("alert-ok").addEventListener("click", () => { $("alert").hidden = true; });
  for (const b of document.querySelectorAll(".travel button")) b.addEventListener("click", () => travel(b.dataset.what, b));
  // Live updates: edits (counts on a notice), reminders after time travel, other people.
  setInterval(refresh, 1000);
  setInterval(() => loadState().catch(() => {}), 5000);
}

main().catch((err) => toast(err.message, true));
