// How the results about this account and its trust print for people: safety numbers (and
// whether one changed), accepting a changed one, privacy settings and unlinking a device.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QTextStream>

namespace natter::cli {

// Prints the human form of `method`'s result and returns true, or returns false for a method
// it does not print.
bool printAccountResult(QTextStream& out, const QString& method, const QJsonObject& result);

} // namespace natter::cli
