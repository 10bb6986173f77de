// A signing key retired by `natterd admin rotate-jwt-key` verifies the tokens it signed for one
// token lifetime from the first start after the rotation, then its file is deleted. The clock is passed in.
#include "auth/jwt.h"
#include "auth/retired_keys.h"
#include "auth/secrets.h"
#include "auth/signing_keys.h"

#include <QTemporaryDir>
#include <QTest>

using namespace natter::server;
namespace fs = std::filesystem;

class TstRetiredKeys : public QObject {
    Q_OBJECT
private slots:
    void retiredKeyVerifiesOldTokensForOneLifetimeFromTheNextStart();
    void restartsWithinTheLifetimeKeepTheRetiredKey();
};

void TstRetiredKeys::retiredKeyVerifiesOldTokensForOneLifetimeFromTheNextStart() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    auto oldSecret = secrets::loadOrCreateKey(dir / "jwt.key");
    QVERIFY(oldSecret.has_value());
    const jwt::Key oldKey = jwt::makeKey(*oldSecret);
    const std::string oldToken = jwt::sign({1, 1, 5000, 5000 + 900}, oldKey);

    auto rotation = rotateSigningKey(dir);
    QVERIFY(rotation.has_value());
    QCOMPARE(rotation->old_key_id, oldKey.id);
    QVERIFY(rotation->new_key_id != oldKey.id);

    // The first start after the rotation (t = 5000 s): the old key verifies, the new one signs.
    auto retired = retiredKeysInUse(dir, std::chrono::seconds(900), 5000);
    QVERIFY(retired.has_value());
    QCOMPARE(retired->size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(retired->front().filename().string()),
             QStringLiteral("jwt-retired-5000-%1.key").arg(QString::fromStdString(oldKey.id)));
    auto keys = loadSigningKeys(dir / "jwt.key", *retired);
    QVERIFY(keys.has_value());
    QCOMPARE(keys->front().id, rotation->new_key_id);
    QVERIFY(jwt::verify(oldToken, *keys, 5100).has_value());

    // One token lifetime after that start every old token has expired: the key goes.
    auto later = retiredKeysInUse(dir, std::chrono::seconds(900), 5900);
    QVERIFY(later.has_value());
    QVERIFY(later->empty());
    QVERIFY(!fs::exists(retired->front()));
    auto without = loadSigningKeys(dir / "jwt.key", *later);
    QVERIFY(!jwt::verify(oldToken, *without, 5100).has_value());
}

void TstRetiredKeys::restartsWithinTheLifetimeKeepTheRetiredKey() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    QVERIFY(secrets::loadOrCreateKey(dir / "jwt.key").has_value());
    QVERIFY(rotateSigningKey(dir).has_value());
    QCOMPARE(retiredKeysInUse(dir, std::chrono::seconds(900), 100)->size(), std::size_t{1});
    QCOMPARE(retiredKeysInUse(dir, std::chrono::seconds(900), 400)->size(), std::size_t{1});
    QCOMPARE(retiredKeysInUse(dir, std::chrono::seconds(900), 999)->size(), std::size_t{1});
    QCOMPARE(retiredKeysInUse(dir, std::chrono::seconds(900), 1000)->size(), std::size_t{0});
}

QTEST_MAIN(TstRetiredKeys)
#include "tst_retired_keys.moc"
