// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { MessageHashUtils } from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import { SignatureChecker } from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import { ILike2EarnRewards } from "./interfaces/ILike2EarnRewards.sol";
import { Errors } from "./libraries/Errors.sol";
import {
    CampaignKind,
    ChannelClaim,
    EventClaim,
    Parameters,
    SignedChannelClaim,
    SignedEventClaim,
    SkipReason
} from "./types/DataTypes.sol";
import { ChannelPools } from "./abstracts/ChannelPools.sol";
import { EventBounties } from "./abstracts/EventBounties.sol";
import { RewardsBase } from "./abstracts/RewardsBase.sol";

/// @title Like2EarnRewards
/// @notice Event bounties and channel pools in one deployment, each campaign with its own ledger, plus
/// batch claims across both and EIP-712 signed claims. See {ILike2EarnRewards}.
contract Like2EarnRewards is ILike2EarnRewards, EventBounties, ChannelPools {
    /*//////////////////////////////////////////////////////////////////////////
                                     CONSTANTS
    //////////////////////////////////////////////////////////////////////////*/

    // The EIP-712 type strings are longer than 32 bytes by nature; they are hashed at compile time (no runtime cost).
    /* solhint-disable gas-small-strings */
    /// @notice EIP-712 type hash of a signed event claim.
    bytes32 private constant EVENT_CLAIM_TYPEHASH =
        keccak256(
            "EventClaim(uint256 eventId,uint256 index,address account,uint256 amount,address recipient,uint256 maxFee,uint256 deadline)"
        );

    /// @notice EIP-712 type hash of a signed channel claim.
    bytes32 private constant CHANNEL_CLAIM_TYPEHASH =
        keccak256(
            "ChannelClaim(uint256 channelId,uint64 epoch,address account,uint256 cumulativeScore,address recipient,uint256 maxFee,uint256 deadline)"
        );

    /// @dev EIP-712 domain type hash.
    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /* solhint-enable gas-small-strings */

    /*//////////////////////////////////////////////////////////////////////////
                                    CONSTRUCTOR
    //////////////////////////////////////////////////////////////////////////*/

    /// @param admin Receives DEFAULT_ADMIN_ROLE (sets parameters, grants roles; moves in two steps).
    /// @param publisher Receives PUBLISHER_ROLE (posts roots).
    /// @param guardian Receives GUARDIAN_ROLE (vetoes roots, pauses claims).
    /// @param challengePeriod_ Seconds from posting a root to claims opening (0 allowed for local demos).
    /// @param publishDeadline_ Seconds after an event's end by which a root must be live, else refund.
    /// @param rateChangeNotice_ Seconds from a rate announcement to the new rate applying (≥ challengePeriod_).
    /// @param closeNotice_ Seconds from a close announcement to the close.
    /// @param minClaimWindow_ Least claim window of an event (seconds; 7 days in the default deployment).
    constructor(
        address admin,
        address publisher,
        address guardian,
        uint40 challengePeriod_,
        uint40 publishDeadline_,
        uint40 rateChangeNotice_,
        uint40 closeNotice_,
        uint40 minClaimWindow_
    )
        RewardsBase(
            admin,
            publisher,
            guardian,
            Parameters({
                challengePeriod: challengePeriod_,
                publishDeadline: publishDeadline_,
                rateChangeNotice: rateChangeNotice_,
                closeNotice: closeNotice_,
                minClaimWindow: minClaimWindow_
            })
        )
    {}

    /*//////////////////////////////////////////////////////////////////////////
                              USER-FACING READ-ONLY
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice The EIP-712 domain separator of signed claims: {name: "Like2EarnRewards", version: "1",
    /// chainId, verifyingContract: this}, built from the current chain id on every call (so it follows a fork).
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return keccak256(abi.encode(_DOMAIN_TYPEHASH, keccak256("Like2EarnRewards"), keccak256("1"), block.chainid, address(this)));
    }

    /// @dev The EIP-712 digest an account signs for `claim`.
    function _eventClaimDigest(SignedEventClaim calldata claim) private view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(DOMAIN_SEPARATOR(), keccak256(abi.encode(EVENT_CLAIM_TYPEHASH, claim)));
    }

    /// @dev The EIP-712 digest an account signs for `claim`.
    function _channelClaimDigest(SignedChannelClaim calldata claim) private view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(DOMAIN_SEPARATOR(), keccak256(abi.encode(CHANNEL_CLAIM_TYPEHASH, claim)));
    }

    /*//////////////////////////////////////////////////////////////////////////
                             USER-FACING STATE-CHANGING
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILike2EarnRewards
    function batchClaim(
        EventClaim[] calldata eventClaims,
        ChannelClaim[] calldata channelClaims
    ) external override nonReentrant returns (uint256 paidEvents, uint256 paidChannels) {
        // Check
        uint256 clock = _claimClock();

        // Effects and interactions, item by item (each item follows check-effect-interaction on its own). The
        // leaf is proven before any skip, so a skipped item only ever names a proven account.
        for (uint256 i = 0; i < eventClaims.length; ++i) {
            EventClaim calldata item = eventClaims[i];
            SkipReason reason = _claimEvent(
                clock,
                item.eventId,
                item.index,
                item.account,
                item.amount,
                item.proof,
                item.account,
                0,
                false
            );
            if (reason == SkipReason.None) ++paidEvents;
            else emit BatchItemSkipped(CampaignKind.Event, item.eventId, item.account, reason);
        }
        for (uint256 i = 0; i < channelClaims.length; ++i) {
            ChannelClaim calldata item = channelClaims[i];
            SkipReason reason = _claimChannel(
                clock,
                item.channelId,
                msg.sender,
                item.cumulativeScore,
                item.proof,
                NO_EPOCH,
                Payee(msg.sender, 0, false)
            );
            if (reason == SkipReason.None) ++paidChannels;
            else emit BatchItemSkipped(CampaignKind.Channel, item.channelId, msg.sender, reason);
        }
    }

    /// @inheritdoc ILike2EarnRewards
    function claimEventBySig(
        SignedEventClaim calldata claim,
        bytes32[] calldata proof,
        uint256 fee,
        bytes calldata signature
    ) external override nonReentrant {
        // Check
        uint256 clock = _claimClock();
        if (fee > claim.amount) revert Errors.RewardsBase_FeeExceedsPayout(fee, claim.amount);
        _checkSigned(claim.account, claim.recipient, claim.maxFee, claim.deadline, fee, _eventClaimDigest(claim), signature);

        // Effects and interactions
        _claimEvent(clock, claim.eventId, claim.index, claim.account, claim.amount, proof, claim.recipient, fee, true);
    }

    /// @inheritdoc ILike2EarnRewards
    function claimChannelBySig(
        SignedChannelClaim calldata claim,
        bytes32[] calldata proof,
        uint256 fee,
        bytes calldata signature
    ) external override nonReentrant {
        // Check
        if (claim.epoch == NO_EPOCH) revert Errors.ChannelPools_WrongEpoch(claim.channelId, claim.epoch, 0);
        _checkSigned(claim.account, claim.recipient, claim.maxFee, claim.deadline, fee, _channelClaimDigest(claim), signature);
        Payee memory payee = Payee(claim.recipient, fee, true);

        // Effects and interactions (the fee is taken only if this claim converts everything owed)
        _claimChannel(_claimClock(), claim.channelId, claim.account, claim.cumulativeScore, proof, claim.epoch, payee);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      PRIVATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The checks every signed claim shares: not expired, a recipient, the fee within what was signed,
    /// and the account's signature (ECDSA or EIP-1271) over `digest`.
    function _checkSigned(
        address account,
        address recipient,
        uint256 maxFee,
        uint256 deadline,
        uint256 fee,
        bytes32 digest,
        bytes calldata signature
    ) private view {
        if (block.timestamp > deadline) revert Errors.RewardsBase_SignatureExpired(deadline, block.timestamp);
        if (recipient == address(0)) revert Errors.RewardsBase_ZeroRecipient();
        if (fee > maxFee) revert Errors.RewardsBase_FeeTooHigh(fee, maxFee);
        if (account == address(0)) revert Errors.RewardsBase_ZeroAccount();
        if (!SignatureChecker.isValidSignatureNow(account, digest, signature)) {
            revert Errors.RewardsBase_InvalidSignature(account);
        }
    }
}
