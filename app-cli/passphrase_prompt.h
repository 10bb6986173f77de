// Asks for the store passphrase on the terminal (echo off) when neither the keychain nor
// NATTER_PASSPHRASE has it; gives nothing when stdin is not a terminal.
#pragma once

#include <QByteArray>

#include <optional>

namespace natter::cli {

std::optional<QByteArray> promptPassphrase();
// Asks for a secret on the terminal (echo off); nothing when stdin is not a terminal or the
// answer is empty.
std::optional<QByteArray> promptSecret(const char* prompt);
// Reads one line from stdin after printing prompt to stderr (e.g. the verification code).
QString promptLine(const QString& prompt);

} // namespace natter::cli
