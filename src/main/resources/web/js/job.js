// One job (#/jobs/<id>): status and progress, the stage timeline with durations, images accepted and rejected,
// cancel; once completed, the report figures, the download links and the 3D viewer.

import { ApiError, getJson, postJson } from './api.js';
import {
  STAGES, STATUSES, announce, bytes, duration, el, figureLabel, isFinished, number, stageLabel, statusBadge, time,
} from './format.js';
import { poll } from './poll.js';
import { createViewer } from './viewer.js';

const REFRESH_MS = 2000;

export function createJobPage() {
  const $ = (id) => document.getElementById(id);
  let jobId = null;
  let stop = null;
  let viewer = null;
  let lastStatus = null;
  let imagesShown = '';

  $('job-cancel').addEventListener('click', async () => {
    const id = jobId;
    $('job-cancel').disabled = true;
    try {
      const job = await postJson(`api/jobs/${id}/cancel`);
      say(job.status === 'canceled' ? '' : 'Cancel requested: the job stops at its next step.');
      announce(`Cancel requested for job ${id}`);
    } catch (error) {
      say(`Could not cancel: ${error.message}`, 'error');
      $('job-cancel').disabled = false;
    }
    if (id === jobId) await refresh(id);
  });

  document.querySelectorAll('input[name="model-kind"]').forEach((radio) => {
    radio.addEventListener('change', () => viewer && viewer.show(radio.value));
  });
  $('viewer-reset').addEventListener('click', () => viewer && viewer.resetView());

  function say(text, kind = '') {
    $('job-message').textContent = text;
    $('job-message').className = `message ${kind}`;
  }

  async function refresh(id) {
    let job;
    try {
      job = await getJson(`api/jobs/${id}`);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
        $('job-heading').textContent = `Job ${id}`;
        say(error.message, 'error');
        return false;
      }
      throw error;
    }
    if (id !== jobId) return false;
    render(job);
    if (lastStatus && lastStatus !== job.status) announce(`Job ${job.id} is now ${job.status}`);
    lastStatus = job.status;
    if (isFinished(job.status)) {
      if (job.status === 'completed') await showResults(job);
      return false; // nothing changes any more
    }
    return true;
  }

  function render(job) {
    $('job-heading').textContent = `Job ${job.id}`;
    const stage = job.status === 'running' && job.stage ? ` · ${stageLabel(job.stage)}` : '';
    $('job-status').replaceChildren(statusBadge(job.status), stage);
    $('job-progress').value = job.progress;
    $('job-percent').textContent = `${job.progress} %`;

    const cancel = $('job-cancel');
    cancel.hidden = isFinished(job.status);
    if (job.cancel_requested && !isFinished(job.status)) {
      cancel.disabled = true;
      cancel.textContent = 'Cancel requested';
    }

    const error = $('job-error');
    error.hidden = !job.error_type;
    error.textContent = job.error_type ? `${job.error_type}: ${job.error_message || ''}` : '';

    const facts = [
      ['Engine', job.engine], ['Quality', job.quality], ['Photos show', job.dataset_type],
      ['Images', job.image_count], ['Source', `s3://${job.bucket}/${job.prefix}`],
      ['Created', time(job.created_at)], ['Started', time(job.started_at)], ['Finished', time(job.finished_at)],
      ['Duration', duration(job.duration_seconds)], ['Attempts', job.attempts],
      ['Reason', job.error_type ? null : job.error_message], // e.g. why a job was canceled
      ['Registered views', job.registered_views], ['Dense points', job.point_count], ['Mesh faces', job.mesh_face_count],
    ];
    $('job-facts').replaceChildren(...facts.filter(([, v]) => v !== null && v !== undefined && v !== '')
      .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, typeof v === 'number' ? number(v) : String(v))]));

    renderTimeline(job);
    renderImages(job.images);
  }

  function renderTimeline(job) {
    const byName = new Map((job.stages || []).map((s) => [s.name, s]));
    const seconds = (s) => (s.duration_ms !== null && s.duration_ms !== undefined
      ? s.duration_ms / 1000
      : s.started_at && !s.finished_at ? (Date.now() - Date.parse(s.started_at)) / 1000 : null);
    const longest = Math.max(1e-3, ...[...byName.values()].map((s) => seconds(s) || 0));
    $('job-timeline').replaceChildren(...STAGES.map((name) => {
      const stage = byName.get(name);
      const status = stage ? stage.status : 'pending';
      const s = stage ? seconds(stage) : null;
      const took = s === null ? '' : status === 'running' ? `running for ${duration(s)}` : duration(s);
      const bar = el('span', { class: 'stage-bar', 'aria-hidden': 'true' }, el('span', { style: `width: ${(100 * (s || 0)) / longest}%` }));
      return el('li', { class: `stage stage-${status}`, 'data-stage': name },
        el('span', { class: 'stage-icon', 'aria-hidden': 'true' }, (STATUSES[status] || STATUSES.pending).icon),
        el('span', { class: 'stage-name' }, stageLabel(name)),
        el('span', { class: 'stage-status' }, (STATUSES[status] || { label: status }).label),
        el('span', { class: 'stage-duration' }, took),
        bar);
    }));
  }

  function renderImages(images) {
    const items = (images && images.items) || [];
    const signature = items.map((i) => `${i.key}:${i.status}`).join('|');
    if (signature === imagesShown) return;
    imagesShown = signature;
    $('images-summary').textContent = `${images.total} image(s): ${images.accepted} accepted, ${images.rejected} rejected.`;
    const name = (key) => key.substring(key.lastIndexOf('/') + 1);
    const rejected = items.filter((i) => i.status === 'rejected');
    $('images-rejected-wrap').hidden = rejected.length === 0;
    $('images-rejected').replaceChildren(...rejected.map((i) => el('tr', {}, el('td', {}, name(i.key)), el('td', {}, i.reason || ''))));
    $('images-accepted').replaceChildren(...items.filter((i) => i.status === 'accepted').map((i) => el('li', {},
      name(i.key), i.width ? el('span', { class: 'muted' }, ` ${i.width}×${i.height}, ${bytes(i.size)}`) : null)));
  }

  async function showResults(job) {
    let files;
    try {
      files = await getJson(`api/jobs/${job.id}/results`);
    } catch (error) {
      say(`Could not list the results: ${error.message}`, 'error');
      return;
    }
    if (job.id !== jobId) return;
    const byName = new Map(files.map((f) => [f.name, f]));
    $('downloads-section').hidden = false;
    $('downloads-note').textContent = 'The links are signed and expire after a while; reload the page for fresh ones.';
    $('downloads').replaceChildren(...files.map((f) => el('li', {},
      el('a', { href: f.url, download: f.name }, f.name), el('span', { class: 'muted' }, ` ${f.type}, ${bytes(f.size)}`))));

    const dense = byName.get('dense.ply');
    const mesh = byName.get('mesh.ply');
    if (dense || mesh) {
      $('model-section').hidden = false;
      $('model-points').disabled = !dense;
      $('model-mesh').disabled = !mesh;
      const kind = dense ? 'points' : 'mesh';
      $(kind === 'points' ? 'model-points' : 'model-mesh').checked = true;
      viewer = createViewer($('viewer'), $('viewer-status'), { points: dense && dense.url, mesh: mesh && mesh.url });
      viewer.show(kind);
    }
    const report = byName.get('report.json');
    if (report) showReport(report.url);
  }

  async function showReport(url) {
    let report;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`the download answered ${response.status}`);
      report = await response.json();
    } catch (error) {
      say(`Could not read report.json: ${error.message}`, 'error');
      return;
    }
    const detail = (key) => report.stages.map((s) => s.details && s.details[key]).find((v) => v !== undefined);
    const sparse = report.stages.find((s) => s.name === 'sparse_reconstruction');
    const figures = [
      ['Images', report.images],
      ['Views registered', sparse && sparse.details ? `${detail('views_registered')} of ${detail('views_total')}` : null],
      ['Sparse points', detail('sparse_points')],
      ['Reprojection error, median (px)', detail('reprojection_error_px_median')],
      ['Dense points', detail('dense_points')],
      ['Mesh vertices', detail('mesh_vertices')],
      ['Mesh faces', detail('mesh_faces')],
      ['Total stage time', duration(report.stages.reduce((t, s) => t + (s.duration_ms || 0), 0) / 1000)],
    ];
    $('report-figures').replaceChildren(...figures.filter(([, v]) => v !== null && v !== undefined)
      .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, number(v))]));
    $('report-warnings').replaceChildren(...(report.warnings || []).map((w) => el('li', {},
      el('span', { 'aria-hidden': 'true' }, '⚠ '), `Warning: ${w}`)));
    $('report-table').replaceChildren(...report.stages.flatMap((s) => Object.entries(s.details || {}).map(([k, v]) =>
      el('tr', {}, el('td', {}, stageLabel(s.name)), el('td', {}, figureLabel(k)), el('td', { class: 'num' }, number(v))))));
    $('report-section').hidden = false;
  }

  function reset() {
    if (stop) stop();
    stop = null;
    if (viewer) viewer.dispose();
    viewer = null;
    lastStatus = null;
    imagesShown = '';
    for (const id of ['model-section', 'report-section', 'downloads-section']) $(id).hidden = true;
    $('job-cancel').disabled = false;
    $('job-cancel').textContent = 'Cancel job';
    $('job-cancel').hidden = true;
    $('job-error').hidden = true;
    $('job-facts').replaceChildren();
    $('job-timeline').replaceChildren();
    $('job-status').replaceChildren();
    say('');
  }

  return {
    open(id) {
      reset();
      jobId = id;
      $('job-heading').textContent = `Job ${id}`;
      stop = poll(() => refresh(id), REFRESH_MS);
    },
    close() {
      reset();
      jobId = null;
    },
  };
}
