/**
 * The header's menus (notifications, Help, account: each a <details>): Escape closes the open
 * one and gives focus back to its toggle (the <summary>) if focus was in the menu or nowhere
 * (the bell's list is re-rendered while open). Loaded by base.html; a key another script
 * already handled (a guided tour's dialog) is left alone.
 */

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  for (const menu of document.querySelectorAll(".site-header details[open]")) {
    const focused = menu.contains(document.activeElement) || document.activeElement === document.body;
    menu.open = false;
    if (focused) menu.querySelector("summary").focus();
  }
});
