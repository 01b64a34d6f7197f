// The job list (#/): polls GET /api/jobs, filtered by status, and updates the rows in place so keyboard focus
// stays where it is; status changes are announced.

import { getJson } from './api.js';
import { announce, el, stageLabel, statusBadge, time } from './format.js';
import { poll } from './poll.js';

const REFRESH_MS = 2000;

export function createJobList() {
  const body = document.getElementById('jobs-body');
  const summary = document.getElementById('jobs-summary');
  const filter = document.getElementById('status-filter');
  const rows = new Map(); // job id -> <tr>
  const lastStatus = new Map(); // job id -> status seen at the previous refresh
  let stop = null;

  async function refresh() {
    const status = filter.value;
    const page = await getJson(`api/jobs?limit=50${status ? `&status=${status}` : ''}`);
    if (status !== filter.value) return; // the filter changed while this answer was on its way
    const seen = new Set();
    page.jobs.forEach((job, i) => {
      seen.add(job.id);
      let row = rows.get(job.id);
      if (!row) {
        row = newRow(job.id);
        rows.set(job.id, row);
      }
      fill(row, job);
      if (body.children[i] !== row) body.insertBefore(row, body.children[i] || null);
      const before = lastStatus.get(job.id);
      if (before && before !== job.status) announce(`Job ${job.id} is now ${job.status}`);
      lastStatus.set(job.id, job.status);
    });
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.remove();
        rows.delete(id);
      }
    }
    const what = status ? `${status} ` : '';
    summary.textContent = page.total === 0
      ? `No ${what}jobs yet.`
      : `${page.total} ${what}job(s)${page.total > page.jobs.length ? `, the newest ${page.jobs.length} shown` : ''}.`;
  }

  filter.addEventListener('change', () => {
    lastStatus.clear();
    refresh();
  });

  return {
    start() {
      if (!stop) stop = poll(refresh, REFRESH_MS);
    },
    stop() {
      if (stop) stop();
      stop = null;
    },
    refresh,
  };
}

function newRow(id) {
  const row = el('tr', { 'data-job-id': id });
  const link = el('a', { href: `#/jobs/${id}` }, id);
  row.append(el('th', { scope: 'row' }, link));
  for (const name of ['status', 'stage', 'progress', 'images', 'created', 'problem']) {
    row.append(el('td', { 'data-field': name }));
  }
  return row;
}

function fill(row, job) {
  const cell = (name) => row.querySelector(`[data-field="${name}"]`);
  const status = cell('status');
  if (status.dataset.value !== job.status) {
    status.dataset.value = job.status;
    status.replaceChildren(statusBadge(job.status));
  }
  // the stage a job is in, or where it stopped; a queued or completed job has none worth showing
  cell('stage').textContent = job.status === 'queued' || job.status === 'completed' ? '' : stageLabel(job.stage);
  const progress = cell('progress');
  let bar = progress.querySelector('progress');
  if (!bar) {
    bar = el('progress', { max: '100', 'aria-label': `Progress of ${job.id}` });
    progress.append(bar, el('span', { class: 'percent' }));
  }
  bar.value = job.progress;
  progress.querySelector('.percent').textContent = ` ${job.progress} %`;
  cell('images').textContent = String(job.image_count ?? '');
  cell('created').textContent = time(job.created_at);
  row.dataset.status = job.status;
  const problem = cell('problem');
  problem.textContent = [job.error_type, job.error_message].filter(Boolean).join(': ');
  problem.title = problem.textContent;
}
