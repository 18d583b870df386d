// Progressive enhancement only: every page works without this file.
import DS from './sgds/scripts/design-system.js';

document.body.classList.add('js-enabled');

// The DS mobile menu reads aria-controls from the "Menu" label. HTML does not allow
// aria-controls on a label tied to a checkbox, so we add it only when JS takes over.
const menuToggle = document.querySelector('.js-toggle-menu');
if (menuToggle) {
  menuToggle.setAttribute('aria-controls', 'mobile-navigation');
}

DS.initAll();
