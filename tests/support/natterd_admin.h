// Runs `natterd admin --data-dir <the server's data dir> ARGS` for the admin suites, as an
// operator would on the same machine, while natterd runs or after it stopped.
#pragma once

#include "natterd_process.h"

#include <QJsonObject>
#include <QStringList>

namespace natter::test {

ProcessOutcome runAdmin(const NatterdProcess& server, const QStringList& args);
// The same with --json: the printed object (empty when it failed, with stderr as a warning).
QJsonObject runAdminJson(const NatterdProcess& server, const QStringList& args);

} // namespace natter::test
