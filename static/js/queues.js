// Queue filters (templates/applications/staff/queues/queue.html).

// Chromium gives text inputs an empty style attribute; htmx's settle step would copy it onto the
// swapped-in inputs, which the CSP (no inline styles) refuses. Settle classes and sizes only.
htmx.config.attributesToSettle = ["class", "width", "height"];

// Leave empty fields out of the URL htmx fetches and pushes, so a bookmarked view reads like the
// filters it holds.
document.addEventListener("htmx:configRequest", (event) => {
  if (!event.detail.elt.closest("#queue-filters")) return;
  const params = event.detail.parameters;
  for (const [key, value] of Array.from(params.entries())) {
    if (value === "") params.delete(key);
  }
});
