import { mountSmithCartPanel } from './smithcart-panel.js';

const root = document.getElementById('smithcart-app');
if (root) {
  mountSmithCartPanel(root, { baseUrl: root.dataset.baseUrl ?? '', clientId: root.dataset.clientId ?? '' });
}
