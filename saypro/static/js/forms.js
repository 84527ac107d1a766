/**
 * A page answered with a refused form puts the keyboard on the first field that needs fixing, so
 * a screen reader reads its label and, through aria-describedby, its error; a page whose focus was
 * already placed (autofocus, a script) is left alone. Loaded by base.html.
 */

const firstInvalid = document.querySelector('main [aria-invalid="true"]');
if (firstInvalid && (document.activeElement === document.body || !document.activeElement)) {
  firstInvalid.focus({ preventScroll: false });
}
