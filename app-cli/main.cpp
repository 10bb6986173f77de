// natter: the terminal client (see natter --help).
#include "cli_app.h"

#include <QCoreApplication>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter"));
    return natter::cli::runCli(std::vector<std::string>(argv + 1, argv + argc));
}
