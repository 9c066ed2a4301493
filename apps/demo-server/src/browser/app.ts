import { mountApiCall } from './api-call.js';
import { mountSmithCartPanel } from './smithcart-panel.js';
import { mountTokenTimeline } from './token-timeline.js';

const root = document.getElementById('smithcart-app');
if (root) {
  mountSmithCartPanel(root, { baseUrl: root.dataset.baseUrl ?? '', clientId: root.dataset.clientId ?? '' });
}
const timeline = document.getElementById('smartconnect-timeline');
if (timeline) mountTokenTimeline(timeline);
const call = document.getElementById('smartconnect-call');
const result = document.getElementById('smartconnect-sample-result');
if (call instanceof HTMLFormElement && result) mountApiCall(call, result);
