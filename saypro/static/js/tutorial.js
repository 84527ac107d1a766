// Guided tours (no libraries). The page's Help menu partial carries the steps
// (#tour-steps) and [data-tour] with the tour's code, progress URL and whether it
// starts by itself (the person's first visit). Each step highlights its target
// and shows a dialog: Back, Next (Finish on the last), Skip; Escape skips; focus
// stays in the dialog while it is open and returns where it was afterwards.
// Progress is posted as it happens: start or replay, each step, complete or skip.

const config = document.querySelector("[data-tour]");
const steps = JSON.parse(document.getElementById("tour-steps").textContent);

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function record(action, step) {
  const body = new URLSearchParams({ action, step: String(step) });
  return fetch(config.dataset.progressUrl, {
    method: "POST",
    body,
    credentials: "same-origin",
    keepalive: true,
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
  }).catch(() => null);
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

let dialog = null;
let highlighted = null;
let returnFocus = null;
let index = 0;

function unhighlight() {
  if (highlighted) highlighted.classList.remove("tour-highlight");
  highlighted = null;
}

function close(action) {
  record(action, index + 1);
  unhighlight();
  dialog.remove();
  dialog = null;
  document.removeEventListener("keydown", onKey, true);
  (returnFocus && returnFocus.isConnected ? returnFocus : document.getElementById("content")).focus();
}

function focusable() {
  return [...dialog.querySelectorAll("a[href], button:not([disabled])")];
}

function onKey(event) {
  if (!dialog) return;
  if (event.key === "Escape") {
    event.preventDefault();
    close("skip");
  } else if (event.key === "Tab") {
    const items = focusable();
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && (document.activeElement === first || document.activeElement === dialog)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }
}

function show(next) {
  index = next;
  const step = steps[index];
  const last = index === steps.length - 1;
  unhighlight();
  const target = document.querySelector(step.target);
  if (target) {
    target.classList.add("tour-highlight");
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    highlighted = target;
  }
  dialog.replaceChildren();
  dialog.append(
    element("p", { class: "tour-progress" }, `${index + 1} of ${steps.length}`),
    element("h2", { id: "tour-title" }, step.title),
    element("p", { id: "tour-text" }, step.text),
  );
  if (step.link) {
    const more = element("p");
    more.append(element("a", { href: step.link }, step.link_label));
    dialog.append(more);
  }
  const actions = element("div", { class: "row tour-actions" });
  const back = element("button", { type: "button", class: "button secondary small" }, "Back");
  back.disabled = index === 0;
  back.addEventListener("click", () => show(index - 1));
  const forward = element("button", { type: "button", class: "button small" }, last ? "Finish" : "Next");
  forward.addEventListener("click", () => {
    if (last) {
      close("complete");
    } else {
      record("step", index + 2);
      show(index + 1);
    }
  });
  const skip = element("button", { type: "button", class: "tour-skip" }, "Skip the tour");
  skip.addEventListener("click", () => close("skip"));
  actions.append(back, forward, skip);
  dialog.append(actions);
  dialog.focus();
}

function start(action, focusAfter = document.activeElement) {
  if (dialog) return;
  returnFocus = focusAfter;
  dialog = element("div", {
    class: "card tour-dialog",
    role: "dialog",
    "aria-modal": "true",
    "aria-labelledby": "tour-title",
    "aria-describedby": "tour-text",
    tabindex: "-1",
  });
  document.body.append(dialog);
  document.addEventListener("keydown", onKey, true);
  record(action, 1);
  show(0);
}

const url = new URL(window.location.href);
const replaying = url.searchParams.get("tour") === "replay";
if (replaying) {
  url.searchParams.delete("tour");
  window.history.replaceState(null, "", url.pathname + url.search + url.hash);
}
if (config.dataset.autostart === "true") {
  start("start");
} else if (replaying) {
  start("replay");
}

const replayLink = document.querySelector("[data-tour-replay]");
if (replayLink) {
  replayLink.addEventListener("click", (event) => {
    event.preventDefault();
    const menu = replayLink.closest("details");
    menu.open = false;
    start("replay", menu.querySelector("summary"));
  });
}
