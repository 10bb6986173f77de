// The scenarios of natter-client-bench; each runs one measurement per size and hands every
// result to publish as soon as it is done. A RunFailure thrown out of one fails that scenario.
#pragma once

#include "options.h"
#include "report.h"

#include <QString>

#include <vector>

namespace natter::benchclient {

// dir: a scratch directory of this scenario (removed afterwards).
void runCrypto1to1(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish);
void runCryptoGroup(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish);
void runX3dh(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish);
void runStoreInsert(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish);
void runSearch(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish);
void runCliSend(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish);
void runDesktopStart(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish);

// Sizes when none are given: the standard ones, or with --tiny the make-test ones.
std::vector<qint64> defaultSizes(const QString& scenario, bool tiny);

int runMain(int argc, char** argv);

} // namespace natter::benchclient
