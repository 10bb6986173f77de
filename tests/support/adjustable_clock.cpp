// AdjustableClock: the libfaketime environment and its offset file, replaced atomically so that
// natterd never reads half an offset.
#include "adjustable_clock.h"

#include <QFileInfo>
#include <QSaveFile>

#ifndef LIBFAKETIME_PATH
#define LIBFAKETIME_PATH ""
#endif

namespace natter::test {

namespace {
QString offsetFile(const QTemporaryDir& dir) { return dir.filePath(QStringLiteral("faketime-offset")); }
} // namespace

AdjustableClock::AdjustableClock() {
    if (libraryPath().isEmpty() || !QFileInfo::exists(libraryPath())) {
        m_error = QStringLiteral("libfaketime not found (LIBFAKETIME_PATH='%1'); run scripts/install-deps.sh")
                      .arg(libraryPath());
        return;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a directory for the clock offset");
        return;
    }
    writeOffset();
}

QString AdjustableClock::libraryPath() { return QStringLiteral(LIBFAKETIME_PATH); }

QProcessEnvironment AdjustableClock::environmentFor(QProcessEnvironment env) const {
    const QString preload = env.value(QStringLiteral("LD_PRELOAD"));
    env.insert(QStringLiteral("LD_PRELOAD"), preload.isEmpty() ? libraryPath() : preload + ':' + libraryPath());
    env.insert(QStringLiteral("FAKETIME_TIMESTAMP_FILE"), offsetFile(m_dir));
    env.insert(QStringLiteral("FAKETIME_NO_CACHE"), QStringLiteral("1")); // read the file at every call
    env.insert(QStringLiteral("DONT_FAKE_MONOTONIC"), QStringLiteral("1"));
    // A GCC AddressSanitizer build (make test-asan) insists on coming first in the preload list.
    const QString asan = env.value(QStringLiteral("ASAN_OPTIONS"));
    env.insert(QStringLiteral("ASAN_OPTIONS"),
               (asan.isEmpty() ? QString() : asan + ':') + QStringLiteral("verify_asan_link_order=0"));
    return env;
}

bool AdjustableClock::advance(std::chrono::milliseconds by) {
    if (!isReady()) return false;
    m_offset += by;
    return writeOffset();
}

bool AdjustableClock::writeOffset() {
    QSaveFile file(offsetFile(m_dir));
    // libfaketime's relative form: "+SECONDS" (fractions allowed) ahead of the real clock.
    const QByteArray text = "+" + QByteArray::number(double(m_offset.count()) / 1000.0, 'f', 3) + "\n";
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        m_error = QStringLiteral("cannot write the clock offset: %1").arg(file.errorString());
        return false;
    }
    return true;
}

} // namespace natter::test
