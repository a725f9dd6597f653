// The lobby display's sound: a two-tone "ding-dong" made with Web Audio (no audio files), then a
// spoken announcement through speechSynthesis. Announcements wait in one queue and never overlap.
//
// Chromium keeps audio locked until a user gesture unless it runs with
// `--autoplay-policy=no-user-gesture-required` (docs/devices.md, "Lobby display"); while locked,
// `locked()` is true and the page offers a button that calls `unlock()`. Without voices for a
// language the announcement is chime only; nothing here ever throws at the page.

const SPEECH_TIMEOUT_MS = 12000;

/** "A017" → "A 17", "AB007" → "A B 7": letters one by one, the number without leading zeros. */
export function spokenNumber(number) {
  const match = /^([A-Za-z]+)0*(\d+)$/.exec(String(number));
  if (!match) return String(number);
  return `${match[1].toUpperCase().split("").join(" ")} ${Number(match[2])}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Sound {
  constructor() {
    this.context = null;
    this.queue = Promise.resolve();
    this.listeners = [];
    /** How many chimes were played through Web Audio (for tests; a locked context plays none). */
    this.chimes = 0;
    try {
      const AudioContextClass = window.AudioContext || window.webkitAudioContext;
      if (AudioContextClass) {
        this.context = new AudioContextClass();
        this.context.onstatechange = () => this.changed();
      }
    } catch {
      this.context = null;
    }
    this.speech = "speechSynthesis" in window ? window.speechSynthesis : null;
    if (this.speech) {
      // Voices load asynchronously; asking once starts the loading.
      try {
        this.speech.getVoices();
      } catch {
        this.speech = null;
      }
    }
  }

  /** True while the browser holds audio back until a user gesture. */
  locked() {
    return this.context !== null && this.context.state === "suspended";
  }

  /** Calls `listener()` when the lock state may have changed. */
  onChange(listener) {
    this.listeners.push(listener);
  }

  changed() {
    for (const listener of this.listeners) listener();
  }

  /** Unlocks audio and speech; call from a click handler. */
  async unlock() {
    try {
      if (this.context) await this.context.resume();
    } catch {
      // Still locked: the button stays.
    }
    try {
      // An utterance spoken inside the gesture unlocks speech for later ones.
      if (this.speech) this.speech.speak(new SpeechSynthesisUtterance(""));
    } catch {
      // No speech: chime only.
    }
    this.changed();
  }

  /**
   * Queues an announcement: the chime, then each `{lang, text}` spoken in turn.
   * `onStart()` runs when it is its turn (even when audio is locked).
   */
  announce(parts, onStart) {
    this.queue = this.queue.then(async () => {
      try {
        if (onStart) onStart();
        if (this.locked()) return;
        await this.chime();
        for (const part of parts) await this.say(part.text, part.lang);
        await sleep(600);
      } catch {
        // A failed announcement must never block the next one.
      }
    });
    return this.queue;
  }

  /** The "ding-dong": two decaying sine tones, E5 then C5. */
  async chime() {
    const context = this.context;
    if (!context || context.state !== "running") return;
    const tone = (frequency, start, length) => {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.5, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start);
      oscillator.stop(start + length + 0.05);
    };
    const now = context.currentTime + 0.05;
    tone(659.25, now, 0.9);
    tone(523.25, now + 0.6, 1.2);
    this.chimes += 1;
    await sleep(1900);
  }

  /** The installed voice for `lang`, or null. */
  voice(lang) {
    if (!this.speech) return null;
    let voices = [];
    try {
      voices = this.speech.getVoices() || [];
    } catch {
      return null;
    }
    const wanted = lang.toLowerCase();
    return (
      voices.find((v) => v.lang && v.lang.toLowerCase().replace("_", "-").startsWith(wanted + "-") && v.localService) ||
      voices.find((v) => v.lang && v.lang.toLowerCase().replace("_", "-").split("-")[0] === wanted) ||
      null
    );
  }

  /** Speaks `text` in `lang` and waits until it is done (bounded); silent without a voice. */
  say(text, lang) {
    const voice = this.voice(lang);
    if (!voice) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        try {
          this.speech.cancel();
        } catch {
          // Ignored: the queue goes on.
        }
        resolve();
      }, SPEECH_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      try {
        const utterance = new SpeechSynthesisUtterance(text);
        utterance.voice = voice;
        utterance.lang = voice.lang;
        utterance.rate = 0.9;
        utterance.onend = done;
        utterance.onerror = done;
        this.speech.speak(utterance);
      } catch {
        done();
      }
    });
  }
}
