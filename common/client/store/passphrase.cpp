// PassphraseProvider: keychain, environment and prompt, in that order; new profiles get a
// random passphrase kept in the keychain when there is one.
#include "client/store/passphrase.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QRandomGenerator>
#include <QTimer>

#include <array>
#include <functional>

namespace natter::client::store {

namespace {

constexpr int kKeychainTimeoutMs = 3000;
const QString kService = QStringLiteral("natter");

QByteArray randomPassphrase() {
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray raw(reinterpret_cast<const char*>(words.data()), int(sizeof words));
    words.fill(0);
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// Runs a job until it finishes (then onFinished reads its result) or the timeout passes.
// The job deletes itself when it ends; the connection dies with the local loop, so a late
// answer after a timeout touches nothing of ours.
bool runJob(QKeychain::Job* job, const std::function<void(QKeychain::Job&)>& onFinished) {
    job->setAutoDelete(true);
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job* done) {
        finished = true;
        onFinished(*done);
        loop.quit();
    });
    QTimer::singleShot(kKeychainTimeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished) loop.exec();
    return finished;
}

} // namespace

bool PassphraseProvider::keychainEnabled() {
    if (qEnvironmentVariableIntValue("NATTER_NO_KEYCHAIN") == 1) return false;
    if (!QCoreApplication::instance()) return false;
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) return false;
#endif
    return true;
}

std::optional<QByteArray> readKeychainSecret(const QString& key) {
    if (!PassphraseProvider::keychainEnabled()) return std::nullopt;
    auto* job = new QKeychain::ReadPasswordJob(kService);
    job->setKey(key);
    std::optional<QByteArray> secret;
    runJob(job, [&secret](QKeychain::Job& done) {
        const auto& read = static_cast<QKeychain::ReadPasswordJob&>(done);
        if (read.error() == QKeychain::NoError && !read.binaryData().isEmpty()) secret = read.binaryData();
    });
    return secret;
}

bool writeKeychainSecret(const QString& key, const QByteArray& secret) {
    if (!PassphraseProvider::keychainEnabled()) return false;
    auto* job = new QKeychain::WritePasswordJob(kService);
    job->setKey(key);
    job->setBinaryData(secret);
    bool ok = false;
    runJob(job, [&ok](QKeychain::Job& done) { ok = done.error() == QKeychain::NoError; });
    return ok;
}

PassphraseProvider::PassphraseProvider(QString keychainKey, PassphrasePrompt prompt)
    : m_key(std::move(keychainKey)), m_prompt(std::move(prompt)) {}

std::optional<Passphrase> PassphraseProvider::fromEnvironmentOrPrompt() {
    const QByteArray env = qgetenv("NATTER_PASSPHRASE");
    if (!env.isEmpty()) return Passphrase{env, PassphraseSource::Environment};
    if (m_prompt) {
        if (auto typed = m_prompt(); typed && !typed->isEmpty()) return Passphrase{*typed, PassphraseSource::Prompt};
    }
    return std::nullopt;
}

Expected<Passphrase> PassphraseProvider::forExisting() {
    if (auto stored = readKeychainSecret(m_key)) return Passphrase{*stored, PassphraseSource::Keychain};
    return fallback();
}

Expected<Passphrase> PassphraseProvider::fallback() {
    if (auto given = fromEnvironmentOrPrompt()) return *given;
    return makeClientError(ErrorKind::InvalidArgument,
                           QStringLiteral("no store passphrase: none in the keychain, NATTER_PASSPHRASE unset, no prompt"));
}

Expected<Passphrase> PassphraseProvider::forNew() {
    if (!qEnvironmentVariableIsEmpty("NATTER_PASSPHRASE")) return fallback();
    if (keychainEnabled()) {
        const QByteArray generated = randomPassphrase();
        if (writeKeychainSecret(m_key, generated)) return Passphrase{generated, PassphraseSource::Keychain};
    }
    return fallback();
}

} // namespace natter::client::store
