// natterd's token signing key survives a power cut: `natterd admin rotate-jwt-key` runs under the
// power-loss layer (tools/powercut), then the data dir keeps only what was fsynced. After the
// restart the new key signs (as the command said) and tokens of the old one still work.
#include "durable_images.h"
#include "natterd_admin.h"
#include "test_client.h"

#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::test;

namespace {

// The "kid" in an access token's header: which key signed it.
QString keyIdOf(const QString& token) {
    const QByteArray header = QByteArray::fromBase64(token.section('.', 0, 0).toLatin1(), QByteArray::Base64UrlEncoding);
    return QJsonDocument::fromJson(header).object().value("kid").toString();
}

} // namespace

class TstPowerLossKeys : public QObject {
    Q_OBJECT
private slots:
    void aRotatedSigningKeyIsTheSigningKeyAfterAPowerCut();
};

void TstPowerLossKeys::aRotatedSigningKeyIsTheSigningKeyAfterAPowerCut() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient ann(server);
    NATTER_SIGNUP(ann, phoneNumber(1), "Ann");
    const QString oldToken = ann.accessToken();
    QCOMPARE(server.terminate(), 0);

    QTemporaryDir images;
    QVERIFY(images.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& [name, value] : natter::powercut::layerEnvironment(
             NATTER_POWERCUT_LIBRARY, server.dataDir().toStdString(), images.filePath("d").toStdString()))
        env.insert(QString::fromStdString(name), QString::fromStdString(value));
    QProcess admin;
    admin.setProcessEnvironment(env);
    admin.start(NatterdProcess::binaryPath(), {"admin", "--data-dir", server.dataDir(), "rotate-jwt-key", "--json"});
    QVERIFY(admin.waitForFinished(30000));
    QVERIFY2(admin.exitStatus() == QProcess::NormalExit && admin.exitCode() == 0, admin.readAllStandardError().constData());
    const QString newKey = QJsonDocument::fromJson(admin.readAllStandardOutput()).object().value("new_key_id").toString();
    QVERIFY(!newKey.isEmpty() && newKey != keyIdOf(oldToken));

    const auto cut = natter::powercut::powerCut(server.dataDir().toStdString(), images.filePath("d").toStdString());
    QVERIFY2(cut.error.empty(), cut.error.c_str());

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    NATTER_HTTP(ann.request("GET", "/api/profile"), 200); // the old key's tokens still verify
    const HttpResult fresh = ann.request("POST", "/api/token",
                                         QJsonObject{{"user_id", ann.userId()}, {"device_id", ann.deviceId()},
                                                     {"device_secret", ann.deviceSecret()}});
    NATTER_HTTP(fresh, 200);
    QCOMPARE(keyIdOf(fresh.object().value("access_token").toString()), newKey);
}

QTEST_MAIN(TstPowerLossKeys)
#include "tst_power_loss_keys.moc"
