// natter-client-bench's command line: which scenario, its sizes, output and the binaries
// (natterd, natter, natter-desktop) the process scenarios start.
#pragma once

#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace natter::benchclient {

struct RunResult;

struct Options {
    QStringList scenarios;            // expanded from --scenario (all = every scenario)
    std::vector<qint64> sizes;        // positional sizes after the scenario (empty: defaults)
    bool json = false;
    QString jsonOut;                  // append JSON lines here too
    bool tiny = false;                // the make test sizes
    QString keystore = QStringLiteral("memory"); // crypto scenarios: memory | sqlcipher
    QString dataDir;                  // profiles and natterd data (default: a temp dir)
    QString natterd, natter, desktop; // default: next to this binary in the build tree
    int queries = 40;                 // search: queries per query class and size
    int runs = 3;                     // desktop-start: launches per profile
    QString platform = QStringLiteral("offscreen"); // desktop-start: Qt platform plugin (xcb needs $DISPLAY)
    int batch = 1000;                 // store-insert / generators: rows per transaction
    bool keepData = false;            // leave each scenario's scratch dir (with --data-dir)
    QString error;                    // non-empty: unusable command line
    bool help = false;
};

QStringList allScenarios();
Options parseOptions(const QStringList& arguments);
QString helpText();

// Receives each run as soon as it finished (printing happens there).
using Emit = std::function<void(const RunResult&)>;

} // namespace natter::benchclient
