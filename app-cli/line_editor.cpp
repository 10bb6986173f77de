// LineEditor: Readline's alternate (callback) interface fed by a QSocketNotifier on stdin.
// Readline is one global state per process; `s_active` is the editor that owns it.
#include "line_editor.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <readline/history.h>
#include <readline/readline.h>
#include <unistd.h>

namespace natter::cli {
namespace {
LineEditor* s_active = nullptr;
char s_wordBreaks[] = " \t\n";
char s_name[] = "natter";
} // namespace

bool LineEditor::onTerminal() { return ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO); }

LineEditor::LineEditor(bool terminal, QObject* parent)
    : QObject(parent), m_interactive(terminal && !s_active), m_notifier(STDIN_FILENO, QSocketNotifier::Read) {
    if (m_interactive) {
        s_active = this;
        rl_readline_name = s_name; // "$if natter" in ~/.inputrc
        rl_catch_signals = 0;      // Ctrl-C and SIGTERM stay the shell's (SignalWatcher)
        rl_catch_sigwinch = 1;     // a resized terminal: Readline takes the new width at the next key
        rl_completer_word_break_characters = s_wordBreaks; // "@Bo" stays one word
        rl_attempted_completion_function = &LineEditor::complete;
        rl_callback_handler_install("", &LineEditor::onLine);
    }
    connect(&m_notifier, &QSocketNotifier::activated, this, [this] { m_interactive ? readTerminal() : readPlain(); });
}

LineEditor::~LineEditor() {
    if (!m_interactive) return;
    rl_callback_handler_remove();
    std::fputs("\n", stdout);
    std::fflush(stdout);
    s_active = nullptr;
}

void LineEditor::setPrompt(const QString& prompt) {
    m_prompt = prompt.toUtf8();
    if (m_interactive) rl_set_prompt(m_prompt.constData());
}

void LineEditor::setMentionCompleter(std::function<QStringList(const QString&)> completer) {
    m_completer = std::move(completer);
}

void LineEditor::printAbove(const std::function<void()>& print) {
    if (!m_interactive || m_inHandler) return print();
    rl_clear_visible_line();
    print();
    std::fflush(stdout);
    rl_forced_update_display();
}

void LineEditor::readTerminal() {
    rl_callback_read_char();
    if (!s_active || m_inHandler) return;
    const QString text = QString::fromUtf8(rl_line_buffer, rl_end);
    if (text != m_lastText) {
        m_lastText = text;
        emit edited(text);
    }
}

void LineEditor::onLine(char* line) {
    LineEditor* self = s_active;
    if (!self) return std::free(line);
    if (!line) {
        self->m_closed = true;
        self->m_notifier.setEnabled(false);
        emit self->endOfInput();
        return;
    }
    if (*line) add_history(line);
    const QString text = QString::fromUtf8(line);
    std::free(line);
    self->m_lastText.clear();
    self->deliver(text);
}

void LineEditor::deliver(const QString& line) {
    // A command may wait for natterd in a nested event loop: the next line is read only after
    // this one is handled, so answers come out in the order the lines were typed.
    m_inHandler = true;
    m_notifier.setEnabled(false);
    emit lineEntered(line);
    m_notifier.setEnabled(!m_closed);
    m_inHandler = false;
}

char** LineEditor::complete(const char* text, int, int) {
    rl_attempted_completion_over = 1; // no file names
    if (!s_active || !s_active->m_completer || text[0] != '@') return nullptr;
    s_active->m_matches.clear();
    for (const QString& name : s_active->m_completer(QString::fromUtf8(text + 1)))
        s_active->m_matches << QStringLiteral("@") + name;
    rl_completion_append_character = ' ';
    return rl_completion_matches(text, &LineEditor::nextMatch);
}

char* LineEditor::nextMatch(const char*, int state) {
    if (!s_active) return nullptr;
    if (state == 0) s_active->m_nextMatch = 0; // Readline's first call for this word
    if (s_active->m_nextMatch >= s_active->m_matches.size()) return nullptr;
    return ::strdup(s_active->m_matches.at(s_active->m_nextMatch++).toUtf8().constData());
}

void LineEditor::readPlain() {
    char buffer[4096];
    const auto n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) {
        m_closed = true;
        m_notifier.setEnabled(false);
        emit endOfInput();
        return;
    }
    m_pending.append(buffer, n);
    qsizetype end;
    while ((end = m_pending.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_pending.left(end));
        m_pending.remove(0, end + 1);
        deliver(line);
    }
}

} // namespace natter::cli
