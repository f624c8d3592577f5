// The sign-off sheet's print button (the CSP allows no inline script).
document.addEventListener("click", (event) => {
  if (event.target.closest(".js-print")) window.print();
});
