// The shell's input line. On a terminal: GNU Readline in callback mode (editing keys, history,
// Tab completion of "@names"), on Qt's event loop, reporting each edit so the shell can send
// typing notices; what is printed meanwhile goes above the line being typed. Elsewhere (a pipe,
// a file, --json): plain lines, as scripts write them.
#pragma once

#include <QObject>
#include <QSocketNotifier>
#include <QString>
#include <QStringList>

#include <functional>

namespace natter::cli {

class LineEditor : public QObject {
    Q_OBJECT
public:
    // Readline keeps one line editor per process: a second LineEditor while one exists reads
    // plain lines.
    explicit LineEditor(bool terminal, QObject* parent = nullptr);
    ~LineEditor() override; // gives the terminal back as it was
    LineEditor(const LineEditor&) = delete;
    LineEditor& operator=(const LineEditor&) = delete;

    // stdin and stdout are terminals (and the caller wants people's output).
    static bool onTerminal();
    bool interactive() const { return m_interactive; }
    void setPrompt(const QString& prompt);
    // Completions for the "@word" before the cursor (Tab): the word without its '@' in, the
    // names it completes to out.
    void setMentionCompleter(std::function<QStringList(const QString& prefix)> completer);
    // Runs `print` with the line being typed taken off the screen, then draws it again below.
    void printAbove(const std::function<void()>& print);

signals:
    void lineEntered(const QString& line);
    // The text typed so far changed (terminal only; not when a line is entered).
    void edited(const QString& text);
    void endOfInput();

private:
    static void onLine(char* line);
    static char** complete(const char* text, int start, int end);
    static char* nextMatch(const char* text, int state);
    void readTerminal();
    void readPlain();
    // Hands a finished line to lineEntered, with stdin not read meanwhile.
    void deliver(const QString& line);

    bool m_interactive = false;
    bool m_inHandler = false; // a line is being handled: output goes straight out
    bool m_closed = false;    // stdin ended
    QSocketNotifier m_notifier;
    QByteArray m_pending;     // plain mode: bytes before the next newline
    QString m_lastText;       // terminal mode: the line as last reported by edited()
    QByteArray m_prompt;
    std::function<QStringList(const QString&)> m_completer;
    QStringList m_matches;    // the completion under way
    qsizetype m_nextMatch = 0; // the next of m_matches Readline asks for
};

} // namespace natter::cli
