/**
 * Support pages: live refresh on "support.ticket" events, the office's reply / note tabs
 * and the canned-reply picker (a plain ES module, no build step).
 *
 * - Shares the page's one socket (./live.js, opened by notifications.js). On a
 *   "support.ticket" frame for the ticket shown (or any ticket, on the lists) it
 *   re-fetches the page with `HX-Request: true`; the server answers with the live
 *   fragment only, rendered and escaped, which replaces `[data-support-region]`.
 *   Forms being typed in sit outside that region, so nothing the person writes is lost.
 * - A canned reply is inserted into the reply box to be edited, never sent as is.
 */

import { sharedLive } from "./live.js";

const root = document.querySelector("[data-support-live]");

async function refresh(region) {
  try {
    const response = await fetch(window.location.href, {
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    region.innerHTML = await response.text(); // rendered and escaped by the server
    const fragment = region.querySelector("[data-support-fragment]");
    const canReply = !fragment || fragment.dataset.canReply !== "false";
    for (const form of document.querySelectorAll("[data-support-reply]")) form.hidden = !canReply;
  } catch {
    // offline: the next event or a reload brings the page up to date
  }
}

function startLive() {
  const region = root.querySelector("[data-support-region]");
  if (!region) return;
  const ticketId = Number(root.dataset.ticketId || 0);
  const live = sharedLive({ lastEventId: Number(root.dataset.lastEventId || 0) });
  let timer = null;
  live.subscribe({
    onEvent(frame) {
      if (frame.type !== "support.ticket") return;
      const data = frame.data || {};
      if (ticketId && Number(data.ticket_id) !== ticketId) return;
      clearTimeout(timer); // several events in a burst: one fetch
      timer = setTimeout(() => refresh(region), 150);
    },
  });
}

function startTabs() {
  const tabs = Array.from(document.querySelectorAll("[data-support-tab]"));
  if (!tabs.length) return;
  const select = (chosen, focus) => {
    for (const tab of tabs) {
      const selected = tab === chosen;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
    }
    if (focus) chosen.focus();
  };
  const initial = tabs.find((tab) => tab.getAttribute("aria-selected") === "true") || tabs[0];
  select(initial, false);
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => select(tab, true));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      select(tabs[(index + step + tabs.length) % tabs.length], true);
    });
  });
}

function startCannedPicker() {
  const select = document.querySelector("[data-canned-select]");
  const insert = document.querySelector("[data-canned-insert]");
  const box = document.querySelector("#panel-reply textarea");
  if (!select || !insert || !box) return;
  insert.addEventListener("click", () => {
    const option = select.selectedOptions[0];
    if (!option) return;
    const body = option.dataset.body || "";
    box.value = box.value.trim() ? `${box.value.trimEnd()}\n\n${body}` : body;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  });
}

if (root) startLive();
startTabs();
startCannedPicker();
