// Signal-compatible safety numbers (libsignal fingerprint.h): 60 digits both users compare
// by eye, plus the QR payload one scans from the other's screen.
#pragma once

#include "client/crypto/signal_account.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace natter::client::crypto {

struct SafetyNumber {
    QString digits;      // 60 digits, no separators
    QString grouped;     // "12345 67890 ..." (12 groups of 5) for display
    QByteArray scannable; // serialized CombinedFingerprints protobuf for the QR code
};

enum class ScanComparison {
    Match,            // the scanned code shows the same keys: mark the contact verified
    Mismatch,         // other keys (a changed key, an attack, or another contact's code:
                      // version 1 codes carry no phone numbers, only key fingerprints)
    DifferentVersion, // produced by an incompatible safety number version
};

class SafetyNumbers {
public:
    static constexpr int kIterations = 5200;
    static constexpr int kScannableVersion = 1; // libsignal's CombinedFingerprints version

    explicit SafetyNumbers(SignalAccount& account) : m_account(account) {}

    // Stable ids are the users' E.164 phone numbers; identity keys are serialized (33-byte)
    // public keys, order not mattering (Natter passes each account's one identity key).
    Expected<SafetyNumber> compute(const QString& localPhone, const std::vector<QByteArray>& localIdentityKeys,
                                   const QString& remotePhone, const std::vector<QByteArray>& remoteIdentityKeys);
    // Compares the payload scanned from the peer's screen with ours (SafetyNumber::scannable).
    Expected<ScanComparison> compareScanned(const QByteArray& ourScannable, const QByteArray& scannedPayload);

private:
    SignalAccount& m_account;
};

} // namespace natter::client::crypto
