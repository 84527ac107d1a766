/**
 * The header bell, its menu and live toasts, on every page of a signed-in person
 * (loaded by base.html; a plain ES module, no build step).
 *
 * - Shares the page's one socket (./live.js) with messaging.js. It connects once all
 *   module scripts ran (DOMContentLoaded), so every module has subscribed first.
 * - `notification.created|updated|read` frames carry `unread_total`: the bell shows it, and
 *   the centre's "Mark all read" shows only while something is unread.
 * - A created or updated notification on the "toast" channel pops up a dismissible
 *   toast in an aria-live region; it hides itself after a while unless hovered or focused.
 * - The menu (latest 8) is fetched as server-rendered, escaped HTML when it opens.
 * - Text from the server is only ever inserted with textContent.
 */

import { sharedLive } from "./live.js";

const TOAST_MS = 10_000;
const MAX_TOASTS = 3;

function safePath(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "/notifications/";
}

function setUnread(total) {
  for (const badge of document.querySelectorAll("[data-notification-total]")) {
    badge.querySelector("[data-count]").textContent = String(total);
    badge.hidden = !total;
  }
  for (const markAll of document.querySelectorAll("[data-mark-all-read]")) markAll.hidden = !total;
}

function showToast(container, notification) {
  const toast = document.createElement("div");
  toast.className = "toast live-toast";
  toast.dataset.toastFor = String(notification.id);
  const link = document.createElement("a");
  link.href = `/notifications/${Number(notification.id)}/open`;
  const label = document.createElement("span");
  label.className = "small muted";
  label.textContent = notification.type_label;
  const text = document.createElement("span");
  text.textContent = notification.count > 1 ? `${notification.text} (${notification.count})` : notification.text;
  link.append(label, text);
  const close = document.createElement("button");
  close.type = "button";
  close.className = "toast-close";
  close.setAttribute("aria-label", "Dismiss notification");
  close.textContent = "×";
  close.addEventListener("click", () => toast.remove());
  toast.append(link, close);
  const previous = container.querySelector(`[data-toast-for="${Number(notification.id)}"]`);
  if (previous) previous.remove();
  container.prepend(toast);
  while (container.children.length > MAX_TOASTS) container.lastElementChild.remove();
  const hide = () => {
    if (toast.matches(":hover, :focus-within")) {
      setTimeout(hide, TOAST_MS / 2);
      return;
    }
    toast.remove();
  };
  setTimeout(hide, TOAST_MS);
}

function start(anchor) {
  const live = sharedLive({ lastEventId: Number(anchor.dataset.lastEventId || 0) });
  const toasts = document.querySelector("[data-toasts]");
  const menu = document.querySelector("[data-notification-menu]");
  const menuBody = menu ? menu.querySelector("[data-notification-menu-body]") : null;
  let menuStale = true;

  async function loadMenu() {
    try {
      const response = await fetch(menu.dataset.menuUrl, {
        headers: { "HX-Request": "true" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      menuBody.innerHTML = await response.text(); // rendered and escaped by the server
      menuStale = false;
    } catch {
      // offline: the menu keeps its link to the full page
    }
  }

  if (menu && menuBody) {
    menu.addEventListener("toggle", () => {
      if (menu.open && menuStale) loadMenu();
    });
  }

  live.subscribe({
    onState(state) {
      anchor.dataset.connection = state; // "open" | "reconnecting" | "stopped"
    },
    onEvent(frame) {
      if (!frame.type.startsWith("notification.")) return;
      const data = frame.data || {};
      if (typeof data.unread_total === "number") setUnread(data.unread_total);
      menuStale = true;
      if (menu && menu.open) loadMenu();
      const notification = data.notification;
      if (frame.type !== "notification.read" && notification && notification.toast && toasts) {
        showToast(toasts, { ...notification, link: safePath(notification.link) });
      }
    },
  });
  const connect = () => live.connect();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", connect);
  else connect();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") live.reconnectNow();
  });
  window.addEventListener("online", () => live.reconnectNow());
  window.sayproNotifications = { live };
}

const anchor = document.querySelector("[data-live-events]");
if (anchor) start(anchor);
