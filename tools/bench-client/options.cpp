// Parsing of natter-client-bench's arguments; binary paths default to the build tree layout
// (<build>/tools/bench-client/natter-client-bench -> <build>/server/natterd, ...).
#include "options.h"

#include <QCoreApplication>
#include <QDir>

namespace natter::benchclient {

QStringList allScenarios() {
    return {QStringLiteral("crypto-1to1"), QStringLiteral("crypto-group"), QStringLiteral("x3dh"),
            QStringLiteral("store-insert"), QStringLiteral("search"), QStringLiteral("cli-send"),
            QStringLiteral("desktop-start")};
}

QString helpText() {
    return QStringLiteral(
        "Usage: natter-client-bench --scenario NAME|all [sizes...] [options]\n"
        "Scenarios and sizes (defaults in brackets):\n"
        "  crypto-1to1 MESSAGES [10000]       1:1 Double Ratchet encrypt+decrypt per message\n"
        "  crypto-group MESSAGES [10000]      group sender-key encrypt+decrypt per message\n"
        "  x3dh SESSIONS [300]                bundle -> session -> first PreKey message decrypted\n"
        "  store-insert MESSAGES [5000]       MessageStore::insert, autocommit and batched\n"
        "  search MESSAGES... [10000 100000 1000000]  FTS search; one profile grown to each size\n"
        "  cli-send SENDS [20]                one-shot `natter send` wall time against a natterd\n"
        "  desktop-start CHATS MESSAGES [1000 100000]  natter-desktop --screenshot time and RSS\n"
        "Options:\n"
        "  --json                 one JSON object per run on stdout\n"
        "  --json-out FILE        also append the JSON lines to FILE\n"
        "  --tiny                 the make-test sizes (no size arguments needed)\n"
        "  --keystore memory|sqlcipher   key store of the crypto scenarios [memory]\n"
        "  --data-dir DIR         where profiles and natterd data go [a temp dir, removed]\n"
        "  --keep-data            keep DIR/<scenario> afterwards (profiles, screenshots)\n"
        "  --natterd/--natter/--desktop PATH   binaries [from this build tree]\n"
        "  --queries N            search: queries per class and size [40]\n"
        "  --runs N               desktop-start: launches [3]\n"
        "  --platform offscreen|xcb   desktop-start: Qt platform plugin; xcb draws on $DISPLAY [offscreen]\n"
        "  --batch N              rows per transaction for batched inserts [1000]\n");
}

Options parseOptions(const QStringList& arguments) {
    Options o;
    const QString build = QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../.."));
    o.natterd = build + QStringLiteral("/server/natterd");
    o.natter = build + QStringLiteral("/app-cli/natter");
    o.desktop = build + QStringLiteral("/app-desktop/natter-desktop");
    QString scenario;
    for (int i = 1; i < arguments.size(); ++i) {
        const QString& a = arguments[i];
        auto value = [&](QString& out) {
            if (i + 1 >= arguments.size()) {
                o.error = a + QStringLiteral(" needs a value");
                return false;
            }
            out = arguments[++i];
            return true;
        };
        auto number = [&](int& out) {
            QString text;
            if (!value(text)) return;
            bool ok = false;
            out = text.toInt(&ok);
            if (!ok || out <= 0) o.error = a + QStringLiteral(" needs a positive number");
        };
        if (a == QLatin1String("--help") || a == QLatin1String("-h")) o.help = true;
        else if (a == QLatin1String("--json")) o.json = true;
        else if (a == QLatin1String("--tiny")) o.tiny = true;
        else if (a == QLatin1String("--keep-data")) o.keepData = true;
        else if (a == QLatin1String("--scenario")) value(scenario);
        else if (a == QLatin1String("--json-out")) value(o.jsonOut);
        else if (a == QLatin1String("--keystore")) value(o.keystore);
        else if (a == QLatin1String("--data-dir")) value(o.dataDir);
        else if (a == QLatin1String("--natterd")) value(o.natterd);
        else if (a == QLatin1String("--natter")) value(o.natter);
        else if (a == QLatin1String("--desktop")) value(o.desktop);
        else if (a == QLatin1String("--platform")) value(o.platform);
        else if (a == QLatin1String("--queries")) number(o.queries);
        else if (a == QLatin1String("--runs")) number(o.runs);
        else if (a == QLatin1String("--batch")) number(o.batch);
        else if (a.startsWith(QLatin1Char('-'))) o.error = QStringLiteral("unknown option ") + a;
        else {
            bool ok = false;
            const qint64 n = a.toLongLong(&ok);
            if (!ok || n <= 0) o.error = QStringLiteral("a size must be a positive number: ") + a;
            o.sizes.push_back(n);
        }
        if (!o.error.isEmpty()) return o;
    }
    if (o.help) return o;
    if (scenario.isEmpty()) o.error = QStringLiteral("--scenario is required");
    else if (scenario == QLatin1String("all")) {
        o.scenarios = allScenarios();
        if (!o.sizes.empty()) o.error = QStringLiteral("--scenario all takes no sizes");
    } else if (!allScenarios().contains(scenario)) o.error = QStringLiteral("unknown scenario ") + scenario;
    else o.scenarios = {scenario};
    if (o.keystore != QLatin1String("memory") && o.keystore != QLatin1String("sqlcipher"))
        o.error = QStringLiteral("--keystore is memory or sqlcipher");
    if (o.platform != QLatin1String("offscreen") && o.platform != QLatin1String("xcb"))
        o.error = QStringLiteral("--platform is offscreen or xcb");
    else if (o.platform == QLatin1String("xcb") && qEnvironmentVariableIsEmpty("DISPLAY"))
        o.error = QStringLiteral("--platform xcb needs an X display ($DISPLAY), e.g. Xvfb :99 & DISPLAY=:99");
    return o;
}

} // namespace natter::benchclient
