#include "passphrase_prompt.h"

#include <QString>

#include <iostream>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace natter::cli {

std::optional<QByteArray> promptPassphrase() { return promptSecret("Passphrase for this profile's store: "); }

std::optional<QByteArray> promptSecret(const char* prompt) {
    if (!isatty(STDIN_FILENO)) return std::nullopt;
    std::cerr << prompt << std::flush;
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios silent = old;
    silent.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    std::string line;
    std::getline(std::cin, line);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << '\n';
    if (line.empty()) return std::nullopt;
    return QByteArray::fromStdString(line);
}

QString promptLine(const QString& prompt) {
    std::cerr << prompt.toStdString() << std::flush;
    std::string line;
    std::getline(std::cin, line);
    return QString::fromStdString(line).trimmed();
}

} // namespace natter::cli
