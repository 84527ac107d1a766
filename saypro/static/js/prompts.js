// In-app prompts: count a click on the call to action before following it, and
// dismiss without leaving the page. Without JavaScript the link still works and
// the dismiss form posts and comes back to the page.

const CLICK_WAIT_MS = 1500; // never hold the person back longer than this

function csrfToken(root) {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = root.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function post(url, fields, root) {
  const body = new URLSearchParams(fields);
  return fetch(url, {
    method: "POST",
    body,
    credentials: "same-origin",
    keepalive: true,
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken(root) },
  });
}

function pageIds(element) {
  const fields = {};
  if (element.dataset.storeId) fields.store_id = element.dataset.storeId;
  if (element.dataset.productId) fields.product_id = element.dataset.productId;
  return fields;
}

function onClick(event) {
  const link = event.target.closest("[data-prompt-click]");
  if (!link) return;
  const sending = post(link.dataset.promptClick, pageIds(link), link.closest("[data-prompt]"));
  const plain = event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
  if (!plain) return; // a new tab: the keepalive request finishes on its own
  event.preventDefault();
  const timeout = new Promise((resolve) => setTimeout(resolve, CLICK_WAIT_MS));
  Promise.race([sending.catch(() => null), timeout]).then(() => {
    window.location.assign(link.href);
  });
}

function onDismiss(event) {
  const form = event.target.closest("[data-prompt-dismiss]");
  if (!form) return;
  event.preventDefault();
  const card = form.closest("[data-prompt]");
  const fields = Object.fromEntries(new FormData(form));
  post(form.action, fields, form)
    .then((response) => {
      if (!response.ok) throw new Error(`dismiss answered ${response.status}`);
      const list = card.parentElement;
      const next = card.nextElementSibling || card.previousElementSibling;
      card.remove();
      if (next) {
        next.querySelector("a, button").focus();
      } else {
        list.remove();
        document.getElementById("content").focus();
      }
    })
    .catch(() => form.submit());
}

// A module runs once per page, however many placements include it.
document.addEventListener("click", onClick);
document.addEventListener("submit", onDismiss);
