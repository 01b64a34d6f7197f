// The 3D viewer: the dense point cloud (dense.ply) or the mesh (mesh.ply), downloaded through their presigned
// URLs, drawn by three.js with orbit controls. It renders on demand (after a change), not in a loop, and says
// what it drew on its element: data-points, data-faces, data-showing, data-state (loading, ready, error).

import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { PLYLoader } from 'three/addons/loaders/PLYLoader.js';
import { number } from './format.js';

const LABELS = { points: 'dense point cloud', mesh: 'mesh' };

export function createViewer(container, status, urls) {
  let renderer;
  try {
    // preserveDrawingBuffer: the picture can be read back (a screenshot, a test) after it is drawn
    renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  } catch (error) {
    container.dataset.state = 'error';
    status.textContent = 'This browser cannot draw 3D (WebGL is off); the models are still in the downloads.';
    return { show() {}, resetView() {}, dispose() {} };
  }
  renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
  container.replaceChildren(renderer.domElement);

  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0x1b2230);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x555566, 2.2));
  const camera = new THREE.PerspectiveCamera(50, 1, 0.001, 1000);
  const headlight = new THREE.DirectionalLight(0xffffff, 1.2); // shines where the camera looks
  headlight.target.position.set(0, 0, -1);
  camera.add(headlight, headlight.target);
  scene.add(camera);

  const controls = new OrbitControls(camera, renderer.domElement);
  controls.listenToKeyEvents(container); // arrow keys pan while the view has focus
  controls.addEventListener('change', render);

  const models = new Map(); // kind -> loaded Object3D
  let shown = null;
  let framed = false;
  let ticket = 0;

  const resize = new ResizeObserver(() => {
    const width = container.clientWidth;
    const height = container.clientHeight;
    if (width === 0 || height === 0) return;
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    render();
  });
  resize.observe(container);

  function render() {
    renderer.render(scene, camera);
  }

  async function load(kind) {
    const response = await fetch(urls[kind]);
    if (!response.ok) throw new Error(`the download answered ${response.status}`);
    const geometry = new PLYLoader().parse(await response.arrayBuffer());
    let object;
    if (kind === 'mesh') {
      if (!geometry.attributes.normal) geometry.computeVertexNormals();
      const colours = Boolean(geometry.attributes.color);
      object = new THREE.Mesh(geometry, new THREE.MeshStandardMaterial({
        vertexColors: colours, color: colours ? 0xffffff : 0xb8c2d6, roughness: 0.95, side: THREE.DoubleSide,
      }));
      container.dataset.faces = String(geometry.index ? geometry.index.count / 3 : geometry.attributes.position.count / 3);
    } else {
      object = new THREE.Points(geometry, new THREE.PointsMaterial({
        size: 2, sizeAttenuation: false, vertexColors: Boolean(geometry.attributes.color),
      }));
      container.dataset.points = String(geometry.attributes.position.count);
    }
    // the engines write camera coordinates (y down, z forward); three.js draws y up, z towards the viewer
    object.rotation.x = Math.PI;
    object.updateMatrixWorld(true);
    return object;
  }

  async function show(kind) {
    const mine = ++ticket;
    container.dataset.state = 'loading';
    status.textContent = `Loading the ${LABELS[kind]}…`;
    try {
      if (!models.has(kind)) models.set(kind, await load(kind));
    } catch (error) {
      if (mine !== ticket) return;
      container.dataset.state = 'error';
      status.textContent = `Could not load the ${LABELS[kind]}: ${error.message}. `
        + '(A download blocked by the browser usually means the object store does not allow this page\'s origin: see CORS in the README.)';
      return;
    }
    if (mine !== ticket) return; // another model was asked for meanwhile
    if (shown) scene.remove(shown);
    shown = models.get(kind);
    scene.add(shown);
    if (!framed) frame(shown);
    container.dataset.showing = kind;
    container.dataset.state = 'ready';
    status.textContent = kind === 'points'
      ? `Showing the dense point cloud: ${number(Number(container.dataset.points))} points.`
      : `Showing the mesh: ${number(Number(container.dataset.faces))} faces.`;
    render();
  }

  /** Looks at the bulk of the model from the first photo's side, a little from above; outliers are ignored. */
  function frame(object) {
    const box = robustBox(object.geometry.attributes.position).applyMatrix4(object.matrixWorld);
    const centre = box.getCenter(new THREE.Vector3());
    const size = box.getSize(new THREE.Vector3()).length() || 1;
    camera.near = size / 1000;
    camera.far = size * 100;
    camera.position.copy(centre).add(new THREE.Vector3(0, 0.45, 1).normalize().multiplyScalar(size * 1.1));
    camera.updateProjectionMatrix();
    controls.target.copy(centre);
    controls.update();
    framed = true;
  }

  return {
    show,
    resetView() {
      if (shown) {
        frame(shown);
        render();
      }
    },
    dispose() {
      ticket += 1;
      resize.disconnect();
      controls.dispose();
      for (const object of models.values()) {
        object.geometry.dispose();
        object.material.dispose();
      }
      renderer.dispose();
      renderer.forceContextLoss();
      container.replaceChildren();
      for (const key of ['points', 'faces', 'showing', 'state']) delete container.dataset[key];
      status.textContent = '';
    },
  };
}

/** The box holding the middle 96% of the points on each axis (a sample of them, for big clouds). */
function robustBox(position) {
  const step = Math.max(1, Math.floor(position.count / 20000));
  const axes = [[], [], []];
  for (let i = 0; i < position.count; i += step) {
    axes[0].push(position.getX(i));
    axes[1].push(position.getY(i));
    axes[2].push(position.getZ(i));
  }
  const at = (values, q) => values[Math.min(values.length - 1, Math.floor(q * values.length))];
  const [min, max] = [new THREE.Vector3(), new THREE.Vector3()];
  axes.forEach((values, axis) => {
    values.sort((a, b) => a - b);
    min.setComponent(axis, at(values, 0.02));
    max.setComponent(axis, at(values, 0.98));
  });
  return new THREE.Box3(min, max);
}
