// main() of an offscreen natter-desktop suite: the offscreen platform, the Fusion style the
// screenshots and geometry checks assume, then QTest over one test object.
#pragma once

#include <QApplication>
#include <QQuickStyle>
#include <QTest>

#define NATTER_DESKTOP_TEST_MAIN(TestClass)                                                        \
    int main(int argc, char** argv) {                                                              \
        qputenv("QT_QPA_PLATFORM", "offscreen");                                                   \
        QApplication app(argc, argv);                                                              \
        QQuickStyle::setStyle(QStringLiteral("Fusion"));                                           \
        TestClass test;                                                                            \
        return QTest::qExec(&test, argc, argv);                                                    \
    }
