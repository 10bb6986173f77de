// natter: the terminal client (see natter --help).
#include "cli_app.h"

#include <natter/version.h>

#include <QCoreApplication>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(natter::kVersion)); // natter --version
    return natter::cli::runCli(std::vector<std::string>(argv + 1, argv + argc));
}
