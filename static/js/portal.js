// Small progressive enhancements; every page works without them.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.submit();
});

// Refuse a too-large or wrong-type file before it is sent; the server checks again.
document.addEventListener("change", (event) => {
  const input = event.target.closest("input[type=file][data-max-bytes]");
  if (!input || !input.files.length) return;
  const file = input.files[0];
  const max = Number(input.dataset.maxBytes);
  const allowed = (input.dataset.extensions || "").split(",").filter(Boolean);
  const extension = file.name.includes(".") ? file.name.split(".").pop().toLowerCase() : "";
  let message = "";
  if (file.size > max) message = input.dataset.tooLargeMessage;
  else if (allowed.length && !allowed.includes(extension)) message = input.dataset.wrongTypeMessage;
  input.setCustomValidity(message || "");
  input.reportValidity();
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) window.print();
});
