// Where a profile's store passphrase comes from: the OS keychain (QtKeychain), else
// $NATTER_PASSPHRASE, else the app's prompt. A keychain that is absent is not an error.
#pragma once

#include "client/core/result.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

namespace natter::client::store {

using PassphrasePrompt = std::function<std::optional<QByteArray>()>;

enum class PassphraseSource { Keychain, Environment, Prompt };

struct Passphrase {
    QByteArray value; // secret: never logged
    PassphraseSource source = PassphraseSource::Prompt;
};

class PassphraseProvider {
public:
    // keychainKey names this profile's entry (one per profile directory).
    PassphraseProvider(QString keychainKey, PassphrasePrompt prompt);

    // False with NATTER_NO_KEYCHAIN=1, without a QCoreApplication, or on Linux without a
    // D-Bus session (CI): then no keychain call is made at all.
    static bool keychainEnabled();

    // The passphrase of an existing profile: keychain entry, else environment, else prompt.
    Expected<Passphrase> forExisting();
    // After the keychain's passphrase failed to open the store: environment, else prompt.
    Expected<Passphrase> fallback();
    // A new profile: environment or prompt when given explicitly; otherwise a random
    // passphrase saved in the keychain; with neither, the prompt.
    Expected<Passphrase> forNew();

private:
    std::optional<Passphrase> fromEnvironmentOrPrompt();

    QString m_key;
    PassphrasePrompt m_prompt;
};

// The synchronous QtKeychain calls (bounded by a timeout); nullopt / false when unavailable.
std::optional<QByteArray> readKeychainSecret(const QString& key);
bool writeKeychainSecret(const QString& key, const QByteArray& secret);

} // namespace natter::client::store
