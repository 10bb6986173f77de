// tst_frame_codec: the protocol library's round trips, refusals and identifier rules
// (one QtTest class; its slots are spread over the tst_frame_codec_*.cpp files by topic).
#pragma once

#include "protocol/frame_codec.h"

#include <QObject>
#include <QString>

#include <string>
#include <string_view>

namespace natter::protocol::test {

// QString of UTF-8 text, so QCOMPARE prints both sides when they differ.
inline QString fromView(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// "code: message" of an error, the form refusal checks compare.
inline QString describe(const Error& error) {
    return QString::fromStdString(std::string(toString(error.code)) + ": " + error.message);
}

// How the codec answers a client frame: "accepted", or "code: message".
inline QString clientVerdict(std::string_view text) {
    std::string ref;
    const auto frame = parseClientFrame(text, ref);
    return frame ? QStringLiteral("accepted") : describe(frame.error());
}

// How the codec answers a server frame: "accepted", or "code: message".
inline QString serverVerdict(std::string_view text) {
    const auto frame = parseServerFrame(text);
    return frame ? QStringLiteral("accepted") : describe(frame.error());
}

// How the codec answers a REST body of type Body: "accepted", or "code: message".
template <class Body>
QString bodyVerdict(std::string_view text) {
    const auto body = parseBody<Body>(text);
    return body ? QStringLiteral("accepted") : describe(body.error());
}

} // namespace natter::protocol::test

class TestFrameCodec : public QObject {
    Q_OBJECT

private slots:
    // tst_frame_codec.cpp: round trips and shared shapes
    void everyClientFrameSurvivesARoundTrip_data();
    void everyClientFrameSurvivesARoundTrip();
    void everyServerFrameSurvivesARoundTrip_data();
    void everyServerFrameSurvivesARoundTrip();
    void everyRestBodySurvivesARoundTrip_data();
    void everyRestBodySurvivesARoundTrip();
    void nullOptionalFieldIsReadAsAbsent();
    void unknownFieldsAreIgnored();
    void ackTypeMeansAClientAckOrAServerSentAckByDirection();
    void everyErrorCodeHasAStableWireNameAndHttpStatus();
    void unknownErrorCodeNameIsNotRecognised();

    // tst_frame_codec_refusals.cpp: frames and bodies that break a rule
    void textThatIsNotJsonIsRefusedAsMalformedJson();
    void trailingDataAfterTheObjectIsRefusedAsMalformedJson();
    void jsonThatIsNotAnObjectIsRefusedAsMalformedJson_data();
    void jsonThatIsNotAnObjectIsRefusedAsMalformedJson();
    void frameWithoutTypeIsRefusedNamingTheTypeField();
    void frameWhoseTypeIsNotAStringIsRefused();
    void unknownTypeIsRefusedAsUnknownType();
    void typesOfTheOtherDirectionAreUnknown();
    void missingFieldIsRefusedNamingTheField();
    void missingEnvelopesArrayIsRefusedNamingIt();
    void missingNestedFieldIsRefusedWithItsFullPath();
    void nullForARequiredFieldCountsAsMissing();
    void stringForAnIntegerIsRefused();
    void negativeNumberForAnUnsignedFieldIsRefused();
    void fractionalNumberForAnIntegerIsRefused();
    void numberBeyondTheFieldsRangeIsRefused();
    void numberForAStringIsRefused();
    void wrongContainerShapesAreRefused();
    void stringForABooleanIsRefused();
    void clientAckWithSentStatusIsRefused();
    void statusOutsideTheEnumerationIsRefusedListingTheChoices();
    void enumerationValueWithAnEmbeddedNulIsRefused();
    void typingStateOutsideStartAndStopIsRefused();
    void ackOfMessageZeroIsRefused();
    void messageWithEmptyEnvelopesIsRefused();
    void messageWithMoreEnvelopesThanTheLimitIsRefused();
    void envelopeAddressingIdZeroIsRefused();
    void twoEnvelopesForTheSameDeviceAreRefused();
    void envelopeContentThatIsNotCanonicalBase64IsRefused_data();
    void envelopeContentThatIsNotCanonicalBase64IsRefused();
    void clientMsgIdOverSixtyFourBytesIsRefused();
    void emptyIdentifiersAreRefused();
    void chatIdOverTheLimitIsRefused();
    void invalidUtf8InTheJsonTextIsRefusedAsMalformedJson();
    void invalidUtf8ReachingValidationIsRefusedNamingTheField();
    void frameOverTheSizeLimitIsRefusedAsPayloadTooLarge();
    void nestingDeeperThanTheLimitIsRefused();
    void refIsTheFrameIdElseTheClientMsgId();
    void refIsKeptWhenTheFrameIsRefused();
    void refOfAnOverlongClientMsgIdIsCutAtACharacterBoundary();
    void frameWithAnOverlongIdIsRefusedAndItsRefIsCut();
    void unknownTypeIsQuotedOnlyInPart();
    void restBodiesWithInvalidPhonesAreRefusedNamingTheField();
    void restBodiesOverTheirLimitsAreRefused();
    void restBodyThatIsNotAnObjectIsRefusedAsMalformedJson();

    // end-to-end content (tst_frame_codec_e2e.cpp)
    void contentWithoutAnyPartOrWithTwoPartsIsRefused();
    void contentOfAnUnknownVersionIsRefused();
    void attachmentWithAKeyOrDigestOfTheWrongLengthIsRefused();
    void attachmentWithAMediaIdThatIsNotOneIsRefused_data();
    void attachmentWithAMediaIdThatIsNotOneIsRefused();
    void attachmentWithAServerIssuedMediaIdRoundTrips();
    void controlContentNamingADirectChatAsGroupIsRefused();
    void everyNewContentTypeRoundTripsWithItsFields();
    void quoteWithoutTextOrAnAttachmentIsRefused();
    void forwardedWithoutTextOrAnAttachmentIsRefused();
    void mentionsWithoutTextOrOfNobodyOrTooManyAreRefused();
    void senderProfileRoundTripsWithATextAndAFile();
    void profileAloneOrWithAboutRoundTrips();
    void profileBesideAnotherPartOrWithAnEmptyOrOverlongNameOrAboutIsRefused();
    void disappearingTimersOutsideTheListedOnesAreRefused();
    void reactionThatIsNotOneEmojiIsRefused_data();
    void reactionThatIsNotOneEmojiIsRefused();
    void editWithoutTextOrDeletesWithoutAMessageAreRefused();

    // account sync (tst_frame_codec_account_sync.cpp)
    void accountSnapshotRoundTripsWithEveryContactChatAndGroup();
    void accountSyncWithTwoPartsOrNoneIsRefused();
    void accountChangeWithTwoChangesIsRefused();
    void accountSyncWithABadContactChatOrSecretIsRefused();
    void snapshotPeerProfilesRoundTripAndBadOnesAreRefused();
    void historyChunkRoundTripsWithItsMessagesAndProgress();
    void historyChunksBeyondTheirBoundsAreRefused();
    void ownChatIdParsesBackOnlyForOneUser();

    // tst_frame_codec_identifiers.cpp: phone numbers, chat ids, base64, UTF-8
    void isE164FollowsTheNumberingPlan_data();
    void isE164FollowsTheNumberingPlan();
    void directChatIdIsTheSameFromBothSides();
    void directChatIdParsesBackToItsParticipants();
    void parseDirectChatIdRejectsMalformedIds_data();
    void parseDirectChatIdRejectsMalformedIds();
    void base64MatchesTheRfc4648Vectors();
    void base64RoundTripsBinaryData();
    void base64RejectsNonCanonicalInput_data();
    void base64RejectsNonCanonicalInput();
    void utf8AcceptsWellFormedText_data();
    void utf8AcceptsWellFormedText();
    void utf8RejectsMalformedSequences_data();
    void utf8RejectsMalformedSequences();
};
