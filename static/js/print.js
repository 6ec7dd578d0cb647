// A button marked data-print opens the browser's print dialog. Here rather than
// in an onclick attribute: the Content-Security-Policy runs no inline code.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
