// Photos to a new job: the drop zone and the file input hand their files to one upload function, which sends
// them to POST /api/jobs as multipart/form-data (one form field per file: img0, img1, ...) with progress.

import { ApiError, answer, authHeaders, withKey } from './api.js';
import { storedKey, askForKey } from './apikey.js';
import { announce, el } from './format.js';

const IMAGE = /\.(jpe?g|png|tiff?|bmp)$/i;

/**
 * Wires the upload form. `settings` is GET /api/console (api_key_required); `onCreated(job)` runs after a job
 * is created.
 */
export function setUpUpload(settings, onCreated) {
  const zone = document.getElementById('drop-zone');
  const input = document.getElementById('upload-files');
  const pickFolder = document.getElementById('upload-pick-folder');

  pickFolder.addEventListener('change', () => {
    input.webkitdirectory = pickFolder.checked;
  });
  input.addEventListener('change', () => {
    const files = [...input.files];
    input.value = '';
    uploadPhotos(files, settings, onCreated);
  });

  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    zone.classList.add('is-over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('is-over'));
  zone.addEventListener('drop', async (event) => {
    event.preventDefault();
    zone.classList.remove('is-over');
    uploadPhotos(await droppedFiles(event.dataTransfer), settings, onCreated);
  });
}

/** The one upload function: keeps the images, asks for the key first when one is needed, sends, reports. */
export async function uploadPhotos(files, settings, onCreated) {
  const images = files.filter((f) => IMAGE.test(f.name));
  const skipped = files.length - images.length;
  const skippedNote = skipped > 0 ? ` ${skipped} file(s) that are not photos were left out.` : '';
  if (images.length === 0) {
    say(`No photos to upload: choose JPEG, PNG, TIFF or BMP files.${skippedNote}`, 'error');
    return;
  }
  if (settings.api_key_required && !storedKey() && (await askForKey()) === null) {
    say('Upload not started: creating a job needs the API key.', 'error');
    return;
  }
  const form = new FormData();
  form.append('quality', document.getElementById('upload-quality').value);
  form.append('dataset_type', document.getElementById('upload-dataset-type').value);
  images.forEach((file, i) => form.append(`img${i}`, file, file.name)); // a repeated field name is refused

  say(`Uploading ${images.length} photo(s)…${skippedNote}`);
  announce(`Uploading ${images.length} photos`);
  try {
    const job = await withKey(() => send(form));
    say(null);
    const message = document.getElementById('upload-message');
    message.append(`Job `, el('a', { href: `#/jobs/${job.id}` }, job.id),
      ` created with ${images.length} photo(s); it is ${job.status}.${skippedNote}`);
    message.className = 'message ok';
    announce(`Job ${job.id} created`);
    onCreated(job);
  } catch (error) {
    say(`Upload failed: ${error.message}`, 'error');
  } finally {
    document.getElementById('upload-state').hidden = true;
  }
}

/** One POST with upload progress (fetch has none, XMLHttpRequest does). */
function send(form) {
  const state = document.getElementById('upload-state');
  const progress = document.getElementById('upload-progress');
  const percent = document.getElementById('upload-percent');
  state.hidden = false;
  progress.value = 0;
  percent.textContent = '0 %';
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', 'api/jobs');
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable) return;
      const p = Math.floor((100 * event.loaded) / event.total);
      progress.value = p;
      percent.textContent = `${p} %`;
    });
    xhr.addEventListener('load', () => {
      answer(new Response(xhr.responseText, { status: xhr.status })).then(resolve, reject);
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'the connection to the service failed')));
    xhr.send(form);
  });
}

function say(text, kind = '') {
  const message = document.getElementById('upload-message');
  message.textContent = text || '';
  message.className = `message ${kind}`;
}

/** Files from a drop, walking into dropped folders (entries must be taken before the first await). */
async function droppedFiles(dataTransfer) {
  const entries = [...dataTransfer.items].map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
  if (entries.length === 0) return [...dataTransfer.files];
  const files = [];
  const walk = async (entry) => {
    if (entry.isFile) {
      files.push(await new Promise((resolve, reject) => entry.file(resolve, reject)));
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const entry of entries) await walk(entry);
  return files;
}
