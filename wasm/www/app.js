// The page: sends the message to the worker on every change and shows the latest verdict.
const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });
let file = null;
let lastId = 0;
let sentAt = new Map();

function send() {
  const id = ++lastId;
  sentAt.set(id, performance.now());
  worker.postMessage({ id, text: $('text').value, file });
}

worker.onmessage = ({ data }) => {
  if (data.ready) {
    const r = data.ready;
    $('list').textContent = `Blocklist loaded and verified: sequence ${r.sequence}, ${r.bytes} bytes, ` +
      `signed by ${r.signer.slice(0, 12)}…; sections: ${r.sections.join(', ')}.`;
    $('text').disabled = false;
    $('text').focus();
    document.body.dataset.ready = 'true';
    return;
  }
  if (data.fatal) {
    $('list').textContent = `Could not load the blocklist: ${data.fatal}`;
    $('list').classList.add('error');
    return;
  }
  if (data.id !== lastId) return; // a newer message is on its way
  const box = $('verdict');
  const details = $('details');
  details.replaceChildren();
  if (data.error) {
    box.className = 'verdict idle';
    $('headline').textContent = `Error: ${data.error}`;
    return;
  }
  const v = data.verdict;
  if (data.parts.length === 0) {
    box.className = 'verdict idle';
    $('headline').textContent = 'No message yet';
    $('timing').textContent = '';
    return;
  }
  box.className = `verdict ${v.matched ? 'matched' : 'clean'}`;
  $('headline').textContent = v.matched
    ? `Matched the blocklist: ${[...new Set(v.matches.map((m) => m.label))].join(', ')}`
    : 'No match: nothing listed';
  for (const m of v.matches) {
    const li = document.createElement('li');
    li.textContent = `${data.parts[m.part] === 'text' ? 'the text' : `the file ${data.parts[m.part]}`} matches list "${m.label}" (${m.signal} signal)`;
    details.append(li);
  }
  for (const u of v.unscreened) {
    const li = document.createElement('li');
    li.textContent = `part ${u.part} not screened: ${u.code}`;
    details.append(li);
  }
  if (data.pdq) {
    const li = document.createElement('li');
    li.className = 'pdq';
    li.textContent = data.pdq.hash
      ? `PDQ hash of ${file?.name ?? 'the image'}: ${data.pdq.hash} (quality ${data.pdq.quality})`
      : `PDQ hash of ${file?.name ?? 'the image'}: not computed (${data.pdq.error})`;
    details.append(li);
  }
  const total = performance.now() - sentAt.get(data.id);
  sentAt.delete(data.id);
  // Browsers coarsen performance.now() (to 0.1 ms without cross-origin isolation).
  const ms = data.ms < 0.1 ? '< 0.1' : data.ms.toFixed(2);
  $('timing').textContent = `screened in ${ms} ms in the worker ` +
    `(${total.toFixed(1)} ms round trip); ${data.parts.length} part(s)`;
};

$('text').addEventListener('input', send);

async function takeFile(f) {
  if (!f) return;
  file = { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) };
  $('drop-label').textContent = `Attached: ${f.name} (${f.size} bytes). Drop another to replace it.`;
  send();
}
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  takeFile(e.dataTransfer.files[0]);
});
$('file').addEventListener('change', (e) => takeFile(e.target.files[0]));
