// The segment builder's live count: as the rules change, ask the server how many people
// match (debounced) and show it. Without JavaScript the "Count" button does the same.
const DEBOUNCE_MS = 300;

function setUp(form) {
  const url = form.dataset.countUrl;
  const count = form.querySelector("[data-segment-count]");
  const label = form.querySelector("[data-segment-count-label]");
  const error = form.querySelector("[data-segment-count-error]");
  let timer = null;
  let controller = null;

  async function refresh() {
    const query = new URLSearchParams(new FormData(form));
    query.delete("csrfmiddlewaretoken");
    query.delete("name");
    controller?.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${url}?${query}`, {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
      const data = await response.json();
      if (!response.ok) {
        error.textContent = data.error?.message ?? "These rules cannot be counted.";
        error.hidden = false;
        return;
      }
      error.hidden = true;
      count.textContent = data.count.toLocaleString("en-ZA");
      label.textContent = `${data.count === 1 ? "person matches" : "people match"} these rules now`;
    } catch (failure) {
      if (failure.name !== "AbortError") {
        error.textContent = "The count could not be updated; use the Count button.";
        error.hidden = false;
      }
    }
  }

  function schedule(event) {
    if (event.target.name === "name") return;
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  refresh();
}

document.querySelectorAll("[data-segment-builder]").forEach(setUp);
