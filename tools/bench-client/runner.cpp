// runMain: parses the command line, runs each selected scenario in its own scratch
// directory, prints the table or JSON lines, and exits 1 if any run failed.
#include "scenarios.h"

#include "measure.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstdio>
#include <map>
#include <sys/resource.h>

namespace natter::benchclient {

double selfCpuSeconds() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::vector<qint64> defaultSizes(const QString& scenario, bool tiny) {
    static const std::map<QString, std::pair<std::vector<qint64>, std::vector<qint64>>> sizes{
        {QStringLiteral("crypto-1to1"), {{10000}, {100}}},
        {QStringLiteral("crypto-group"), {{10000}, {100}}},
        {QStringLiteral("x3dh"), {{300}, {10}}},
        {QStringLiteral("store-insert"), {{5000}, {100}}},
        {QStringLiteral("search"), {{10000, 100000, 1000000}, {500, 2000}}},
        {QStringLiteral("cli-send"), {{20}, {2}}},
        {QStringLiteral("desktop-start"), {{1000, 100000}, {20, 300}}},
    };
    const auto& entry = sizes.at(scenario);
    return tiny ? entry.second : entry.first;
}

namespace {

using Runner = void (*)(const Options&, const std::vector<qint64>&, const QString&, const Emit&);

Runner runnerFor(const QString& scenario) {
    static const std::map<QString, Runner> runners{
        {QStringLiteral("crypto-1to1"), runCrypto1to1}, {QStringLiteral("crypto-group"), runCryptoGroup},
        {QStringLiteral("x3dh"), runX3dh},              {QStringLiteral("store-insert"), runStoreInsert},
        {QStringLiteral("search"), runSearch},          {QStringLiteral("cli-send"), runCliSend},
        {QStringLiteral("desktop-start"), runDesktopStart},
    };
    return runners.at(scenario);
}

} // namespace

int runMain(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    qputenv("NATTER_NO_KEYCHAIN", "1");
    Options o = parseOptions(QCoreApplication::arguments());
    if (o.help) {
        std::printf("%s", qPrintable(helpText()));
        return 0;
    }
    if (!o.error.isEmpty()) {
        std::fprintf(stderr, "natter-client-bench: %s\n\n%s", qPrintable(o.error), qPrintable(helpText()));
        return 2;
    }
    QTemporaryDir temp(QDir::tempPath() + QStringLiteral("/natter-client-bench-XXXXXX"));
    const QString root = o.dataDir.isEmpty() ? temp.path() : QDir(o.dataDir).absolutePath();
    std::unique_ptr<QFile> jsonOut;
    if (!o.jsonOut.isEmpty()) {
        jsonOut = std::make_unique<QFile>(o.jsonOut);
        if (!jsonOut->open(QIODevice::WriteOnly | QIODevice::Append)) {
            std::fprintf(stderr, "natter-client-bench: cannot write %s\n", qPrintable(o.jsonOut));
            return 2;
        }
    }
    if (!o.json) std::printf("%s\n", qPrintable(tableHeader()));
    bool failed = false;
    const Emit publish = [&](const RunResult& r) {
        failed = failed || !r.ok;
        const QByteArray line = QJsonDocument(toJson(r)).toJson(QJsonDocument::Compact);
        if (jsonOut) {
            jsonOut->write(line + '\n');
            jsonOut->flush();
        }
        if (o.json) std::printf("%s\n", line.constData());
        else std::printf("%s\n", qPrintable(toTableRow(r)));
        std::fflush(stdout);
    };
    for (const QString& scenario : o.scenarios) {
        const std::vector<qint64> sizes = o.sizes.empty() ? defaultSizes(scenario, o.tiny) : o.sizes;
        const QString dir = root + QLatin1Char('/') + scenario;
        QDir(dir).removeRecursively();
        QDir().mkpath(dir);
        try {
            runnerFor(scenario)(o, sizes, dir, publish);
        } catch (const std::exception& e) {
            RunResult r;
            r.scenario = scenario;
            r.error = QString::fromUtf8(e.what());
            publish(r);
        }
        if (!o.keepData || o.dataDir.isEmpty()) QDir(dir).removeRecursively();
    }
    return failed ? 1 : 0;
}

} // namespace natter::benchclient
