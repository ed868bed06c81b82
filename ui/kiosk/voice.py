"""Read aloud: Qt's text-to-speech (QtTextToSpeech, in PySide6-Addons) with the voices of
the operating system (docs/kiosk.md says which packages give them on each OS).

A machine may have no voice at all: on Linux QtTextToSpeech does not even load without
PulseAudio's client library (libpulse.so.0), and its speech-dispatcher engine needs the
speech-dispatcher service with a voice module (espeak-ng). Then `speaks(lang)` is false
and the kiosk shows no "Read aloud" button; a language without a voice, likewise.

Opening an engine can take seconds (speech-dispatcher lists every voice of espeak-ng:
about 4 s here), so the engine is opened on a thread of its own, which also speaks;
`ready` tells when the languages it can speak are known. Qt's "mock" engine (a test
engine that only pretends, with English and Nordic voices) is never taken by itself: tests
name it to hear nothing and to see a language without a voice.
"""

from __future__ import annotations

import atexit
import logging

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    QLoggingCategory,
    QMetaObject,
    QObject,
    Qt,
    QThread,
    Signal,
    Slot,
)

log = logging.getLogger(__name__)

TEST_ENGINES = frozenset({"mock"})
# QtMultimedia, loaded with QtTextToSpeech, warns when it loads that PipeWire's library is
# missing ("qt.multimedia.symbolsresolver: Couldn't load pipewire-0.3 library"): an audio
# back end it looks for and that speech does not use (speech-dispatcher plays the sound
# itself). Only this category's warnings are silenced, nothing else of Qt's.
QUIET_RULE = "qt.multimedia.symbolsresolver.warning=false"


# Every voice thread that runs, until it is stopped: a QThread destroyed while it runs
# aborts the process, so none belongs to a window that may go without `shutdown`; what is
# left is stopped when the application quits.
_RUNNING: dict[QThread, QObject] = {}  # thread -> its speaker


def _stop(thread: QThread) -> None:
    speaker = _RUNNING.pop(thread, None)
    if speaker is not None:  # waits for an engine still opening (seconds, never forever)
        QMetaObject.invokeMethod(speaker, "close", Qt.ConnectionType.BlockingQueuedConnection)
    thread.quit()
    thread.wait()


def _stop_all() -> None:
    for thread in list(_RUNNING):
        _stop(thread)


atexit.register(_stop_all)


def _text_to_speech():
    """QtTextToSpeech's class, or None where the module cannot load."""
    QLoggingCategory.setFilterRules(QUIET_RULE)
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as error:  # e.g. no libpulse.so.0 on Linux
        log.info("no text-to-speech: %s", error)
        return None
    return QTextToSpeech


class _Speaker(QObject):
    """Lives on the voice's thread: opens the engine, says, stops."""

    found = Signal(str, object)  # the engine's name, the languages it speaks ({"en", ...})
    speaking = Signal(bool)

    def __init__(self, engine: str | None) -> None:
        super().__init__()
        self.wanted = engine
        self.tts = None
        self.locales: dict[str, QLocale] = {}

    @Slot()
    def open(self) -> None:
        engine_class = _text_to_speech()
        name = ""
        if engine_class is not None:
            installed = engine_class.availableEngines()
            names = ([self.wanted] if self.wanted in installed else [] if self.wanted else
                     [n for n in installed if n not in TEST_ENGINES])
            for candidate in names:
                tts = engine_class(candidate, self)
                if tts.state() != engine_class.State.Error:
                    self.tts, name = tts, candidate
                    tts.stateChanged.connect(
                        lambda state: self.speaking.emit(state == engine_class.State.Speaking))
                    break
        if self.tts is not None:
            for locale in self.tts.availableLocales():
                code = QLocale.languageToCode(locale.language())
                self.locales.setdefault(code, locale)
        self.found.emit(name, frozenset(self.locales))

    @Slot(str, str)
    def say(self, text: str, lang: str) -> None:
        if self.tts is None or lang not in self.locales:
            return
        self.tts.stop()
        if self.tts.locale().language() != self.locales[lang].language():
            self.tts.setLocale(self.locales[lang])
        self.tts.say(text)

    @Slot()
    def stop(self) -> None:
        if self.tts is not None:
            self.tts.stop()

    @Slot()
    def close(self) -> None:
        """Before the thread ends: an engine being deleted says 'ready' once more, to a
        speaker that is gone by then (a RuntimeError in Qt's event loop)."""
        if self.tts is not None:
            self.tts.stateChanged.disconnect()
            self.tts.stop()


class Voice(QObject):
    """The kiosk's voice: `speaks(lang)`, `say(text, lang)`, `stop()`; `ready` once known."""

    ready = Signal()
    speaking = Signal(bool)
    _say = Signal(str, str)
    _stop = Signal()

    def __init__(self, engine: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = ""
        self.languages: frozenset[str] = frozenset()
        self.known = False
        self.last_said: tuple[str, str] | None = None
        self._thread = QThread()  # no parent: see _RUNNING
        self._thread.setObjectName("voice")
        self._speaker = _Speaker(engine)
        self._speaker.moveToThread(self._thread)
        self._thread.started.connect(self._speaker.open)
        self._thread.finished.connect(self._speaker.deleteLater)
        self._speaker.found.connect(self._found)
        self._speaker.speaking.connect(self.speaking)
        self._say.connect(self._speaker.say)
        self._stop.connect(self._speaker.stop)

    def open(self) -> None:
        """Open the engine on the voice's thread (once; `ready` follows)."""
        if not self._thread.isRunning() and not self.known:
            _RUNNING[self._thread] = self._speaker
            application = QCoreApplication.instance()
            if application is not None and not application.property("voices_stop_on_quit"):
                application.setProperty("voices_stop_on_quit", True)
                application.aboutToQuit.connect(_stop_all)
            self._thread.start()

    @Slot(str, object)
    def _found(self, engine: str, languages: frozenset[str]) -> None:
        self.engine, self.languages, self.known = engine, languages, True
        self.ready.emit()

    def speaks(self, lang: str) -> bool:
        return lang in self.languages

    def say(self, text: str, lang: str) -> None:
        self.last_said = (text, lang)  # what the last button asked for (tests read it)
        self._say.emit(text, lang)

    def stop(self) -> None:
        self._stop.emit()

    def wait_until_known(self, timeout_ms: int = 30_000) -> bool:
        """For tests and renders: block until the engine is known."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop
        from PySide6.QtWidgets import QApplication

        deadline = QDeadlineTimer(timeout_ms)
        while not self.known and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        return self.known

    def shutdown(self) -> None:
        if self._thread in _RUNNING:
            _stop(self._thread)
