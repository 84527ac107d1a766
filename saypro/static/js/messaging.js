/**
 * Live messaging for the SayPro pages: a plain ES module, no build step.
 *
 * A page opts in with an element carrying `data-messaging` (see the templates in
 * saypro/messaging/templates/messaging/pages/). Its data attributes say who is
 * looking (`data-user-id`), what the page shows (`data-page` = "list" or
 * "thread") and the person's last event id when the page was rendered.
 *
 * Contracts this module keeps:
 * - One WebSocket (./live.js, shared with the header's notifications.js) at
 *   `/ws/?after=<last event id>`; the server replays every
 *   later event, then live ones, each person's in order. On a drop it reconnects
 *   with exponential backoff and jitter, resuming from the last event it handled,
 *   and shows "Reconnecting…" meanwhile.
 * - Nothing is shown twice: frames are skipped by event id, messages deduplicated
 *   by message id, and an optimistic send is matched by its `client_id`.
 * - A message is sent with a fresh `client_id` (crypto.randomUUID); a network
 *   failure retries with the same `client_id`, so the server stores it once.
 * - Message text is only ever inserted with textContent, never parsed as HTML.
 */

import { backoff, LiveEvents, sharedLive } from "./live.js";

export { backoff, LiveEvents };

const API = "/api/v1";
const MAX_SEND_ATTEMPTS = 6;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const CURRENCY_SYMBOLS = { ZAR: "R", USD: "$", EUR: "€", GBP: "£" };
const SAFE_COLOUR = /^#[0-9a-f]{3,8}$/i;

// --- Small helpers ------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));


export function newClientId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  // Pages served over plain HTTP (not localhost) have no randomUUID: build a v4 UUID.
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

/** A JSON API call with the session cookie and CSRF header. Network failures throw. */
async function api(method, path, body) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(API + path, {
    method,
    headers,
    body: payload,
    credentials: "same-origin",
  });
  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  return { ok: response.ok, status: response.status, data, headers: response.headers };
}

function errorMessage(response) {
  const error = response.data && response.data.error;
  if (!error) return `Something went wrong (${response.status}). Try again.`;
  if (response.status === 422 && Array.isArray(error.details) && error.details.length) {
    return error.details.map((detail) => detail.message).join(" ");
  }
  return error.message;
}

/** Build an element. Strings become text nodes; attributes are set, never parsed as HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** Only same-site paths from the server become links. */
function safePath(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "#";
}

function parseTime(iso) {
  if (!iso) return NaN;
  return Date.parse(String(iso).replace(/(\.\d{3})\d+/, "$1"));
}

/** "4980" seconds → "1 h 23 min", as the server's `since`/`until` filters write it. */
export function compactDuration(seconds) {
  let minutes = Math.floor(Math.max(0, seconds) / 60);
  if (minutes < 60) return `${Math.max(1, minutes)} min`;
  let hours = Math.floor(minutes / 60);
  minutes %= 60;
  if (hours < 24) return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  hours %= 24;
  return hours ? `${days} d ${hours} h` : `${days} d`;
}

function timeFormatter(timeZone) {
  const options = { day: "numeric", month: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  try {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat("en-GB", options);
  }
}

function money(amount, currency) {
  const symbol = CURRENCY_SYMBOLS[currency] ?? `${currency} `;
  const figures = Number(amount).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return `${symbol} ${figures}`.replace("  ", " ");
}


// --- The page --------------------------------------------------------------------------------

function start(root) {
  const data = root.dataset;
  const page = {
    userId: Number(data.userId),
    kind: data.page, // "list" | "thread"
    list: data.list, // "buyer" | "store" (lists)
    box: data.box || "inbox",
    liveList: data.liveList !== "false",
    storeId: Number(data.storeId || 0),
    storeName: data.storeName || "",
    rowUrl: data.conversationUrl || "",
    conversationId: Number(data.conversationId || 0),
    side: data.side || "",
    latest: data.latest !== "false",
  };
  let seenUpTo = Number(data.seenUpTo || 0);
  let unread = Number(data.unread || 0);
  const formatter = timeFormatter(data.timeZone || undefined);

  const status = root.querySelector("[data-connection-status]");
  const list = root.querySelector("[data-conversation-list]");
  const listEmpty = root.querySelector("[data-list-empty]");
  const thread = root.querySelector("[data-thread]");
  const scroller = root.querySelector("[data-thread-scroll]");
  const threadEmpty = root.querySelector("[data-thread-empty]");
  const newBelow = root.querySelector("[data-new-below]");
  const waitStatus = root.querySelector("[data-wait-status]");
  const composer = root.querySelector("[data-composer]");
  const announcer = el("p", { class: "visually-hidden", "aria-live": "polite", "data-announcer": true });
  root.append(announcer);

  function formatTime(iso) {
    const when = parseTime(iso);
    if (Number.isNaN(when)) return "";
    const parts = Object.fromEntries(formatter.formatToParts(new Date(when)).map((p) => [p.type, p.value]));
    return `${Number(parts.day)} ${MONTHS[Number(parts.month) - 1]}, ${parts.hour}:${parts.minute}`;
  }

  function announce(text) {
    announcer.textContent = "";
    setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }

  // --- Connection state and unread badges

  function showState(state) {
    root.dataset.connection = state;
    if (!status) return;
    status.classList.toggle("stopped", state === "stopped");
    if (state === "open") {
      status.hidden = true;
      status.textContent = "";
    } else if (state === "reconnecting") {
      status.textContent = "Reconnecting… New messages appear as soon as the connection is back.";
      status.hidden = false;
    } else if (state === "stopped") {
      status.textContent = "Live updates stopped: your session has ended. Reload the page to log in again.";
      status.hidden = false;
    }
  }

  function setTotalUnread(total) {
    if (typeof total !== "number") return;
    for (const badge of document.querySelectorAll("[data-unread-total]")) {
      const count = badge.querySelector("[data-count]");
      if (count) count.textContent = String(total);
      badge.hidden = total <= 0;
    }
  }

  // --- Relative times ("Waiting 3 h", "Due in 20 h", "Overdue by 1 h")

  function refreshTimes(scope = root) {
    const now = Date.now();
    for (const time of scope.querySelectorAll("time[data-relative]")) {
      const when = parseTime(time.getAttribute("datetime"));
      if (Number.isNaN(when)) continue;
      if (time.dataset.relative === "since") {
        time.textContent = compactDuration((now - when) / 1000);
      } else {
        time.textContent = compactDuration(Math.abs(when - now) / 1000);
        const badge = time.closest("[data-field=due]");
        if (badge) {
          const overdue = when <= now;
          badge.classList.toggle("overdue", overdue);
          badge.classList.toggle("due", !overdue);
          const word = badge.querySelector("[data-due-word]");
          if (word) word.textContent = overdue ? "Overdue by" : "Due in";
        }
      }
    }
  }

  /** Show or hide the waiting/due badges of a row or the thread header. */
  function applyWait(scope, conversation) {
    if (!scope) return;
    const waiting = scope.querySelector("[data-field=waiting]");
    const due = scope.querySelector("[data-field=due]");
    const noResponse = scope.querySelector("[data-field=no-response]");
    if (waiting) {
      waiting.hidden = !conversation.waiting_since;
      waiting.querySelector("time").setAttribute("datetime", conversation.waiting_since || "");
    }
    if (due) {
      due.hidden = !conversation.due_at;
      due.querySelector("time").setAttribute("datetime", conversation.due_at || "");
    }
    if (noResponse) noResponse.hidden = !conversation.due_at;
    refreshTimes(scope);
  }

  function waitBadges() {
    return [
      el(
        "span",
        { class: "badge wait", "data-field": "waiting", hidden: true },
        "Waiting ",
        el("time", { "data-relative": "since", datetime: "" }),
      ),
      el(
        "span",
        { class: "badge due", "data-field": "due", hidden: true },
        el("span", { "data-due-word": true, text: "Due in" }),
        " ",
        el("time", { "data-relative": "until", datetime: "" }),
      ),
    ];
  }

  // --- Conversation lists

  function rowFor(conversationId) {
    return list ? list.querySelector(`[data-conversation-id="${Number(conversationId)}"]`) : null;
  }

  function belongsHere(conversation) {
    if (page.list === "buyer" && conversation.buyer_id !== page.userId) return false;
    if (page.list === "store" && conversation.store_id !== page.storeId) return false;
    if (page.box === "archived") return Boolean(conversation.archived);
    if (conversation.archived) return false;
    if (page.box === "waiting") return Boolean(conversation.due_at);
    if (page.box === "product") return Boolean(conversation.product_id);
    if (page.box === "order") return Boolean(conversation.order_id);
    return true;
  }

  function previewOf(message) {
    const text = message.text || "(attachment or product card)";
    const short = text.length > 120 ? `${text.slice(0, 119)}…` : text;
    return message.sender && message.sender.id === page.userId ? `You: ${short}` : short;
  }

  function setRowUnread(row, count) {
    const badge = row.querySelector("[data-field=unread]");
    if (badge) {
      badge.querySelector("[data-count]").textContent = String(count);
      badge.hidden = count <= 0;
    }
    row.classList.toggle("has-unread", count > 0);
  }

  function applyToRow(row, conversation, message) {
    row.dataset.lastMessageAt = conversation.last_message_at || row.dataset.lastMessageAt;
    row.dataset.dueAt = conversation.due_at || "";
    if (typeof conversation.unread_count === "number") setRowUnread(row, conversation.unread_count);
    if (message) {
      row.querySelector("[data-field=preview]").textContent = previewOf(message);
    }
    const lastAt = row.querySelector("[data-field=last-at]");
    if (lastAt && conversation.last_message_at) {
      lastAt.setAttribute("datetime", conversation.last_message_at);
      lastAt.textContent = formatTime(conversation.last_message_at);
    }
    if (page.list === "store") applyWait(row, conversation);
  }

  function renderRow(conversation, message) {
    const preview = message
      ? previewOf(message)
      : conversation.last_message || "(attachment or product card)";
    const row = el(
      "li",
      {
        class: "conversation-row",
        dataset: {
          conversationId: String(conversation.id),
          lastMessageAt: conversation.last_message_at || "",
          dueAt: conversation.due_at || "",
        },
      },
      el(
        "a",
        { class: "conversation-link", href: safePath(`${page.rowUrl}${Number(conversation.id)}/`) },
        el("span", {
          class: "conversation-who",
          "data-field": "who",
          text: page.list === "store" ? conversation.buyer_name : conversation.store_name,
        }),
        el("span", { class: "conversation-subject", "data-field": "subject", text: conversation.subject }),
        el("span", { class: "conversation-preview", "data-field": "preview", text: preview }),
      ),
      el(
        "div",
        { class: "conversation-meta" },
        el("time", { "data-field": "last-at" }),
        el(
          "span",
          { class: "badge unread", "data-field": "unread", hidden: true },
          el("span", { "data-count": true, text: "0" }),
          " unread",
        ),
        ...(page.list === "store" ? waitBadges() : []),
      ),
    );
    applyToRow(row, conversation, message);
    return row;
  }

  function sortRows() {
    if (!list) return;
    const rows = [...list.children];
    const due = (row) => (row.dataset.dueAt ? parseTime(row.dataset.dueAt) : Infinity);
    const recent = (row) => parseTime(row.dataset.lastMessageAt) || 0;
    const sorted = rows.slice().sort((a, b) => {
      if (page.list === "store" && due(a) !== due(b)) return due(a) < due(b) ? -1 : 1;
      return recent(b) - recent(a) || Number(b.dataset.conversationId) - Number(a.dataset.conversationId);
    });
    sorted.forEach((row, index) => {
      if (list.children[index] !== row) list.insertBefore(row, list.children[index]);
    });
  }

  function toggleListEmpty() {
    if (listEmpty && list) listEmpty.hidden = list.children.length > 0;
  }

  const fetching = new Set();

  async function addRow(conversationId, message) {
    if (fetching.has(conversationId)) return;
    fetching.add(conversationId);
    try {
      const response = await api("GET", `/conversations/${Number(conversationId)}`);
      if (!response.ok || rowFor(conversationId) || !belongsHere(response.data)) return;
      list.append(renderRow(response.data, message));
      sortRows();
      toggleListEmpty();
    } catch {
      // Offline: the row appears with the next event or on reload.
    } finally {
      fetching.delete(conversationId);
    }
  }

  function updateList(conversation, message) {
    if (!list) return;
    const row = rowFor(conversation.id);
    if (!belongsHere(conversation)) {
      if (row) {
        row.remove();
        toggleListEmpty();
      }
      return;
    }
    if (!row) {
      if (page.liveList) addRow(conversation.id, message);
    } else {
      applyToRow(row, conversation, message);
      sortRows();
    }
    if (message && message.sender && message.sender.id !== page.userId) {
      announce(`New message from ${message.sender.name}: ${previewOf(message)}`);
    }
  }

  // --- The thread

  const isNearBottom = () =>
    !scroller || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;

  function scrollToBottom() {
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }

  function statusOf(li) {
    return li.querySelector("[data-status]");
  }

  function setStatus(li, text) {
    statusOf(li).replaceChildren(text);
  }

  function senderLabel(message) {
    if (message.sender.id === page.userId) return "You";
    return message.side === "store" && page.storeName
      ? `${message.sender.name} · ${page.storeName}`
      : message.sender.name;
  }

  function renderExtras(message) {
    const extras = [];
    if (message.attachments && message.attachments.length) {
      extras.push(
        el(
          "ul",
          { class: "message-attachments" },
          ...message.attachments.map((item) => {
            const href = safePath(item.url);
            const content =
              item.kind === "image"
                ? el("img", {
                    src: href,
                    alt: item.name,
                    loading: "lazy",
                    width: item.width || undefined,
                    height: item.height || undefined,
                  })
                : `PDF: ${item.name}`;
            return el("li", {}, el("a", { href }, content));
          }),
        ),
      );
    }
    if (message.cards && message.cards.length) {
      extras.push(
        el(
          "ul",
          { class: "message-cards" },
          ...message.cards.map((card) => {
            const thumb = el("span", {
              class: "thumb",
              "aria-hidden": "true",
              text: card.thumbnail ? card.thumbnail.letter : "",
            });
            if (card.thumbnail && SAFE_COLOUR.test(card.thumbnail.color)) {
              thumb.style.background = card.thumbnail.color;
            }
            return el(
              "li",
              {},
              el(
                "a",
                { class: "message-card", href: safePath(card.url) },
                thumb,
                el(
                  "span",
                  { class: "message-card-text" },
                  el("span", { class: "title", text: card.title }),
                  el("span", { class: "price", text: money(card.price, card.currency) }),
                ),
              ),
            );
          }),
        ),
      );
    }
    return extras;
  }

  function renderMessage(message, { pending = false } = {}) {
    const mine = message.side === page.side;
    const li = el("li", {
      class: `message ${mine ? "mine" : "theirs"}${pending ? " pending" : ""}`,
      id: message.id ? `m-${message.id}` : undefined,
      dataset: message.id ? { messageId: String(message.id) } : {},
    });
    if (message.client_id) li.dataset.clientId = message.client_id;
    const bubble = el(
      "div",
      { class: "bubble" },
      el(
        "p",
        { class: "message-meta" },
        el("span", { class: "message-sender", text: senderLabel(message) }),
        " ",
        el("time", { datetime: message.created_at, text: formatTime(message.created_at) }),
      ),
      message.text ? el("p", { class: "message-text", text: message.text }) : null,
      ...renderExtras(message),
    );
    li.append(bubble, el("p", { class: "message-status", "data-status": true }));
    return li;
  }

  /** Turn an optimistic message into the stored one, in place (no second announcement). */
  function confirm(li, message) {
    li.id = `m-${message.id}`;
    li.dataset.messageId = String(message.id);
    li.classList.remove("pending", "failed");
    const time = li.querySelector(".message-meta time");
    time.setAttribute("datetime", message.created_at);
    time.textContent = formatTime(message.created_at);
    const bubble = li.querySelector(".bubble");
    let text = bubble.querySelector(".message-text");
    if (message.text && !text) {
      text = el("p", { class: "message-text" });
      bubble.querySelector(".message-meta").after(text);
    }
    if (text && !message.text) text.remove();
    else if (text && text.textContent !== message.text) text.textContent = message.text;
    for (const extra of bubble.querySelectorAll(".message-attachments, .message-cards")) extra.remove();
    bubble.append(...renderExtras(message));
    setStatus(li, "");
  }

  function placeInOrder(li) {
    const id = Number(li.dataset.messageId || 0);
    if (!id) {
      if (li.parentNode !== thread) thread.append(li);
      return;
    }
    for (const node of thread.children) {
      if (node === li) continue;
      const other = Number(node.dataset.messageId || 0);
      if (!other || other > id) {
        // Before the first later message (or the first one still sending).
        if (li.nextElementSibling !== node) thread.insertBefore(li, node);
        return;
      }
    }
    if (thread.lastElementChild !== li) thread.append(li);
  }

  /** Show a message once: by id, else the optimistic copy with its client_id, else a new one. */
  function upsertMessage(message) {
    let li = thread.querySelector(`[data-message-id="${Number(message.id)}"]`);
    if (li) return { li, added: false };
    if (message.client_id && message.sender.id === page.userId) {
      li = [...thread.querySelectorAll("li.pending, li.failed")].find(
        (node) => node.dataset.clientId === message.client_id,
      );
      if (li) {
        confirm(li, message);
        placeInOrder(li);
        return { li, added: false };
      }
    }
    li = renderMessage(message);
    placeInOrder(li);
    if (threadEmpty) threadEmpty.hidden = true;
    return { li, added: true };
  }

  function renderSeen() {
    if (!thread) return;
    const mine = [...thread.querySelectorAll("li.mine[data-message-id]")];
    const seen = mine.filter((li) => Number(li.dataset.messageId) <= seenUpTo).pop();
    for (const li of mine) {
      const text = li === seen ? "Seen" : "";
      if (statusOf(li).textContent !== text) setStatus(li, text);
    }
  }

  function lastMessageId() {
    const ids = [...thread.querySelectorAll("li[data-message-id]")].map((li) => Number(li.dataset.messageId));
    return ids.length ? Math.max(...ids) : 0;
  }

  let readTimer = null;

  /** Mark the thread read while someone can see it (visible tab, newest messages shown). */
  function maybeMarkRead() {
    if (page.kind !== "thread" || !page.latest || unread <= 0) return;
    if (document.visibilityState !== "visible") return;
    clearTimeout(readTimer);
    readTimer = setTimeout(async () => {
      const upTo = lastMessageId();
      try {
        const response = await api("POST", `/conversations/${page.conversationId}/read`, {
          up_to: upTo || null,
        });
        if (response.ok) unread = response.data.unread_count;
      } catch {
        // Offline: tried again with the next message or when the tab is shown.
      }
    }, 200);
  }

  // --- Events

  function onMessageCreated(message) {
    const conversation = message.conversation || {};
    setTotalUnread(conversation.total_unread);
    updateList(conversation, message);
    if (page.kind !== "thread" || message.conversation_id !== page.conversationId) return;
    applyWait(waitStatus, conversation);
    unread = conversation.unread_count ?? unread;
    if (!page.latest) {
      if (newBelow) newBelow.hidden = false;
      return;
    }
    const nearBottom = isNearBottom();
    const { added } = upsertMessage(message);
    renderSeen();
    if (added && (nearBottom || message.sender.id === page.userId)) scrollToBottom();
    maybeMarkRead();
    if (page.side === "store" && message.side === "buyer") refreshSuggestions();
  }

  function onMessageRead(read) {
    setTotalUnread(read.total_unread);
    const row = rowFor(read.conversation_id);
    if (row) setRowUnread(row, read.unread_count);
    if (page.kind !== "thread" || read.conversation_id !== page.conversationId) return;
    unread = read.unread_count;
    if (read.reader && read.reader.side !== page.side) {
      seenUpTo = Math.max(seenUpTo, read.last_read_message_id);
      renderSeen();
    }
  }

  function onConversationUpdated(conversation) {
    setTotalUnread(conversation.total_unread);
    updateList(conversation, null);
    if (page.kind === "thread" && conversation.id === page.conversationId) {
      applyWait(waitStatus, conversation);
      unread = conversation.unread_count ?? unread;
    }
  }

  const handlers = {
    "message.created": onMessageCreated,
    "message.read": onMessageRead,
    "conversation.updated": onConversationUpdated,
  };

  const live = sharedLive({ lastEventId: Number(data.lastEventId || 0) });
  // A thread page tells the server it is being looked at (while visible), so the
  // person gets no notification for messages they are reading live.
  const tellViewing = () => {
    if (page.kind !== "thread" || !page.conversationId) return;
    const visible = document.visibilityState === "visible";
    live.send({ type: "viewing", conversation_id: visible ? page.conversationId : null });
  };
  live.subscribe({
    onEvent: (frame) => {
      const handle = handlers[frame.type];
      if (handle) handle(frame.data);
    },
    onState: (state) => {
      showState(state);
      if (state === "open") tellViewing();
    },
    onBeat: tellViewing,
  });

  // --- Sending

  const textarea = composer ? composer.querySelector("[data-composer-text]") : null;
  const alertBox = composer ? composer.querySelector("[data-composer-alert]") : null;
  const quickReplyInput = composer ? composer.querySelector("input[name=quick_reply_id]") : null;
  const quickReplyNote = composer ? composer.querySelector("[data-quick-reply-note]") : null;
  const chips = composer ? composer.querySelector("[data-attachment-chips]") : null;
  const uploads = new Map(); // attachment id → name, ready to send
  let uploading = 0;

  function showAlert(message, { tone = "error", actions = [] } = {}) {
    const box = el("div", { class: tone === "warning" ? "toast warning" : "form-errors" }, el("p", { text: message }));
    if (actions.length) box.append(el("div", { class: "row" }, ...actions));
    alertBox.replaceChildren(box);
  }

  function clearAlert() {
    alertBox.replaceChildren();
  }

  function checkedProducts() {
    return [...composer.querySelectorAll("input[name=product_ids]:checked")];
  }

  // "(2 of 6 selected)"; at the limit the unticked products cannot be ticked.
  function updateCardCount() {
    const count = composer.querySelector("[data-card-count]");
    const picker = composer.querySelector("[data-card-max]");
    if (!count || !picker) return;
    const max = Number(picker.dataset.cardMax);
    const ticked = checkedProducts().length;
    count.textContent = `(${ticked} of ${max} selected)`;
    for (const box of picker.querySelectorAll("input[name=product_ids]")) {
      box.disabled = !box.checked && ticked >= max;
    }
  }

  function setQuickReply(id) {
    if (!quickReplyInput) return;
    quickReplyInput.value = id ? String(id) : "";
    if (quickReplyNote) quickReplyNote.hidden = !id;
  }

  function addChip(id, name) {
    uploads.set(id, name);
    const remove = el("button", { type: "button", "aria-label": `Remove ${name}`, text: "×" });
    const chip = el("li", { dataset: { attachmentId: String(id) } }, el("span", { text: name }), remove);
    remove.addEventListener("click", async () => {
      uploads.delete(id);
      chip.remove();
      try {
        await api("DELETE", `/attachments/${id}`);
      } catch {
        // It stays among the unsent uploads; the server caps those.
      }
    });
    chips.append(chip);
  }

  async function upload(file) {
    const chip = el("li", {}, el("span", { text: `${file.name} (uploading…)` }));
    chips.append(chip);
    uploading += 1;
    const form = new FormData();
    form.append("file", file);
    try {
      const response = await api("POST", "/attachments", form);
      if (response.ok) addChip(response.data.id, response.data.name);
      else showAlert(`${file.name}: ${errorMessage(response)}`);
    } catch {
      showAlert(`${file.name} did not upload: check your connection and attach it again.`);
    } finally {
      chip.remove();
      uploading -= 1;
    }
  }

  function resetComposer() {
    textarea.value = "";
    setQuickReply(null);
    for (const box of checkedProducts()) box.checked = false;
    updateCardCount();
    uploads.clear();
    chips.replaceChildren();
  }

  /** Put a refused message back in the composer so nothing typed is lost. */
  function restoreComposer(payload, attachments) {
    textarea.value = payload.text;
    setQuickReply(payload.quick_reply_id);
    for (const box of composer.querySelectorAll("input[name=product_ids]")) {
      box.checked = payload.product_ids.includes(Number(box.value));
    }
    updateCardCount();
    chips.replaceChildren();
    uploads.clear();
    for (const [id, name] of attachments) addChip(id, name);
  }

  function markFailed(li, payload, attachments) {
    li.classList.remove("pending");
    li.classList.add("failed");
    const retry = el("button", { type: "button", text: "Retry" });
    retry.addEventListener("click", () => {
      li.classList.remove("failed");
      li.classList.add("pending");
      deliver(payload, li, attachments);
    });
    statusOf(li).replaceChildren("Not sent: no connection. ", retry);
  }

  /** POST until the server answers; a network failure retries with the same client_id. */
  async function deliver(payload, li, attachments) {
    const path = `/conversations/${page.conversationId}/messages`;
    for (let attempt = 0; ; attempt += 1) {
      if (li.dataset.messageId) return; // the socket already brought the stored message
      setStatus(li, attempt ? "Not sent yet: retrying…" : "Sending…");
      let response;
      try {
        response = await api("POST", path, payload);
      } catch {
        response = null; // the network failed: the server may or may not have it
      }
      if (response && response.ok) {
        upsertMessage(response.data);
        renderSeen();
        return;
      }
      if (response && response.status === 429) {
        const wait = Number(response.headers.get("Retry-After")) || 5;
        setStatus(li, `Too many messages at once: sending in ${wait} s…`);
        await sleep(wait * 1000);
        continue;
      }
      if (!response || response.status >= 500) {
        if (li.dataset.messageId) return;
        if (attempt + 1 >= MAX_SEND_ATTEMPTS) {
          markFailed(li, payload, attachments);
          return;
        }
        await sleep(backoff(attempt, { base: 1000, cap: 10_000 }));
        continue;
      }
      // Refused (400, 401, 403, 404, 409, 422): nothing was stored. Give the text back.
      li.remove();
      if (threadEmpty && !thread.children.length) threadEmpty.hidden = false;
      restoreComposer(payload, attachments);
      const code = response.data && response.data.error ? response.data.error.code : "";
      if (code === "contact_details") {
        const send = el("button", { type: "button", class: "button small", text: "Send anyway" });
        const edit = el("button", { type: "button", class: "button secondary small", text: "Edit message" });
        send.addEventListener("click", () => submitComposer({ acknowledgeContact: true }));
        edit.addEventListener("click", () => {
          clearAlert();
          textarea.focus();
        });
        showAlert(errorMessage(response), { tone: "warning", actions: [send, edit] });
      } else {
        showAlert(errorMessage(response));
      }
      textarea.focus();
      return;
    }
  }

  /** Show the message at once (optimistic), clear the composer, deliver it. */
  function submit(payload) {
    const attachments = [...uploads.entries()];
    const li = renderMessage(
      {
        id: 0,
        client_id: payload.client_id,
        text: payload.text.trim(),
        side: page.side,
        sender: { id: page.userId, name: "You" },
        created_at: new Date().toISOString(),
      },
      { pending: true },
    );
    thread.append(li);
    if (threadEmpty) threadEmpty.hidden = true;
    scrollToBottom();
    resetComposer();
    deliver(payload, li, attachments);
  }

  /** Send what the composer holds; `acknowledgeContact` after the contact-details warning. */
  function submitComposer({ acknowledgeContact = false } = {}) {
    clearAlert();
    if (uploading) {
      showAlert("Wait until the attachments have uploaded.");
      return;
    }
    const payload = {
      text: textarea.value,
      client_id: newClientId(),
      product_ids: checkedProducts().map((box) => Number(box.value)),
      attachment_ids: [...uploads.keys()],
      quick_reply_id: quickReplyInput && quickReplyInput.value ? Number(quickReplyInput.value) : null,
      acknowledge_contact: acknowledgeContact,
    };
    if (!payload.text.trim() && !payload.product_ids.length && !payload.attachment_ids.length) {
      showAlert("Write a message, or add a product card or an attachment.");
      textarea.focus();
      return;
    }
    submit(payload);
  }

  // --- Quick replies and product cards (store side)

  function renderSuggestion(reply) {
    const insert = el(
      "a",
      {
        class: "button secondary small",
        href: `?reply=${Number(reply.id)}#composer`,
        "data-insert-reply": String(reply.id),
      },
      "Insert",
      el("span", { class: "visually-hidden", text: ` “${reply.title}”` }),
    );
    return el(
      "li",
      { class: "quick-reply-option", dataset: { quickReplyId: String(reply.id) } },
      el("div", { class: "row between" }, el("strong", { class: "small", "data-reply-title": true, text: reply.title }), insert),
      el("p", { class: "small muted quick-reply-text", "data-reply-text": true, text: reply.text }),
    );
  }

  async function refreshSuggestions() {
    const section = root.querySelector("[data-suggested-section]");
    if (!section) return;
    try {
      const response = await api("GET", `/conversations/${page.conversationId}/suggested-replies`);
      if (!response.ok) return;
      section.querySelector("[data-suggested-list]").replaceChildren(...response.data.map(renderSuggestion));
      section.hidden = response.data.length === 0;
      const count = root.querySelector("[data-suggested-count]");
      if (count) {
        count.textContent = `${response.data.length} suggested`;
        count.hidden = response.data.length === 0;
      }
    } catch {
      // Offline: the suggestions already shown stay.
    }
  }

  function setUpComposer() {
    if (!composer || !thread) return;
    composer.addEventListener("submit", (event) => {
      event.preventDefault();
      submitComposer();
    });
    // The form's own client_id serves the page without JavaScript; here each send gets a fresh one.
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        submitComposer();
      }
    });
    textarea.addEventListener("input", () => {
      if (!textarea.value) setQuickReply(null);
    });
    const files = composer.querySelector("[data-composer-files]");
    if (files) {
      files.addEventListener("change", () => {
        for (const file of files.files) upload(file);
        files.value = "";
      });
    }
    updateCardCount();
    composer.addEventListener("change", (event) => {
      if (event.target.name === "product_ids") updateCardCount();
    });
    const filter = composer.querySelector("[data-card-filter]");
    if (filter) {
      filter.addEventListener("input", () => {
        const words = filter.value.toLowerCase().trim();
        for (const item of composer.querySelectorAll("[data-card-title]")) {
          item.hidden = Boolean(words) && !item.dataset.cardTitle.includes(words);
        }
      });
    }
    root.addEventListener("click", (event) => {
      const insert = event.target.closest("[data-insert-reply]");
      if (!insert) return;
      event.preventDefault();
      const option = insert.closest("[data-quick-reply-id]");
      textarea.value = option.querySelector("[data-reply-text]").textContent;
      setQuickReply(option.dataset.quickReplyId);
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    });
  }

  // --- Start

  setUpComposer();
  if (thread) {
    renderSeen();
    const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (target && scroller && scroller.contains(target)) target.scrollIntoView({ block: "center" });
    else if (page.latest) scrollToBottom();
    maybeMarkRead();
  }
  setInterval(() => refreshTimes(), 30_000);
  document.addEventListener("visibilitychange", () => {
    tellViewing();
    if (document.visibilityState === "visible") {
      live.reconnectNow();
      maybeMarkRead();
    }
  });
  window.addEventListener("online", () => {
    live.reconnectNow();
    for (const retry of root.querySelectorAll("li.failed [data-status] button")) retry.click();
  });
  live.connect();
  window.sayproMessaging = { live, markRead: maybeMarkRead };
}

const root = document.querySelector("[data-messaging]");
if (root) start(root);
