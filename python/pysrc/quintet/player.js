// The live player's page side (python/pysrc/quintet/_player.py is the kernel side).
//
// The kernel sends float32 blocks as binary comm messages; they go to an AudioWorklet whose
// ring buffer plays them. The worklet counts the frames it played and the render quanta it
// found short (underruns) and measures the level; an AnalyserNode on its output gives the
// strongest frequency. Every REPORT_MS the page reports all of it to the kernel, whose thread
// keeps its blocks ahead of the frames played. The first view of a player plays; other views
// of it show its state and controls.

/** How often the page reports to the kernel while it plays, and while it does not, in ms (each
 * report costs the kernel a message to handle: about 1 ms of CPU). */
const REPORT_MS = 200;
const IDLE_REPORT_MS = 500;
/** How often the state line and the meter are drawn, in ms. */
const SHOW_MS = 50;
/** How often the analyser is read, in ms (the resolution of peak times). */
const PEAK_MS = 10;
/** The worklet waits for this much audio before it starts, in seconds. */
const PREFILL_S = 0.05;
/** The ring holds this much, in seconds. */
const RING_S = 1.0;
/** The analyser's window, in frames (21 ms at 48 kHz, 47 Hz bins, a pure tone's peak interpolated to a few Hz). */
const FFT_SIZE = 1024;
/** Peaks kept for tests and debugging: 5 s at PEAK_MS. */
const PEAK_HISTORY = 500;

// The worklet, loaded from a Blob URL (the widget ships as one ES module).
const WORKLET = `
class QuintetRing extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions;
    this.ring = new Float32Array(o.capacity);
    this.prefill = o.prefill;
    this.reportEvery = o.reportEvery;
    this.epoch = -1;
    this.reset();
    this.port.onmessage = (event) => this.receive(event.data);
  }
  reset() {
    this.read = 0; this.write = 0; this.fill = 0;
    this.running = false; this.started = false;
    this.played = 0; this.received = 0; this.underruns = 0; this.overflows = 0;
    this.underrunsAt = [];
    this.sinceReport = 0; this.peak = 0; this.squares = 0; this.counted = 0;
  }
  receive(m) {
    if (m.epoch !== this.epoch) { this.epoch = m.epoch; this.reset(); }
    if (m.type === 'stop') { this.reset(); this.report(); return; }
    const s = m.samples, ring = this.ring, size = ring.length;
    this.received += s.length;
    for (let i = 0; i < s.length; i++) {
      if (this.fill === size) { this.overflows++; this.read = (this.read + 1) % size; this.fill--; }
      ring[this.write] = s[i];
      this.write = (this.write + 1) % size;
      this.fill++;
    }
    this.running = true;
  }
  process(inputs, outputs) {
    const channels = outputs[0], out = channels[0], n = out.length, ring = this.ring;
    if (this.running && !this.started && this.fill >= this.prefill) this.started = true;
    if (this.started) {
      const take = Math.min(n, this.fill);
      for (let i = 0; i < take; i++) {
        const x = ring[this.read];
        out[i] = x;
        this.read = (this.read + 1) % ring.length;
        const a = Math.abs(x);
        if (a > this.peak) this.peak = a;
        this.squares += x * x;
      }
      this.counted += take;
      if (take < n) {
        out.fill(0, take);
        this.underruns++;
        // Where the last few were, in frames played: for a test that fails, or a curious user.
        if (this.underrunsAt.length < 16) this.underrunsAt.push(this.played + take);
      }
      this.fill -= take;
      this.played += take;
    }
    for (let c = 1; c < channels.length; c++) channels[c].set(out);
    this.sinceReport += n;
    if (this.sinceReport >= this.reportEvery) this.report();
    return true;
  }
  report() {
    this.port.postMessage({
      epoch: this.epoch, played: this.played, received: this.received, buffered: this.fill,
      underruns: this.underruns, underruns_at: this.underrunsAt, overflows: this.overflows,
      started: this.started,
      peak: this.peak, rms: this.counted ? Math.sqrt(this.squares / this.counted) : 0,
    });
    this.sinceReport = 0; this.peak = 0; this.squares = 0; this.counted = 0;
  }
}
registerProcessor('quintet-ring', QuintetRing);
`;

/** The audio of each player (its model): made by its first view, ended with it. */
const audios = new Map();
/** Every player's audio on this page, for tests and debugging. */
globalThis.quintetPlayers ??= [];

/** A buffer of a comm message as float32 samples (copied: the view may be unaligned). */
function samplesOf(buffer) {
  const view = buffer instanceof ArrayBuffer ? new DataView(buffer) : buffer;
  return new Float32Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

/** The strongest frequency the analyser sees, in Hz (parabolic interpolation between bins). */
function peakHz(analyser, bins, rate) {
  analyser.getFloatFrequencyData(bins);
  let best = 1;
  for (let i = 2; i < bins.length - 1; i++) if (bins[i] > bins[best]) best = i;
  if (!(bins[best] > -100)) return 0;
  const [a, b, c] = [bins[best - 1], bins[best], bins[best + 1]];
  const shift = (a - 2 * b + c) === 0 ? 0 : (0.5 * (a - c)) / (a - 2 * b + c);
  return ((best + shift) * rate) / analyser.fftSize;
}

class Audio {
  constructor(model) {
    this.model = model;
    this.stats = { state: 'starting', epoch: -1, played: 0, received: 0, buffered: 0, underruns: 0,
                   overflows: 0, started: false, peak: 0, rms: 0, peak_hz: 0, t: 0 };
    this.peaks = [];
    this.listeners = new Set();
    this.onMessage = (msg, buffers) => this.receive(msg, buffers);
    this.onVolume = () => this.setVolume();
    model.on('msg:custom', this.onMessage);
    model.on('change:volume', this.onVolume);
    this.ready = this.open().catch((error) => {
      // No audio here (an AudioContext at this rate, or AudioWorklet, refused): say why.
      this.error = String(error);
      this.show();
    });
    globalThis.quintetPlayers.push(this);
  }

  async open() {
    const rate = this.model.get('sample_rate');
    this.context = new AudioContext({ sampleRate: rate, latencyHint: 'interactive' });
    const url = URL.createObjectURL(new Blob([WORKLET], { type: 'text/javascript' }));
    await this.context.audioWorklet.addModule(url);
    URL.revokeObjectURL(url);
    this.node = new AudioWorkletNode(this.context, 'quintet-ring', {
      numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1],
      processorOptions: { capacity: Math.round(rate * RING_S), prefill: Math.round(rate * PREFILL_S),
                          reportEvery: 1024 },
    });
    this.gain = this.context.createGain();
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = FFT_SIZE;
    this.analyser.smoothingTimeConstant = 0;
    this.node.connect(this.gain).connect(this.context.destination);
    this.node.connect(this.analyser);
    this.setVolume();
    this.node.port.onmessage = (event) => {
      const starting = event.data.started && !this.stats.started;
      Object.assign(this.stats, event.data, { t: performance.now() / 1000 });
      // The kernel hears at once that the worklet plays (its reports come seldom before).
      if (starting) this.report('report');
    };
    const bins = new Float32Array(this.analyser.frequencyBinCount);
    this.peakTimer = setInterval(() => {
      const hz = peakHz(this.analyser, bins, this.context.sampleRate);
      this.stats.peak_hz = hz;
      this.peaks.push([performance.now(), hz]);
      if (this.peaks.length > PEAK_HISTORY) this.peaks.shift();
    }, PEAK_MS);
    const reportLater = () => {
      this.reportTimer = setTimeout(() => {
        this.report('report');
        reportLater();
      }, this.stats.started ? REPORT_MS : IDLE_REPORT_MS);
    };
    reportLater();
    // The state line and the meter, between reports.
    this.showTimer = setInterval(() => this.show(), SHOW_MS);
    this.stats.t = performance.now() / 1000;
    this.report('hello');
  }

  /** Where the page is: 'playing', 'waiting' (for audio, or for a click), 'stopped'. */
  state() {
    if (this.error) return `no audio: ${this.error}`;
    if (!this.model.get('playing')) return 'stopped';
    if (this.context && this.context.state !== 'running') return 'click to allow audio';
    return this.stats.started ? 'playing' : 'waiting for audio';
  }

  report(type) {
    this.stats.state = this.state();
    // Whether the audio runs: a browser may hold it until a click (the kernel waits then).
    this.stats.running = this.context.state === 'running';
    this.model.send({ type, ...this.stats, sample_rate: this.context.sampleRate,
                      buffered_ms: (1000 * this.stats.buffered) / this.context.sampleRate });
    this.show();
  }

  show() {
    for (const listener of this.listeners) listener();
  }

  receive(msg, buffers) {
    if (!this.node) return;
    if (msg.type === 'audio') {
      const samples = samplesOf(buffers[0]);
      this.node.port.postMessage({ type: 'audio', epoch: msg.epoch, samples }, [samples.buffer]);
    } else if (msg.type === 'stop') {
      this.node.port.postMessage({ type: 'stop', epoch: msg.epoch });
    }
  }

  setVolume() {
    if (this.gain) this.gain.gain.setTargetAtTime(this.model.get('volume'), this.context.currentTime, 0.01);
  }

  close() {
    this.model.off('msg:custom', this.onMessage);
    this.model.off('change:volume', this.onVolume);
    clearInterval(this.peakTimer);
    clearTimeout(this.reportTimer);
    clearInterval(this.showTimer);
    this.model.send({ type: 'bye' });
    if (this.context) this.context.close();
    const index = globalThis.quintetPlayers.indexOf(this);
    if (index >= 0) globalThis.quintetPlayers.splice(index, 1);
  }
}

/** An element with a class and optional text. */
function make(tag, className, text) {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The click-to-play keyboard: two octaves from C4 (MIDI key 60). */
function keyboard(model) {
  const board = make('div', 'quintet-keys');
  const black = new Set([1, 3, 6, 8, 10]);
  let whites = 0;
  for (let key = 60; key < 84; key++) {
    const isBlack = black.has(key % 12);
    const button = make('div', isBlack ? 'quintet-key quintet-black' : 'quintet-key');
    button.dataset.key = key;
    // White keys side by side; a black key over the line between two whites (player.css).
    if (isBlack) button.style.left = `calc(${whites} * var(--quintet-white) - var(--quintet-black) / 2)`;
    else whites++;
    let down = false;
    const on = (event) => {
      event.preventDefault();
      down = true;
      button.classList.add('quintet-down');
      model.send({ type: 'note', on: true, key, velocity: 0.8 });
    };
    const off = () => {
      if (!down) return;
      down = false;
      button.classList.remove('quintet-down');
      model.send({ type: 'note', on: false, key });
    };
    button.addEventListener('pointerdown', on);
    button.addEventListener('pointerup', off);
    button.addEventListener('pointerleave', off);
    board.append(button);
  }
  return board;
}

function render({ model, el }) {
  let audio = audios.get(model);
  const owner = audio === undefined;
  if (owner) {
    audio = new Audio(model);
    audios.set(model, audio);
  }
  const root = make('div', 'quintet-player');
  const top = make('div', 'quintet-row');
  const button = make('button', 'quintet-button');
  const state = make('span', 'quintet-state');
  const meter = make('div', 'quintet-meter');
  const bar = make('div', 'quintet-bar');
  meter.append(bar);
  const volume = make('input', 'quintet-volume');
  Object.assign(volume, { type: 'range', min: 0, max: 1, step: 0.01, title: 'volume' });
  top.append(button, state, meter, make('span', 'quintet-label', 'volume'), volume);
  root.append(top);
  if (!owner) root.append(make('div', 'quintet-note', 'plays in the first view of this player'));
  let keys = null;

  const show = () => {
    const playing = model.get('playing');
    button.textContent = playing ? '■ Stop' : '▶ Play';
    const s = audio.stats;
    const ms = audio.context ? (1000 * s.buffered) / audio.context.sampleRate : 0;
    state.textContent = `${audio.state()} · ${ms.toFixed(0)} ms buffered · ${s.underruns} underruns`;
    const db = 20 * Math.log10(Math.max(s.peak, 1e-5));
    bar.style.width = `${Math.max(0, Math.min(100, ((db + 60) / 60) * 100))}%`;
    volume.value = model.get('volume');
    if (model.get('keyboard') && !keys) root.append((keys = keyboard(model)));
    if (!model.get('keyboard') && keys) { keys.remove(); keys = null; }
  };
  button.addEventListener('click', async () => {
    // A click is the gesture a browser wants before it plays.
    if (audio.context && audio.context.state !== 'running') await audio.context.resume();
    model.set('playing', !model.get('playing'));
    model.save_changes();
  });
  volume.addEventListener('input', () => {
    model.set('volume', Number(volume.value));
    model.save_changes();
  });
  audio.listeners.add(show);
  model.on('change:playing', show);
  model.on('change:keyboard', show);
  show();
  el.append(root);
  return () => {
    audio.listeners.delete(show);
    model.off('change:playing', show);
    model.off('change:keyboard', show);
    if (owner) {
      audio.close();
      audios.delete(model);
    }
  };
}

export default { render };
