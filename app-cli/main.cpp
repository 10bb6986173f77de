// natter: the terminal client (see natter --help).
#include "cli_app.h"

#include <QCoreApplication>
#include <QLoggingCategory>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter"));
    // Terminal output is for results: the core's logs show warnings only (QT_LOGGING_RULES,
    // e.g. "natter.*=true", turns them on again).
    QLoggingCategory::setFilterRules(QStringLiteral("natter.*.debug=false\nnatter.*.info=false"));
    return natter::cli::runCli(std::vector<std::string>(argv + 1, argv + argc));
}
