// Progressive enhancement only: every page works without this file.
import DS from './sgds/scripts/design-system.js';

document.body.classList.add('js-enabled');
DS.initAll();
