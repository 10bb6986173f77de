// FsBlobStore against real files: a put moves the upload in with its sidecar, reads see exactly
// the stored bytes, and whatever a crash can leave behind (temp uploads, blobs without
// sidecar, sidecars without blob) is removed once abandoned, while pieces still being written
// (by this node or another node sharing the directory) are left alone.
#include "media/fs_blob_store.h"
#include "media/media_id.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <iterator>

using namespace natter::server;
using natter::protocol::ErrorCode;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path& path, const std::string& data) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << data;
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string bytes(std::size_t n, int seed) {
    std::string out(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<char>((i * 131 + static_cast<std::size_t>(seed) * 7) & 0xff);
    return out;
}

// Makes a file look as if it was last written `ago` before now.
void backdate(const fs::path& path, std::chrono::minutes ago) {
    fs::last_write_time(path, fs::file_time_type::clock::now() - ago);
}

std::size_t filesUnder(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) ++n;
    return n;
}

} // namespace

class TestFsBlobStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;

    fs::path freshRoot() { return fs::path(dir_.path().toStdString()) / ("media" + std::to_string(++counter_)); }

    static std::unique_ptr<FsBlobStore> openStore(const fs::path& root) {
        auto store = FsBlobStore::open(root);
        if (!store) qFatal("cannot open the blob store: %s", store.error().message.c_str());
        return std::move(*store);
    }

    // Streams `data` into a new upload file and puts it as a fresh id.
    static std::string putBytes(FsBlobStore& store, const std::string& data, natter::protocol::UserId owner = 7,
                                natter::protocol::TimestampMs createdAt = 1000) {
        const auto upload = store.newUploadPath();
        writeFile(upload, data);
        const std::string id = newMediaId();
        auto meta = store.put(id, upload, owner, createdAt);
        if (!meta) qFatal("put failed: %s", meta.error().message.c_str());
        return id;
    }

private slots:
    void putMovesTheUploadInWithItsSidecar() {
        const auto root = freshRoot();
        auto store = openStore(root);
        const std::string data = bytes(100000, 1);
        const auto upload = store->newUploadPath();
        QCOMPARE(upload.parent_path(), root / "tmp");
        writeFile(upload, data);
        const std::string id = newMediaId();
        QVERIFY(isMediaId(id));

        auto meta = store->put(id, upload, 7, 123456);
        QVERIFY2(meta, meta ? "" : meta.error().message.c_str());
        QCOMPARE(meta->owner, natter::protocol::UserId(7));
        QCOMPARE(meta->size, std::uint64_t(data.size()));
        QCOMPARE(meta->created_at, natter::protocol::TimestampMs(123456));
        QVERIFY(!fs::exists(upload));
        const fs::path blob = root / id.substr(0, 2) / id;
        QCOMPARE(readFile(blob), data);
        QVERIFY(fs::exists(root / id.substr(0, 2) / (id + ".json")));

        auto stat = store->stat(id);
        QVERIFY(stat);
        QCOMPARE(stat->owner, meta->owner);
        QCOMPARE(stat->size, meta->size);
        QCOMPARE(stat->created_at, meta->created_at);
    }

    void openRangeAddressesExactlyTheAskedBytes() {
        auto store = openStore(freshRoot());
        const std::string data = bytes(5000, 2);
        const std::string id = putBytes(*store, data);
        auto range = store->openRange(id, 1000, 234);
        QVERIFY(range);
        QCOMPARE(range->offset, std::uint64_t(1000));
        QCOMPARE(range->length, std::uint64_t(234));
        QCOMPARE(readFile(range->file).substr(range->offset, range->length), data.substr(1000, 234));
        QVERIFY(store->openRange(id, 0, 5000));
        QVERIFY(!store->openRange(id, 4000, 1001));
        QVERIFY(!store->openRange(id, 5001, 0));
    }

    void malformedIdsAreNotFoundAndNeverTouchFiles_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("empty") << QString();
        QTest::newRow("dot dot") << QStringLiteral("../../../../etc/passwd");
        QTest::newRow("slash in 43 chars") << QStringLiteral("ab/cdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ");
        QTest::newRow("42 chars") << QStringLiteral("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP");
        QTest::newRow("padding") << QStringLiteral("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP=");
    }
    void malformedIdsAreNotFoundAndNeverTouchFiles() {
        QFETCH(QString, id);
        auto store = openStore(freshRoot());
        QVERIFY(!isMediaId(id.toStdString()));
        QVERIFY(store->stat(id.toStdString()).error().code == ErrorCode::NotFound);
        QVERIFY(store->remove(id.toStdString()).error().code == ErrorCode::NotFound);
        QVERIFY(store->openRange(id.toStdString(), 0, 0).error().code == ErrorCode::NotFound);
        const auto upload = store->newUploadPath();
        writeFile(upload, "x");
        QVERIFY(store->put(id.toStdString(), upload, 7, 1).error().code == ErrorCode::InvalidField);
        QVERIFY2(!fs::exists(upload), "a failed put consumes the upload");
    }

    void putOfATakenIdFailsAndKeepsTheOriginal() {
        const auto root = freshRoot();
        auto store = openStore(root);
        const std::string id = putBytes(*store, "original");
        const auto upload = store->newUploadPath();
        writeFile(upload, "intruder");
        QVERIFY(store->put(id, upload, 8, 2000).error().code == ErrorCode::Conflict);
        QVERIFY(!fs::exists(upload));
        QCOMPARE(readFile(root / id.substr(0, 2) / id), std::string("original"));
        QCOMPARE(store->stat(id)->owner, natter::protocol::UserId(7));
    }

    void removeDeletesBlobAndSidecar() {
        const auto root = freshRoot();
        auto store = openStore(root);
        const std::string keep = putBytes(*store, "keep");
        const std::string gone = putBytes(*store, "gone");
        QVERIFY(store->remove(gone));
        QVERIFY(store->stat(gone).error().code == ErrorCode::NotFound);
        QVERIFY(!fs::exists(root / gone.substr(0, 2) / gone));
        QVERIFY(!fs::exists(root / gone.substr(0, 2) / (gone + ".json")));
        QVERIFY(store->remove(gone).error().code == ErrorCode::NotFound);
        QVERIFY(store->stat(keep));
        QCOMPARE(filesUnder(root), std::size_t(2));
    }

    void listOlderThanReturnsExactlyTheOlderObjects() {
        auto store = openStore(freshRoot());
        const std::string a = putBytes(*store, "a", 7, 1000);
        const std::string b = putBytes(*store, "b", 7, 2000);
        const std::string c = putBytes(*store, "c", 8, 3000);
        auto older = store->listOlderThan(2500);
        QVERIFY(older);
        std::sort(older->begin(), older->end());
        std::vector<std::string> expected{a, b};
        std::sort(expected.begin(), expected.end());
        QCOMPARE(*older, expected);
        QVERIFY(store->listOlderThan(1000)->empty()); // strictly older
        QCOMPARE(store->listOlderThan(3001)->size(), std::size_t(3));
        QVERIFY(std::find(older->begin(), older->end(), c) == older->end());
    }

    void listShowsEveryObjectWithItsOwnerSizeAndTime() {
        auto store = openStore(freshRoot());
        const std::string a = putBytes(*store, "aaa", 7, 1000);
        const std::string b = putBytes(*store, "bbbbb", 8, 2000);
        auto all = store->list();
        QVERIFY(all);
        std::sort(all->begin(), all->end(), [](const auto& x, const auto& y) { return x.second.created_at < y.second.created_at; });
        QCOMPARE(all->size(), std::size_t(2));
        QCOMPARE((*all)[0].first, a);
        QCOMPARE((*all)[0].second.owner, natter::protocol::UserId(7));
        QCOMPARE((*all)[0].second.size, std::uint64_t(3));
        QCOMPARE((*all)[1].first, b);
        QCOMPARE((*all)[1].second.owner, natter::protocol::UserId(8));
        QCOMPARE((*all)[1].second.size, std::uint64_t(5));
        QCOMPARE((*all)[1].second.created_at, natter::protocol::TimestampMs(2000));
    }

    void openRemovesWhatACrashLeftBehind() {
        const auto root = freshRoot();
        std::string good;
        {
            auto store = openStore(root);
            good = putBytes(*store, bytes(4096, 3));
        }
        // An upload being streamed, a blob renamed without sidecar, a sidecar whose blob never
        // arrived, and a blob whose sidecar is torn.
        writeFile(root / "tmp" / "interrupted.upload", bytes(777, 4));
        const std::string noSidecar = newMediaId();
        writeFile(root / noSidecar.substr(0, 2) / noSidecar, bytes(10, 5));
        const std::string noBlob = newMediaId();
        writeFile(root / noBlob.substr(0, 2) / (noBlob + ".json"), "{\"owner\":7,\"size\":10,\"created_at\":1}");
        const std::string torn = newMediaId();
        writeFile(root / torn.substr(0, 2) / torn, bytes(10, 6));
        writeFile(root / torn.substr(0, 2) / (torn + ".json"), "{\"owner\":7,\"si");
        for (const auto& entry : fs::recursive_directory_iterator(root))
            if (entry.is_regular_file()) backdate(entry.path(), std::chrono::minutes(61));

        auto store = openStore(root);
        QVERIFY(fs::is_empty(root / "tmp"));
        QVERIFY(!fs::exists(root / noSidecar.substr(0, 2) / noSidecar));
        QVERIFY(!fs::exists(root / noBlob.substr(0, 2) / (noBlob + ".json")));
        QVERIFY(!fs::exists(root / torn.substr(0, 2) / torn));
        QVERIFY(!fs::exists(root / torn.substr(0, 2) / (torn + ".json")));
        QVERIFY(store->stat(noSidecar).error().code == ErrorCode::NotFound);
        QCOMPARE(filesUnder(root), std::size_t(2)); // the good blob and its sidecar
        QCOMPARE(readFile(root / good.substr(0, 2) / good), bytes(4096, 3));
        QVERIFY(store->stat(good));
    }

    void removeIncompleteLeavesUploadsInProgressAlone() {
        const auto root = freshRoot();
        auto store = openStore(root);
        const std::string good = putBytes(*store, "fine");
        const auto streaming = store->newUploadPath();
        writeFile(streaming, "half of an upload");
        const std::string orphan = newMediaId();
        writeFile(root / orphan.substr(0, 2) / orphan, "orphan");
        backdate(root / orphan.substr(0, 2) / orphan, std::chrono::minutes(61));
        QCOMPARE(store->removeIncomplete(), std::size_t(1));
        QVERIFY(fs::exists(streaming));
        QVERIFY(!fs::exists(root / orphan.substr(0, 2) / orphan));
        QVERIFY(store->stat(good));
        QCOMPARE(store->removeIncomplete(), std::size_t(0));
    }

    // Nodes of a cluster share one media directory: a node starting (or sweeping) while another
    // streams an upload or is between writing a blob and its sidecar must not delete them.
    void piecesAnotherNodeIsWritingSurviveOpenAndSweepUntilAbandoned() {
        const auto root = freshRoot();
        auto other = openStore(root);
        const auto streaming = other->newUploadPath();
        writeFile(streaming, "an upload still arriving");
        const std::string putting = newMediaId();
        writeFile(root / putting.substr(0, 2) / putting, "renamed in, sidecar next");

        auto starting = openStore(root);
        QCOMPARE(starting->removeIncomplete(), std::size_t(0));
        QVERIFY(fs::exists(streaming));
        QVERIFY(fs::exists(root / putting.substr(0, 2) / putting));

        backdate(streaming, std::chrono::minutes(59));
        QCOMPARE(starting->removeIncomplete(), std::size_t(0));
        backdate(streaming, std::chrono::minutes(61));
        backdate(root / putting.substr(0, 2) / putting, std::chrono::minutes(61));
        QCOMPARE(starting->removeIncomplete(), std::size_t(2));
        QVERIFY(!fs::exists(streaming));
        QVERIFY(!fs::exists(root / putting.substr(0, 2) / putting));
    }
};

QTEST_APPLESS_MAIN(TestFsBlobStore)
#include "tst_fs_blob_store.moc"
