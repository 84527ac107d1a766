// Buttons marked data-print open the browser's print dialog (print or save as PDF).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
