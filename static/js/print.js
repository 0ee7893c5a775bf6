// "Print" buttons (the dossier, templates/applications/staff/dossier.html): any element with
// data-print opens the browser's print dialog. A static file, as the CSP forbids inline scripts.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (!button) return;
  event.preventDefault();
  window.print();
});
