// The console's entry: settings from GET /api/console, then two views chosen by the address's #fragment:
// #/ the upload form and the job list, #/jobs/<id> one job.

import { getJson } from './api.js';
import { el } from './format.js';
import { createJobPage } from './job.js';
import { createJobList } from './jobs.js';
import { setUpUpload } from './upload.js';

const settings = await getJson('api/console').catch(() => ({ api_key_required: false }));
showMonitoringLinks(settings);

const list = createJobList();
const jobPage = createJobPage();
setUpUpload(settings, () => list.refresh());

let firstRoute = true;
window.addEventListener('hashchange', route);
route();

function route() {
  const match = /^#\/jobs\/([A-Za-z0-9_-]{1,64})$/.exec(window.location.hash);
  const listView = document.getElementById('list-view');
  const jobView = document.getElementById('job-view');
  if (match) {
    list.stop();
    listView.hidden = true;
    jobView.hidden = false;
    jobPage.open(match[1]);
    document.title = `Job ${match[1]} · E2E3D Flow`;
  } else {
    jobPage.close();
    jobView.hidden = true;
    listView.hidden = false;
    list.start();
    document.title = 'E2E3D Flow console';
  }
  // after a navigation, start reading (and tabbing) at the new view's heading
  if (!firstRoute) document.getElementById(match ? 'job-heading' : 'list-heading').focus();
  firstRoute = false;
}

function showMonitoringLinks({ grafana_url: grafana, prometheus_url: prometheus }) {
  const links = [['Grafana dashboards', grafana], ['Prometheus', prometheus]].filter(([, url]) => url);
  const list = document.getElementById('monitoring-links');
  list.closest('nav').hidden = links.length === 0;
  list.replaceChildren(...links.map(([name, url]) => el('li', {},
    el('a', { href: url, target: '_blank', rel: 'noopener' }, name, el('span', { class: 'visually-hidden' }, ' (opens in a new tab)')))));
}
